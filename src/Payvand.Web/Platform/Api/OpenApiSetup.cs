using Microsoft.OpenApi;

namespace Payvand.Platform.Api;

public static class OpenApiSetup
{
    public static IServiceCollection AddPayvandOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Payvand API",
                    Version = "v1",
                    Description = "REST API of Payvand CRM. Authenticate with a personal access token: Authorization: Bearer pv_... " +
                        "(create one in the UI under Account > Access tokens, or POST /api/auth/token).",
                };
                return Task.CompletedTask;
            });
        });
}
