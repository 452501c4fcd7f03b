namespace Payvand.Modules.Companies;

public static class CompaniesModule
{
    public static IServiceCollection AddCompanies(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapCompanies(this IEndpointRouteBuilder app) => app;
}
