using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Organization;

public sealed record RolePermissionsDto(string Name, string Label, IReadOnlyList<string> Permissions);

public sealed record PermissionDto(string Name, string Label, IReadOnlyList<string> DefaultRoles, bool KeptByAdmin);

public sealed record ModulePermissionsDto(string Module, string Label, IReadOnlyList<PermissionDto> Permissions);

// The roles with the permissions each holds (read from the database, not the cache), and every permission the
// modules declare, grouped by module, with labels in the caller's language.
public sealed class ListRoles(IDbContextFactory<PayvandDb> dbFactory, PermissionCatalog catalog, IStringLocalizer<SharedResource> text)
{
    public async Task<List<RolePermissionsDto>> Handle(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var roles = await db.Roles.AsNoTracking().Select(r => new { r.Id, Name = r.Name! }).ToListAsync(ct);
        var claims = await db.RoleClaims.AsNoTracking().Where(c => c.ClaimType == RolePermissions.ClaimType)
            .Select(c => new { c.RoleId, c.ClaimValue }).ToListAsync(ct);
        var order = catalog.All.Select((p, i) => (p.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        return roles
            .OrderBy(r => Array.IndexOf(Roles.All, r.Name) is var i and >= 0 ? i : int.MaxValue).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select(r =>
            {
                var held = claims.Where(c => c.RoleId == r.Id && c.ClaimValue is not null && order.ContainsKey(c.ClaimValue)).Select(c => c.ClaimValue!);
                if (r.Name == Roles.Admin) held = held.Concat(catalog.All.Where(p => p.KeptByAdmin).Select(p => p.Name));
                return new RolePermissionsDto(r.Name, text["Role." + r.Name], [.. held.Distinct(StringComparer.Ordinal).OrderBy(p => order[p])]);
            })
            .ToList();
    }

    public async Task<RolePermissionsDto?> Get(string role, CancellationToken ct) =>
        (await Handle(ct)).SingleOrDefault(r => string.Equals(r.Name, role, StringComparison.OrdinalIgnoreCase));

    public List<ModulePermissionsDto> Permissions() =>
    [
        .. catalog.Groups.Select(g => new ModulePermissionsDto(g.Module, text[g.Label],
            [.. g.Permissions.Select(p => new PermissionDto(p.Name, text[p.Label], p.DefaultRoles, p.KeptByAdmin))])),
    ];
}
