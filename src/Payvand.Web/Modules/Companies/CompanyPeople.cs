using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Companies;

// Links an existing person to a company (the company page's "add person", POST /api/companies/{id}/people) or unlinks
// them. The person's CompanyId changes like any edit of the person: a new version and an audit entry.
public sealed class CompanyPeople(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text)
{
    public sealed record Request(int ContactId);

    // False when the company does not exist or the caller may not see it; a person they cannot see is a field error.
    public async Task<bool> Link(int companyId, Request request, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Companies.VisibleTo(user).AnyAsync(c => c.Id == companyId, ct)) return false;
        var contact = await db.Contacts.VisibleTo(user).SingleOrDefaultAsync(c => c.Id == request.ContactId, ct);
        if (contact is null)
        {
            new Validator(text).Add("contactId", "The person was not found.").ThrowIfAny();
            return false;
        }

        if (contact.CompanyId == companyId) return true;
        contact.CompanyId = companyId;
        await db.SaveChangesAsync(ct);
        return true;
    }

    // False when the person is not one of the company's people that the caller may see.
    public async Task<bool> Unlink(int companyId, int contactId, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Companies.VisibleTo(user).AnyAsync(c => c.Id == companyId, ct)) return false;
        var contact = await db.Contacts.VisibleTo(user).SingleOrDefaultAsync(c => c.Id == contactId && c.CompanyId == companyId, ct);
        if (contact is null) return false;
        contact.CompanyId = null;
        await db.SaveChangesAsync(ct);
        return true;
    }

    internal static void Map(RouteGroupBuilder companies)
    {
        companies.MapPost("/{id:int}/people", async Task<Results<NoContent, NotFound>> (
                int id, Request request, ClaimsPrincipal me, CompanyPeople people, CancellationToken ct) =>
                await people.Link(id, request, me.Scope(), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Link an existing person to the company (a person belongs to one company: this moves them from another)")
            .RequireAuthorization(CompaniesPermissions.Write, ContactsPermissions.Write);

        companies.MapDelete("/{id:int}/people/{contactId:int}", async Task<Results<NoContent, NotFound>> (
                int id, int contactId, ClaimsPrincipal me, CompanyPeople people, CancellationToken ct) =>
                await people.Unlink(id, contactId, me.Scope(), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Unlink a person from the company (the person stays)")
            .RequireAuthorization(CompaniesPermissions.Write, ContactsPermissions.Write);
    }
}
