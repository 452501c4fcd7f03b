using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Organization;

// Deletes a branch nothing belongs to any more (Admin). While people (deleted ones too, they can be restored),
// companies or users belong to it, it is refused (409): move them first, or deactivate the branch instead.
public sealed class DeleteBranch(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text)
{
    public async Task<bool> Handle(int id, UserScope user, CancellationToken ct)
    {
        UserRules.Require(user, OrganizationPermissions.Branches, text);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.SingleOrDefaultAsync(b => b.Id == id, ct);
        if (branch is null) return false;

        var people = await db.Contacts.IgnoreQueryFilters().CountAsync(c => c.BranchId == id, ct);
        var companies = await db.Companies.IgnoreQueryFilters().CountAsync(c => c.BranchId == id, ct);
        var users = await db.UserBranches.CountAsync(b => b.BranchId == id, ct);
        if (people + companies + users > 0)
        {
            throw new DomainRuleException(text[
                "This branch still has {0} people, {1} companies and {2} users. Move them to another branch first, or deactivate the branch.",
                people, companies, users]);
        }

        db.Branches.Remove(branch);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException)
        {
            // Another module's records still point at the branch (the database refuses to orphan them).
            throw new DomainRuleException(text["Records still belong to this branch. Move them to another branch first, or deactivate the branch."]);
        }

        return true;
    }
}
