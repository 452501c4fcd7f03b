using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Organization;

public sealed record BranchRef(int Id, string Name);

public sealed record UserRow(
    int Id, string Email, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<BranchRef> Branches,
    bool IsActive, bool TwoFactorEnabled, bool IsLockedOut, DateTime CreatedAt);

// Everything the user admin form shows. Send ConcurrencyStamp back with a change to have a stale edit refused (409).
public sealed record UserDetails(
    int Id, string Email, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<BranchRef> Branches, bool IsActive,
    string TimeZone, string? Culture, bool TwoFactorEnabled, bool MustChangePassword, DateTimeOffset? LockedOutUntil,
    DateTime CreatedAt, DateTime UpdatedAt, string? ConcurrencyStamp);

public sealed record UserFilter
{
    // Part of the display name or email.
    public string? Q { get; init; }

    public string? Role { get; init; }

    public int? BranchId { get; init; }

    public bool? Active { get; init; }
}

// The users an administrator (everyone) or a manager (the users of their branches) may see, and one of them.
public sealed class ListUsers(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock)
{
    public static readonly string[] SortFields = ["name", "email", "createdAt"];

    public async Task<PagedResult<UserRow>> Handle(UserFilter filter, PageRequest page, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = VisibleTo(db, user);
        if (!string.IsNullOrWhiteSpace(filter.Q))
        {
            var q = PersianText.PersianLetters(filter.Q.Trim());
            var upper = q.ToUpperInvariant();
            query = query.Where(u => u.DisplayName.Contains(q) || u.NormalizedEmail!.Contains(upper));
        }

        if (!string.IsNullOrWhiteSpace(filter.Role))
        {
            var role = filter.Role.Trim().ToUpperInvariant();
            query = query.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == role)));
        }

        if (filter.BranchId is { } branch) query = query.Where(u => u.Branches.Any(b => b.BranchId == branch));
        if (filter.Active is { } active) query = query.Where(u => u.IsActive == active);

        var total = await query.CountAsync(ct);
        var users = await Sort(query, page.Sort, page.Desc).Skip(page.Skip).Take(page.SafePageSize)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.IsActive, u.TwoFactorEnabled, u.LockoutEnd, u.CreatedAt })
            .ToListAsync(ct);
        var ids = users.Select(u => u.Id).ToList();
        var (roles, branches) = await RolesAndBranches(db, ids, ct);
        var now = clock.GetUtcNow();
        var rows = users.Select(u => new UserRow(
            u.Id, u.Email ?? "", u.DisplayName, roles[u.Id], branches[u.Id], u.IsActive, u.TwoFactorEnabled,
            u.LockoutEnd > now, u.CreatedAt)).ToList();
        return new PagedResult<UserRow>(rows, total, page.SafePage, page.SafePageSize);
    }

    public async Task<UserDetails?> Get(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var u = await VisibleTo(db, user).AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (u is null) return null;
        var (roles, branches) = await RolesAndBranches(db, [id], ct);
        var lockedOut = u.LockoutEnd > clock.GetUtcNow() ? u.LockoutEnd : null;
        return new UserDetails(
            u.Id, u.Email ?? "", u.DisplayName, roles[id], branches[id], u.IsActive, u.TimeZone, u.Culture, u.TwoFactorEnabled,
            u.MustChangePassword, lockedOut, u.CreatedAt, u.UpdatedAt, u.ConcurrencyStamp);
    }

    // Administrators see every user; managers the users who share one of their branches; anyone else only themselves.
    public static IQueryable<AppUser> VisibleTo(PayvandDb db, UserScope user)
    {
        if (user.IsAdmin) return db.Users;
        if (user.IsInRole(Roles.Manager))
        {
            var mine = user.BranchIds.ToList();
            return db.Users.Where(u => u.Id == user.UserId || u.Branches.Any(b => mine.Contains(b.BranchId)));
        }

        return db.Users.Where(u => u.Id == user.UserId);
    }

    // Role names (in Roles.All order) and branches of each user, empty lists for users without any.
    internal static async Task<(Dictionary<int, IReadOnlyList<string>> Roles, Dictionary<int, IReadOnlyList<BranchRef>> Branches)> RolesAndBranches(
        PayvandDb db, List<int> userIds, CancellationToken ct)
    {
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where userIds.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        var branches = await db.UserBranches.Where(b => userIds.Contains(b.UserId))
            .Select(b => new { b.UserId, b.BranchId, b.Branch!.Name }).ToListAsync(ct);
        return (
            userIds.ToDictionary(id => id, id => (IReadOnlyList<string>)roles.Where(r => r.UserId == id && r.Name != null)
                .Select(r => r.Name!).OrderBy(r => Array.IndexOf(Platform.Auth.Roles.All, r)).ToList()),
            userIds.ToDictionary(id => id, id => (IReadOnlyList<BranchRef>)branches.Where(b => b.UserId == id)
                .OrderBy(b => b.Name).Select(b => new BranchRef(b.BranchId, b.Name)).ToList()));
    }

    private static IQueryable<AppUser> Sort(IQueryable<AppUser> query, string? sort, bool desc) => (sort?.ToLowerInvariant(), desc) switch
    {
        ("email", false) => query.OrderBy(u => u.NormalizedEmail).ThenBy(u => u.Id),
        ("email", true) => query.OrderByDescending(u => u.NormalizedEmail).ThenByDescending(u => u.Id),
        ("createdat", false) => query.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id),
        ("createdat", true) => query.OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.Id),
        (_, true) => query.OrderByDescending(u => u.DisplayName).ThenByDescending(u => u.Id),
        _ => query.OrderBy(u => u.DisplayName).ThenBy(u => u.Id),
    };
}
