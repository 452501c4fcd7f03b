namespace Payvand.Modules.Organization;

public static class OrganizationModule
{
    public static IServiceCollection AddOrganization(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapOrganization(this IEndpointRouteBuilder app) => app;
}
