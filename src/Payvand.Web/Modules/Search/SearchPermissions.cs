using Payvand.Platform.Auth;

namespace Payvand.Modules.Search;

// Global search; the roles that hold it are data (see RolePermissions), these are the defaults.
public static class SearchPermissions
{
    public const string Use = "search.use";

    internal static IServiceCollection AddSearchPermissions(this IServiceCollection services) => services.AddPermissions("search", "Search",
        new Permission(Use, "Search people and companies", Roles.All));
}
