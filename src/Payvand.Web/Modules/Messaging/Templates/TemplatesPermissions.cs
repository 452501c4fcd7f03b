using Payvand.Platform.Auth;

namespace Payvand.Modules.Messaging.Templates;

// What may be done to message templates; the roles that hold each are data (see RolePermissions), these are the defaults.
public static class TemplatesPermissions
{
    public const string Read = "templates.read";
    public const string Write = "templates.write";

    internal static IServiceCollection AddTemplatesPermissions(this IServiceCollection services) => services.AddPermissions("templates", "Message templates",
        // Reading includes previewing against a person the reader can see; those who send messages or plan them.
        new Permission(Read, "See and preview message templates", Roles.Admin, Roles.Manager, Roles.Marketing, Roles.Sales),
        new Permission(Write, "Write and archive message templates", Roles.Admin, Roles.Manager, Roles.Marketing));
}
