using Payvand.Platform.Auth;

namespace Payvand.Modules.Contacts;

// What may be done to people; the roles that hold each are data (see RolePermissions), these are the defaults.
public static class ContactsPermissions
{
    public const string Read = "contacts.read";
    public const string Write = "contacts.write";
    public const string Delete = "contacts.delete";
    public const string Export = "contacts.export";
    public const string Merge = "contacts.merge";
    public const string PersonalData = "contacts.personal-data";
    public const string Erase = "contacts.erase";
    public const string PrivacyMap = "contacts.privacy-map";

    internal static IServiceCollection AddContactsPermissions(this IServiceCollection services) => services.AddPermissions("contacts", "People",
        new Permission(Read, "See people, their consent and duplicates", Roles.All),
        new Permission(Write, "Create and change people, record consent", Roles.All),
        new Permission(Delete, "Delete and restore people, see deleted ones", Roles.Admin, Roles.Manager),
        new Permission(Export, "Export people", Roles.All),
        new Permission(Merge, "Merge duplicate people", Roles.Admin, Roles.Manager),
        new Permission(PersonalData, "Export everything held about a person", Roles.Admin, Roles.Manager),
        new Permission(Erase, "Erase a person's data", Roles.Admin),
        new Permission(PrivacyMap, "See the personal data map", Roles.Admin));
}
