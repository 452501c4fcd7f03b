using Payvand.Platform.Auth;

namespace Payvand.Modules.Messaging;

// What may be done with messages and SMS channels; the roles that hold each are data (see RolePermissions).
public static class MessagingPermissions
{
    public const string Read = "messaging.read";
    public const string Send = "messaging.send";
    public const string Manage = "messaging.manage";
    public const string Channels = "messaging.channels";

    internal static IServiceCollection AddMessagingPermissions(this IServiceCollection services) => services.AddPermissions("messaging", "Messaging",
        new Permission(Read, "See the message log", Roles.Admin, Roles.Manager, Roles.Marketing, Roles.Support),
        new Permission(Send, "Send a message to a person", Roles.All),
        new Permission(Manage, "Cancel and resend messages", Roles.Admin, Roles.Manager, Roles.Marketing),
        // Gateway accounts hold the business's credentials and cost money.
        new Permission(Channels, "Configure SMS channels and their credentials", Roles.Admin));
}
