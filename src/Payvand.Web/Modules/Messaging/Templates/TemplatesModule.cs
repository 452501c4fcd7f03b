using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Messaging.Templates;

// Message templates (قالب پیام) of every channel: registration and /api/templates. The editor injects the same handlers;
// the sending core renders through MessageTemplates.
public static class TemplatesModule
{
    public static IServiceCollection AddMessageTemplates(this IServiceCollection services) => services
        .AddTemplatesPermissions()
        .AddTransient<MessageTemplates>()
        .AddTransient<ListTemplates>()
        .AddTransient<SaveTemplate>()
        .AddTransient<PreviewTemplate>();

    public static IEndpointRouteBuilder MapMessageTemplates(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/templates").WithTags("Message templates");

        api.MapGet("/", async (HttpContext http, ListTemplates list, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var channel = q.Text("channel");
                var includeArchived = q.Bool("includeArchived");
                q.ThrowIfAny();
                return TypedResults.Ok(await list.Handle(channel, includeArchived, ct));
            })
            .WithSummary("Message templates by channel and name: channel=sms|email|..., includeArchived=true for archived ones too")
            .Produces<List<TemplateDto>>()
            .RequireAuthorization(TemplatesPermissions.Read);

        api.MapGet("/{id:int}", async Task<Results<Ok<TemplateDto>, NotFound>> (int id, ListTemplates list, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await list.Get(id, ct)))
            .WithSummary("One message template")
            .RequireAuthorization(TemplatesPermissions.Read);

        api.MapPost("/", async (TemplateInput input, SaveTemplate save, ListTemplates list, CancellationToken ct) =>
            {
                var id = await save.Create(input, ct);
                return TypedResults.Created($"/api/templates/{id}", await list.Get(id, ct));
            })
            .WithSummary("Write a template (Liquid). A syntax error, an unknown person field or filter is a 400 field error on subject, body or htmlBody, with the line and column")
            .RequireAuthorization(TemplatesPermissions.Write);

        api.MapPut("/{id:int}", async Task<Results<Ok<TemplateDto>, NotFound>> (int id, TemplateInput input, SaveTemplate save, ListTemplates list, CancellationToken ct) =>
                await save.Update(id, input, ct) ? TypedResults.Ok((await list.Get(id, ct))!) : TypedResults.NotFound())
            .WithSummary("Change a template; send the version you read (stale: 409)")
            .RequireAuthorization(TemplatesPermissions.Write);

        api.MapDelete("/{id:int}", async Task<Results<NoContent, NotFound>> (int id, SaveTemplate save, CancellationToken ct) =>
                await save.Archive(id, true, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Archive a template: kept, no longer listed (includeArchived=true lists it) or rendered")
            .RequireAuthorization(TemplatesPermissions.Write);

        api.MapPost("/{id:int}/restore", async Task<Results<NoContent, NotFound>> (int id, SaveTemplate save, CancellationToken ct) =>
                await save.Archive(id, false, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Bring an archived template back")
            .RequireAuthorization(TemplatesPermissions.Write);

        api.MapPost("/{id:int}/preview", async Task<Results<Ok<PreviewTemplate.Response>, NotFound>> (
                int id, PreviewTemplate.Request request, ClaimsPrincipal me, PreviewTemplate preview, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await preview.Saved(id, request, me.Scope(), ct)))
            .WithSummary("Render a saved template for a person you can see (personId) in fa or en (culture), with the sender's values: the text, its SMS parts, or the template's errors")
            .RequireAuthorization(TemplatesPermissions.Read);

        api.MapPost("/preview", async (PreviewTemplate.DraftRequest request, ClaimsPrincipal me, PreviewTemplate preview, CancellationToken ct) =>
                TypedResults.Ok(await preview.Draft(request, me.Scope(), ct)))
            .WithSummary("Render a template that is not saved (channel, subject, body, htmlBody) for a person, as POST /api/templates/{id}/preview does")
            .RequireAuthorization(TemplatesPermissions.Read);
        return app;
    }
}
