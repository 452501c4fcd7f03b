using Payvand.Platform.Auth;

namespace Payvand.Modules.Organization;

// Administration; the roles that hold each are data (see RolePermissions), these are the defaults.
public static class OrganizationPermissions
{
    public const string Branches = "organization.branches";
    public const string ViewUsers = "organization.users.read";
    public const string Users = "organization.users";
    public const string Audit = "organization.audit";
    public const string Settings = "organization.settings";
    public const string Roles = "organization.roles";

    internal static IServiceCollection AddOrganizationPermissions(this IServiceCollection services) => services.AddPermissions("organization", "Administration",
        new Permission(Branches, "Manage branches", Platform.Auth.Roles.Admin),
        new Permission(ViewUsers, "See users (a manager: those of their branches)", Platform.Auth.Roles.Admin, Platform.Auth.Roles.Manager),
        new Permission(Users, "Create and change users, reset passwords", Platform.Auth.Roles.Admin),
        new Permission(Audit, "See the audit log", Platform.Auth.Roles.Admin),
        new Permission(Settings, "Change the business settings", Platform.Auth.Roles.Admin),
        new Permission(Roles, "Manage roles and their permissions", Platform.Auth.Roles.Admin) { KeptByAdmin = true });
}
