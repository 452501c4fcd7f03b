namespace Payvand.Modules.Activities;

public static class ActivitiesModule
{
    public static IServiceCollection AddActivities(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapActivities(this IEndpointRouteBuilder app) => app;
}
