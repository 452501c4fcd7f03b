using Payvand.Platform.Auth;

namespace Payvand.Modules.Dashboard;

// The dashboard; the roles that hold it are data (see RolePermissions), these are the defaults.
public static class DashboardPermissions
{
    public const string Read = "dashboard.read";

    internal static IServiceCollection AddDashboardPermissions(this IServiceCollection services) => services.AddPermissions("dashboard", "Dashboard",
        new Permission(Read, "See the dashboard's figures", Roles.All));
}
