namespace Payvand.Modules.CustomFields;

public static class CustomFieldsModule
{
    public static IServiceCollection AddCustomFields(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapCustomFields(this IEndpointRouteBuilder app) => app;
}
