using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Organization;

// Sets the permissions of one role: the list sent replaces the role's list. Unknown names are field errors (400);
// Admin always keeps the permissions marked KeptByAdmin (managing roles), so nobody can lock everyone out.
// The change is audited (entity Role, field Permissions) and applies to the role's members at their next request.
public static class SetRolePermissions
{
    public const string AuditEntity = "Role";

    public sealed record Request(IReadOnlyList<string>? Permissions);

    public sealed class Handler(
        IDbContextFactory<PayvandDb> dbFactory, PermissionCatalog catalog, RolePermissions map, IStringLocalizer<SharedResource> text,
        CurrentUserAccessor currentUser, TimeProvider clock)
    {
        // False when there is no such role.
        public async Task<bool> Handle(string roleName, Request request, UserScope actor, CancellationToken ct)
        {
            UserRules.Require(actor, OrganizationPermissions.Roles, text);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var normalized = roleName.ToUpperInvariant();
            var role = await db.Roles.SingleOrDefaultAsync(r => r.NormalizedName == normalized, ct);
            if (role is null) return false;

            var v = new Validator(text);
            var wanted = new List<string>();
            foreach (var name in request.Permissions ?? [])
            {
                var permission = catalog.Find(name?.Trim() ?? "");
                if (permission is null) v.Add("permissions", "There is no permission named {0}.", name ?? "");
                else if (!wanted.Contains(permission.Name)) wanted.Add(permission.Name);
            }

            if (role.Name == Roles.Admin)
            {
                foreach (var kept in catalog.All.Where(p => p.KeptByAdmin && !wanted.Contains(p.Name)))
                {
                    v.Add("permissions", "Administrators always keep the permission \"{0}\".", text[kept.Label]);
                }
            }

            v.ThrowIfAny();

            var current = await db.RoleClaims.Where(c => c.RoleId == role.Id && c.ClaimType == RolePermissions.ClaimType).ToListAsync(ct);
            var before = Ordered(current.Select(c => c.ClaimValue!).Where(p => catalog.Find(p) is not null));
            var after = Ordered(wanted);
            if (before.SequenceEqual(after) && current.Count == before.Count) return true;

            db.RoleClaims.RemoveRange(current);
            db.RoleClaims.AddRange(after.Select(p => new IdentityRoleClaim<int> { RoleId = role.Id, ClaimType = RolePermissions.ClaimType, ClaimValue = p }));
            db.Audit.Add(UserRules.AuditChanges(actor, currentUser.IpAddress, clock.GetUtcNow().UtcDateTime, AuditEntity, role.Name!,
                [new FieldChange("Permissions", string.Join(", ", before), string.Join(", ", after))]));
            await db.SaveChangesAsync(ct);
            map.Invalidate();
            return true;
        }

        // Declaration order, without duplicates.
        private List<string> Ordered(IEnumerable<string> names)
        {
            var set = names.ToHashSet(StringComparer.Ordinal);
            return [.. catalog.All.Select(p => p.Name).Where(set.Contains)];
        }
    }

    internal static void Map(IEndpointRouteBuilder app)
    {
        var roles = app.MapGroup("/api/roles").WithTags("Roles and permissions");
        roles.MapGet("/", async (ListRoles list, CancellationToken ct) => TypedResults.Ok(await list.Handle(ct)))
            .WithSummary("The roles, each with the permissions it holds")
            .RequireAuthorization(OrganizationPermissions.Roles);
        roles.MapGet("/{name}", async Task<Results<Ok<RolePermissionsDto>, NotFound>> (string name, ListRoles list, CancellationToken ct) =>
                await list.Get(name, ct) is { } role ? TypedResults.Ok(role) : TypedResults.NotFound())
            .WithSummary("One role with the permissions it holds")
            .RequireAuthorization(OrganizationPermissions.Roles);
        roles.MapPut("/{name}/permissions", async Task<Results<Ok<RolePermissionsDto>, NotFound>> (
                string name, Request request, ClaimsPrincipal me, Handler handler, ListRoles list, CancellationToken ct) =>
                await handler.Handle(name, request, me.Scope(), ct) ? TypedResults.Ok((await list.Get(name, ct))!) : TypedResults.NotFound())
            .WithSummary("Set the permissions of a role (the list replaces the role's; names from GET /api/permissions); it applies to the role's members at their next request")
            .RequireAuthorization(OrganizationPermissions.Roles);

        app.MapGet("/api/permissions", (ListRoles list) => TypedResults.Ok(list.Permissions()))
            .WithTags("Roles and permissions")
            .WithSummary("Every permission the modules declare, grouped by module, with labels in your language and the roles that hold it by default")
            .RequireAuthorization(OrganizationPermissions.Roles);
    }
}
