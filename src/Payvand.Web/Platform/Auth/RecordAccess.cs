using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Platform.Auth;

// The record-level rule every module reuses: Admin and Marketing see all branches; Managers, Sales and Support
// see the records of the branches they belong to. A record outside the caller's branches does not exist for them (404).
public static class RecordAccess
{
    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> query, UserScope user) where T : IBranchScoped
    {
        if (user.VisibleBranches() is not { } visible) return query;
        var branches = visible.ToList();
        return query.Where(r => branches.Contains(r.BranchId));
    }

    // The branches whose records a user sees, narrowed to one when asked (none when it is not theirs); null: every
    // branch. For queries over tables that are not IBranchScoped records (a count over a narrow table of people).
    public static IReadOnlyCollection<int>? VisibleBranches(this UserScope user, int? only = null)
    {
        IReadOnlyCollection<int>? branches = user.SeesAllBranches ? null : [.. user.BranchIds];
        if (only is { } branch) branches = branches is null || branches.Contains(branch) ? [branch] : [];
        return branches;
    }

    public static bool CanSee(this UserScope user, IBranchScoped record) => user.CanSeeBranch(record.BranchId);

    // The branch a new or moved record may be put in: the requested one if the user may use it, else their default.
    public static int ChooseBranch(this UserScope user, int? requested, IStringLocalizer<SharedResource> text)
    {
        if (requested is { } branch)
        {
            if (!user.CanSeeBranch(branch))
            {
                throw new ValidationException(new Dictionary<string, string[]> { ["branchId"] = [text["You cannot put records in that branch."]] });
            }

            return branch;
        }

        return user.DefaultBranchId
            ?? throw new ValidationException(new Dictionary<string, string[]> { ["branchId"] = [text["Choose a branch."]] });
    }

    // ChooseBranch, and the branch must exist: a user who sees every branch may name any number (99999, -1), which
    // would otherwise reach the database as a broken foreign key.
    public static async Task<int> ChooseBranch(this UserScope user, int? requested, PayvandDb db, IStringLocalizer<SharedResource> text, CancellationToken ct)
    {
        var branch = user.ChooseBranch(requested, text);
        if (requested is not null && !await db.Branches.AnyAsync(b => b.Id == branch, ct))
        {
            throw new ValidationException(new Dictionary<string, string[]> { ["branchId"] = [text["The branch was not found."]] });
        }

        return branch;
    }
}
