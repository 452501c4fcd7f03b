using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Organization;

// Creates a branch or changes one (Admin). Names are unique; a stale version is refused (409).
// A deactivated branch keeps its people and users but is no longer offered for new ones.
public sealed class SaveBranch(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text)
{
    // Version: required on update, the version the client read.
    public sealed record Request(string? Name, string? Code = null, string? City = null, bool IsActive = true, int? Version = null);

    public async Task<int> Create(Request request, UserScope user, CancellationToken ct)
    {
        UserRules.Require(user, OrganizationPermissions.Branches, text);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = new Branch { Name = "" };
        await Apply(db, branch, request, ct);
        db.Branches.Add(branch);
        await db.SaveChangesAsync(ct);
        return branch.Id;
    }

    public async Task<bool> Update(int id, Request request, UserScope user, CancellationToken ct)
    {
        UserRules.Require(user, OrganizationPermissions.Branches, text);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.SingleOrDefaultAsync(b => b.Id == id, ct);
        if (branch is null) return false;
        if (request.Version is null)
        {
            throw new ValidationException(new Dictionary<string, string[]> { ["version"] = [text["{0} is required.", "version"]] });
        }

        db.Entry(branch).Property(b => b.Version).OriginalValue = request.Version.Value;
        await Apply(db, branch, request, ct);
        db.Entry(branch).State = EntityState.Modified; // bumps the version (and checks it) even when nothing changed
        await db.SaveChangesAsync(ct);
        return true;
    }

    private async Task Apply(PayvandDb db, Branch branch, Request request, CancellationToken ct)
    {
        var v = new Validator(text);
        var name = UserRules.CleanText(request.Name);
        var code = UserRules.CleanText(PersianText.ToLatinDigits(request.Code));
        var city = UserRules.CleanText(request.City);
        v.Required("name", name, "Name").MaxLength("name", name, 100, "Name").MaxLength("code", code, 20, "Code").MaxLength("city", city, 100, "City");
        if (name is not null && await db.Branches.AnyAsync(b => b.Name == name && b.Id != branch.Id, ct))
        {
            v.Add("name", "Another branch already has this name.");
        }

        v.ThrowIfAny();
        branch.Name = name!;
        branch.Code = code;
        branch.City = city;
        branch.IsActive = request.IsActive;
    }
}
