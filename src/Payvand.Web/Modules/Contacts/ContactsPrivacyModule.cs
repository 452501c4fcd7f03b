using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Localization;
using Payvand.Platform.Privacy;

namespace Payvand.Modules.Contacts;

// Duplicates, merging, and a person's rights over their data (export, erase, the map of where it lives).
// Kept apart from ContactsModule so the people endpoints stay readable; AddContacts/MapContacts call these.
public static class ContactsPrivacyModule
{
    public static IServiceCollection AddContactPrivacy(this IServiceCollection services) => services
        .AddTransient<FindDuplicates>()
        .AddTransient<MergeContacts>()
        .AddTransient<PersonalDataRequests>()
        .AddPersonalData<ContactPersonalData>()
        .AddPersonalData<ContactAuditPersonalData>();

    public static void MapContactPrivacy(RouteGroupBuilder contacts, IEndpointRouteBuilder app)
    {
        contacts.MapGet("/duplicates", async (HttpContext http, ClaimsPrincipal me, FindDuplicates find, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var page = q.Page([]);
                q.ThrowIfAny();
                return TypedResults.Ok(await find.Handle(page, me.Scope(), ct));
            })
            .WithSummary("Groups of likely duplicate people you can see (same mobile, email, national code, or name with birth date or city), paged (page, pageSize)")
            .Produces<PagedResult<DuplicateGroup>>()
            .RequireAuthorization(ContactsPermissions.Read);

        NotDuplicates.Map(contacts);

        contacts.MapPost("/{id:int}/merge", async Task<Results<NoContent, NotFound>> (int id, MergeContacts.Request request, ClaimsPrincipal me, MergeContacts merge, CancellationToken ct) =>
                await merge.Handle(id, request, me.Scope(), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Merge another person into this one: choices per field (Survivor or Other; custom fields as cf.<key>), both versions you read (409 if stale); Admin or Manager")
            .RequireAuthorization(ContactsPermissions.Merge);

        contacts.MapGet("/{id:int}/personal-data", async Task<Results<Ok<PersonalDataExport>, NotFound>> (int id, ClaimsPrincipal me, PersonalDataRequests requests, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await requests.Export(id, me.Scope(), ct)))
            .WithSummary("Everything held about a person, section by section, including people merged into them; Admin or Manager")
            .RequireAuthorization(ContactsPermissions.PersonalData);

        contacts.MapPost("/{id:int}/personal-data/erase", async Task<Results<NoContent, NotFound>> (int id, PersonalDataRequests.EraseRequest request, ClaimsPrincipal me, PersonalDataRequests requests, CancellationToken ct) =>
                await requests.Erase(id, request, me.Scope(), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Erase a person's data in every module (cannot be undone): confirmation is the person's full name, reason is required; Admin only")
            .RequireAuthorization(ContactsPermissions.Erase);

        app.MapGet("/api/privacy/map", (PersonalDataRequests requests) => TypedResults.Ok(requests.Map()))
            .WithTags("Privacy")
            .WithSummary("Where personal data lives: every registered section with its tables, columns and what erasing does")
            .RequireAuthorization(ContactsPermissions.PrivacyMap);
    }
}
