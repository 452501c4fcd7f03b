using System.Globalization;
using System.Security.Claims;
using Payvand.Platform.Auth;
using Payvand.Platform.Search;

namespace Payvand.Modules.Search;

// Global search: the handler over the sources modules register (ISearchSource), and GET /api/search.
public static class SearchModule
{
    public static IServiceCollection AddSearch(this IServiceCollection services) => services
        .AddSearchPermissions()
        .AddTransient<GlobalSearch>();

    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/search").WithTags("Search").RequireAuthorization(SearchPermissions.Use)
            .MapGet("/", async (string? q, int? limit, ClaimsPrincipal me, GlobalSearch search, CancellationToken ct) =>
                TypedResults.Ok(await search.Handle(q, limit ?? GlobalSearch.DefaultLimit, me.Scope(), ct)))
            .WithSummary(string.Create(CultureInfo.InvariantCulture,
                $"Search people and companies by name, phone (any format), email, national code or ID; q of at least {SearchQuery.MinLength} characters, limit up to {GlobalSearch.MaxLimit} (default {GlobalSearch.DefaultLimit})"));
        return app;
    }
}
