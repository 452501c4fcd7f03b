using Payvand.Platform.Auth;

namespace Payvand.Modules.Companies;

// What may be done to companies; the roles that hold each are data (see RolePermissions), these are the defaults.
public static class CompaniesPermissions
{
    public const string Read = "companies.read";
    public const string Write = "companies.write";
    public const string Delete = "companies.delete";
    public const string Export = "companies.export";

    internal static IServiceCollection AddCompaniesPermissions(this IServiceCollection services) => services.AddPermissions("companies", "Companies",
        new Permission(Read, "See companies and their people", Roles.All),
        new Permission(Write, "Create and change companies", Roles.All),
        new Permission(Delete, "Delete and restore companies, see deleted ones", Roles.Admin, Roles.Manager),
        new Permission(Export, "Export companies", Roles.All));
}
