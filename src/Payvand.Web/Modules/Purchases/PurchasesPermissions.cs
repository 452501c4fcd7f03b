using Payvand.Platform.Auth;

namespace Payvand.Modules.Purchases;

// What may be done to purchases and products; the roles that hold each are data (see RolePermissions), these are the defaults.
public static class PurchasesPermissions
{
    public const string Read = "purchases.read";
    public const string Write = "purchases.write";
    public const string Catalog = "purchases.catalog";
    public const string Export = "purchases.export";

    internal static IServiceCollection AddPurchasesPermissions(this IServiceCollection services) => services.AddPermissions("purchases", "Purchases",
        new Permission(Read, "See purchases and products", Roles.All),
        new Permission(Write, "Record and refund purchases", Roles.All),
        new Permission(Catalog, "Add and change products and categories", Roles.All),
        // A file of every purchase is the business's revenue and who bought: those who run branches and campaigns.
        new Permission(Export, "Export purchases", Roles.Admin, Roles.Manager, Roles.Marketing));
}
