using Payvand.Platform.Auth;

namespace Payvand.Modules.Messaging.Automations;

// What may be done with automations; the roles that hold each are data (see RolePermissions), these are the defaults.
public static class AutomationsPermissions
{
    public const string Read = "automations.read";
    public const string Write = "automations.write";

    internal static IServiceCollection AddAutomationsPermissions(this IServiceCollection services) => services.AddPermissions("automations", "Automations",
        new Permission(Read, "See automations and what they sent", Roles.Admin, Roles.Manager, Roles.Marketing),
        // An automation sends by itself to many people: those who plan messages.
        new Permission(Write, "Create, change and switch automations on and off", Roles.Admin, Roles.Manager, Roles.Marketing));
}
