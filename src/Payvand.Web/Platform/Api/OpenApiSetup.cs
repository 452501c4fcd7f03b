using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Payvand.Platform.Api;

public static class OpenApiSetup
{
    public static IServiceCollection AddPayvandOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o =>
        {
            // A nested type is named with its declaring type (SendMessageRequest, SaveBranchRequest): use cases each have a
            // Request, and by their own name alone they were one schema, so most request bodies showed another's fields.
            o.CreateSchemaReferenceId = type => OpenApiOptions.CreateDefaultSchemaReferenceId(type) is { } id && type.Type.IsNested
                ? type.Type.DeclaringType!.Name + id
                : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Payvand API",
                    Version = "v1",
                    Description = "REST API of Payvand CRM. Authenticate with a personal access token: Authorization: Bearer pv_... " +
                        "(create one in the UI: account menu > Security and access tokens, or POST /api/auth/token).",
                };
                return Task.CompletedTask;
            });
            // Endpoints marked WithIdempotency take the optional Idempotency-Key header.
            o.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotentEndpoint>().Any())
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = IdempotencyFilter.Header,
                        In = ParameterLocation.Header,
                        Required = false,
                        Description = "A unique key per intended request (e.g. a UUID). Retries with the same key and body get the first response " +
                            "(header Idempotent-Replayed: true); the same key with another body is 422; while the first is running, 409. Kept 24 hours.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyFilter.MaxKeyLength },
                    });
                }

                return Task.CompletedTask;
            });
        });
}
