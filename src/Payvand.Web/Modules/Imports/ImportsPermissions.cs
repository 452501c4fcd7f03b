using Payvand.Platform.Auth;

namespace Payvand.Modules.Imports;

// Imports and background exports; the roles that hold each are data (see RolePermissions), these are the defaults.
public static class ImportsPermissions
{
    public const string Import = "imports.import";
    public const string Export = "imports.export";

    internal static IServiceCollection AddImportsPermissions(this IServiceCollection services) => services.AddPermissions("imports", "Import",
        new Permission(Import, "Import people and purchases from files", Roles.All),
        new Permission(Export, "Export lists in the background and download them", Roles.All));
}
