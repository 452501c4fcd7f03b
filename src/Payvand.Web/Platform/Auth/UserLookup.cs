using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;

namespace Payvand.Platform.Auth;

public sealed record UserOption(int Id, string DisplayName);

// Active users and branches for pickers (owner, assignee, branch), limited to what the caller may use.
public sealed class UserLookup(IDbContextFactory<PayvandDb> dbFactory)
{
    public async Task<List<UserOption>> Users(UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Users.Where(u => u.IsActive);
        if (!user.SeesAllBranches)
        {
            var branches = user.BranchIds.ToList();
            query = query.Where(u => u.Branches.Any(b => branches.Contains(b.BranchId)));
        }

        return await query.OrderBy(u => u.DisplayName).Select(u => new UserOption(u.Id, u.DisplayName)).ToListAsync(ct);
    }

    public async Task<List<UserOption>> Branches(UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branches = user.BranchIds.ToList();
        return await db.Branches.Where(b => b.IsActive && (user.SeesAllBranches || branches.Contains(b.Id)))
            .OrderBy(b => b.Name).Select(b => new UserOption(b.Id, b.Name)).ToListAsync(ct);
    }
}
