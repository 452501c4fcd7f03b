using Payvand.Platform.Auth;

namespace Payvand.Modules.CustomFields;

// Custom fields; the roles that hold each are data (see RolePermissions), these are the defaults.
public static class CustomFieldsPermissions
{
    public const string Read = "custom-fields.read";
    public const string Manage = "custom-fields.manage";

    internal static IServiceCollection AddCustomFieldsPermissions(this IServiceCollection services) => services.AddPermissions("custom-fields", "Custom fields",
        new Permission(Read, "See the custom fields", Roles.All),
        new Permission(Manage, "Define, change and delete custom fields", Roles.Admin));
}
