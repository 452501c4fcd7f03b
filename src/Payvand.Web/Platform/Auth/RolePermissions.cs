using System.Collections.Frozen;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Settings;

namespace Payvand.Platform.Auth;

// Which role holds which permission: rows of AspNetRoleClaims with claim type "permission", edited by administrators
// (SetRolePermissions). Read on every request from a map kept in memory, dropped at once when this instance saves a
// change and reloaded after a few seconds otherwise (another instance's change). Unknown names in the table are ignored.
public sealed class RolePermissions(IDbContextFactory<PayvandDb> dbFactory, PermissionCatalog catalog, TimeProvider clock) : IDisposable
{
    public const string ClaimType = "permission";

    // Permissions already given to their default roles once; a permission missing here is seeded at start.
    public const string SeededKey = "permissions.seeded";

    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim loading = new(1, 1);
    private volatile Snapshot? current;

    private sealed record Snapshot(FrozenDictionary<string, FrozenSet<string>> ByRole, DateTimeOffset LoadedAt);

    public async ValueTask<IReadOnlyDictionary<string, FrozenSet<string>>> Map(CancellationToken ct)
    {
        var snapshot = current;
        if (snapshot is not null && clock.GetUtcNow() - snapshot.LoadedAt < Lifetime) return snapshot.ByRole;
        await loading.WaitAsync(ct);
        try
        {
            snapshot = current;
            if (snapshot is not null && clock.GetUtcNow() - snapshot.LoadedAt < Lifetime) return snapshot.ByRole;
            snapshot = new Snapshot(await Load(ct), clock.GetUtcNow());
            current = snapshot;
            return snapshot.ByRole;
        }
        finally
        {
            loading.Release();
        }
    }

    public void Invalidate() => current = null;

    public void Dispose() => loading.Dispose();

    // The permissions the roles hold together.
    public async ValueTask<FrozenSet<string>> Of(IEnumerable<string> roles, CancellationToken ct)
    {
        var map = await Map(ct);
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            if (map.TryGetValue(role, out var permissions)) held.UnionWith(permissions);
        }

        return held.ToFrozenSet(StringComparer.Ordinal);
    }

    public async ValueTask<bool> Allows(ClaimsPrincipal user, string permission, CancellationToken ct)
    {
        if (user.Identity?.IsAuthenticated != true) return false;
        var map = await Map(ct);
        foreach (var role in user.FindAll(ClaimTypes.Role))
        {
            if (map.TryGetValue(role.Value, out var permissions) && permissions.Contains(permission)) return true;
        }

        return false;
    }

    // The scope with the permissions its roles hold now (pages, and jobs that run as the user who queued them).
    public async Task<UserScope> Resolve(UserScope user, CancellationToken ct) =>
        user.HasAllPermissions ? user : user with { Permissions = await Of(user.Roles, ct) };

    private async Task<FrozenDictionary<string, FrozenSet<string>>> Load(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.RoleClaims.AsNoTracking()
            .Where(c => c.ClaimType == ClaimType)
            .Join(db.Roles, c => c.RoleId, r => r.Id, (c, r) => new { Role = r.Name!, Permission = c.ClaimValue! })
            .ToListAsync(ct);
        var byRole = rows.Where(r => catalog.Find(r.Permission) is not null)
            .GroupBy(r => r.Role, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Permission).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var admin = byRole.TryGetValue(Roles.Admin, out var held) ? held : byRole[Roles.Admin] = new HashSet<string>(StringComparer.Ordinal);
        admin.UnionWith(catalog.All.Where(p => p.KeptByAdmin).Select(p => p.Name));
        return byRole.ToFrozenDictionary(r => r.Key, r => r.Value.ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    // At start: a declared permission that was never seeded goes to its default roles (a new module's permissions on
    // an existing database, or all of them on a new one). One an administrator took away later is not given back.
    public static async Task SeedDefaults(IServiceProvider services, CancellationToken ct)
    {
        var catalog = services.GetRequiredService<PermissionCatalog>();
        await using var db = await services.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync(ct);
        var row = await db.Settings.SingleOrDefaultAsync(s => s.Key == SeededKey, ct);
        var seeded = row is null ? [] : JsonSerializer.Deserialize<List<string>>(row.Value, AuditJson.Options) ?? [];
        var missing = catalog.All.Where(p => !seeded.Contains(p.Name, StringComparer.Ordinal)).ToList();
        if (missing.Count == 0) return;

        var roles = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, StringComparer.Ordinal, ct);
        var existing = (await db.RoleClaims.Where(c => c.ClaimType == ClaimType).Select(c => new { c.RoleId, c.ClaimValue }).ToListAsync(ct))
            .Select(c => (c.RoleId, c.ClaimValue)).ToHashSet();
        foreach (var permission in missing)
        {
            foreach (var role in permission.DefaultRoles)
            {
                if (roles.TryGetValue(role, out var roleId) && existing.Add((roleId, permission.Name)))
                {
                    db.RoleClaims.Add(new IdentityRoleClaim<int> { RoleId = roleId, ClaimType = ClaimType, ClaimValue = permission.Name });
                }
            }
        }

        var json = JsonSerializer.Serialize(seeded.Concat(missing.Select(p => p.Name)).Order(StringComparer.Ordinal).ToList(), AuditJson.Options);
        if (row is null) db.Settings.Add(new AppSetting { Key = SeededKey, Value = json });
        else row.Value = json;
        await db.SaveChangesAsync(ct);
        services.GetRequiredService<RolePermissions>().Invalidate();
    }
}

// Puts the permissions the caller's roles hold now on the request's principal (claims of type "permission"), so
// UserScope.From(principal) knows them. Claims of that type from anywhere else (the sign-in cookie, an access
// token's cached identity) are dropped first: only the current map counts.
public sealed class PermissionClaims(RolePermissions map) : IClaimsTransformation
{
    private const string AuthenticationType = "payvand:permissions";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return principal;
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        var permissions = await map.Of(roles, CancellationToken.None);
        var identities = principal.Identities
            .Where(i => i.AuthenticationType != AuthenticationType)
            .Select(i => i.HasClaim(c => c.Type == RolePermissions.ClaimType) ? Without(i) : i)
            .ToList();
        identities.Add(new ClaimsIdentity(permissions.Select(p => new Claim(RolePermissions.ClaimType, p)), AuthenticationType));
        return new ClaimsPrincipal(identities);
    }

    private static ClaimsIdentity Without(ClaimsIdentity identity)
    {
        var copy = identity.Clone();
        foreach (var claim in copy.FindAll(RolePermissions.ClaimType).ToList()) copy.RemoveClaim(claim);
        return copy;
    }
}
