namespace Payvand.Modules.Search;

public static class SearchModule
{
    public static IServiceCollection AddSearch(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder app) => app;
}
