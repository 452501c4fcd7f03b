using System.Security.Claims;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Segments;

namespace Payvand.Modules.Segments;

// Selecting people by rules over the fields modules register (ISegmentField): the field catalogue and the live count.
public static class SegmentsModule
{
    public static IServiceCollection AddSegments(this IServiceCollection services) => services
        .AddSingleton<SegmentCompiler>()
        .AddTransient<PreviewSegment>();

    public static IEndpointRouteBuilder MapSegments(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/segments").WithTags("Segments").RequireAuthorization(ContactsPermissions.Read);
        api.MapGet("/fields", (PreviewSegment preview) => TypedResults.Ok(preview.Fields()))
            .WithSummary("The fields people can be selected by, with their operators and choices, contributed by each module");
        api.MapPost("/preview", async (SegmentRule rule, ClaimsPrincipal me, PreviewSegment preview, CancellationToken ct) =>
                TypedResults.Ok(await preview.Handle(rule, me.Scope(), ct)))
            .WithSummary("How many people a rule selects among those the caller may see, and the newest few");
        return app;
    }
}
