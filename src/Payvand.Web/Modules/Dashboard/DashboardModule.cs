using System.Security.Claims;
using Payvand.Platform.Auth;

namespace Payvand.Modules.Dashboard;

public static class DashboardModule
{
    public static IServiceCollection AddDashboard(this IServiceCollection services) => services
        .AddDashboardPermissions()
        .AddSingleton<DashboardCounts>()
        .AddTransient<DashboardSummary>();

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboard", async (ClaimsPrincipal me, DashboardSummary summary, CancellationToken ct) =>
                TypedResults.Ok(await summary.Handle(me.Scope(), ct)))
            .WithTags("Dashboard")
            .WithSummary("Counts of people, companies and recent activity (counted at most every 5 minutes), the caller's follow-ups due, the newest people")
            .RequireAuthorization(DashboardPermissions.Read);
        return app;
    }
}
