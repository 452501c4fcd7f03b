using Payvand.Platform.Auth;

namespace Payvand.Modules.Activities;

// What may be done on timelines; the roles that hold each are data (see RolePermissions), these are the defaults.
public static class ActivitiesPermissions
{
    public const string Read = "activities.read";
    public const string Write = "activities.write";
    public const string Manage = "activities.manage";

    internal static IServiceCollection AddActivitiesPermissions(this IServiceCollection services) => services.AddPermissions("activities", "Timeline",
        new Permission(Read, "See timelines", Roles.All),
        new Permission(Write, "Log notes, calls and meetings, and correct one's own", Roles.All),
        new Permission(Manage, "Correct and delete anyone's logged activities", Roles.Admin, Roles.Manager));
}
