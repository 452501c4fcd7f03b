using System.Collections.Frozen;
using Microsoft.AspNetCore.Authorization;

namespace Payvand.Platform.Auth;

// One action right a module declares: its name (module.action, also the name of its authorization policy), its
// label (the English text, a key of SharedResource; the Persian is in SharedResource.fa.resx) and the roles that
// hold it until an administrator changes them. The roles' actual rights are data (AspNetRoleClaims, see RolePermissions).
public sealed record Permission(string Name, string Label, params string[] DefaultRoles)
{
    // Administrators keep this one whatever an edit says, so nobody can lock everyone out.
    public bool KeptByAdmin { get; init; }
}

// The permissions of one module, shown together (under the module's label) on the roles page.
public sealed record PermissionGroup(string Module, string Label, IReadOnlyList<Permission> Permissions);

public static class PermissionRegistration
{
    // Called by each module's Add<Module>(): declares its permissions and registers a policy for each, so
    // RequireAuthorization(XPermissions.Write) and [Authorize(Policy = XPermissions.Write)] check them.
    public static IServiceCollection AddPermissions(this IServiceCollection services, string module, string label, params Permission[] permissions)
    {
        foreach (var permission in permissions)
        {
            if (!permission.Name.StartsWith(module + ".", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Permission {permission.Name} must start with its module's name, {module}.");
            }

            if (permission.DefaultRoles.Except(Roles.All).FirstOrDefault() is { } unknown)
            {
                throw new InvalidOperationException($"Permission {permission.Name} names an unknown role, {unknown}.");
            }
        }

        services.AddSingleton(new PermissionGroup(module, label, permissions));
        services.AddOptions<AuthorizationOptions>().Configure(o =>
        {
            foreach (var permission in permissions)
            {
                o.AddPolicy(permission.Name, p => p.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(permission.Name)));
            }
        });
        return services;
    }
}

// Every declared permission, in the order the modules were added.
public sealed class PermissionCatalog
{
    private readonly FrozenDictionary<string, Permission> byName;

    public PermissionCatalog(IEnumerable<PermissionGroup> groups)
    {
        Groups = [.. groups];
        All = [.. Groups.SelectMany(g => g.Permissions)];
        var duplicate = All.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Permission {duplicate.Key} is declared twice.");
        byName = All.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<PermissionGroup> Groups { get; }

    public IReadOnlyList<Permission> All { get; }

    public Permission? Find(string name) => byName.GetValueOrDefault(name);
}

public sealed record PermissionRequirement(string Permission) : IAuthorizationRequirement;

// Succeeds when one of the user's roles holds the permission now (read from the cached map, not from the sign-in
// cookie), so an administrator's change applies to the next request and the next render of a page.
public sealed class PermissionHandler(RolePermissions map) : AuthorizationHandler<PermissionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (await map.Allows(context.User, requirement.Permission, CancellationToken.None)) context.Succeed(requirement);
    }
}
