using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Localization;
using Payvand.Platform.Segments;

namespace Payvand.Modules.Segments;

public sealed record SegmentCount(int Count);

// Selecting people by rules over the fields modules register (ISegmentField): the field catalogue, the live count, and
// saved segments (dynamic rules and static lists) with their count and members.
public static class SegmentsModule
{
    public static IServiceCollection AddSegments(this IServiceCollection services) => services
        .AddSegmentsPermissions()
        .AddSingleton<SegmentCompiler>()
        .AddTransient<PreviewSegment>()
        .AddTransient<SegmentPeople>()
        .AddTransient<ListSegments>()
        .AddTransient<SaveSegment>()
        .AddTransient<ISegmentFilter, SegmentFilter>();

    public static IEndpointRouteBuilder MapSegments(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/segments").WithTags("Segments");
        api.MapGet("/fields", (PreviewSegment preview) => TypedResults.Ok(preview.Fields()))
            .WithSummary("The fields people can be selected by, with their operators and choices, contributed by each module")
            .RequireAuthorization(SegmentsPermissions.Read);
        api.MapPost("/preview", async (SegmentRule rule, ClaimsPrincipal me, PreviewSegment preview, CancellationToken ct) =>
                TypedResults.Ok(await preview.Handle(rule, me.Scope(), ct)))
            .WithSummary("How many people a rule selects among those the caller may see, and the newest few")
            .RequireAuthorization(SegmentsPermissions.Read);

        api.MapGet("/", async (ClaimsPrincipal me, ListSegments list, CancellationToken ct) => TypedResults.Ok(await list.Handle(me.Scope(), ct)))
            .WithSummary("The segments you may use: your own and those shared with the team, by name")
            .RequireAuthorization(SegmentsPermissions.Read);

        api.MapGet("/{id:int}", async Task<Results<Ok<SegmentDto>, NotFound>> (int id, ClaimsPrincipal me, ListSegments list, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await list.Get(id, me.Scope(), ct)))
            .WithSummary("One segment with its rule")
            .RequireAuthorization(SegmentsPermissions.Read);

        api.MapPost("/", async (SegmentInput input, ClaimsPrincipal me, SaveSegment save, ListSegments list, CancellationToken ct) =>
            {
                var id = await save.Create(input, me.Scope(), ct);
                return await Created(list, id, me, ct);
            })
            .WithSummary("Save a segment: name (unique), description, kind (Dynamic: the rule is evaluated when used; Static: frozen from the rule now), rule, isShared. A bad rule is a 400 with errors named after their place (rule.conditions[0].values)")
            .RequireAuthorization(SegmentsPermissions.Write);

        api.MapPut("/{id:int}", async Task<Results<Ok<SegmentDto>, NotFound, ForbidHttpResult>> (
                int id, SegmentInput input, ClaimsPrincipal me, SaveSegment save, ListSegments list, CancellationToken ct) =>
                await save.Update(id, input, me.Scope(), ct) switch
                {
                    SegmentOutcome.Changed => TypedResults.Ok((await list.Get(id, me.Scope(), ct))!),
                    SegmentOutcome.NotYours => TypedResults.Forbid(),
                    _ => TypedResults.NotFound(),
                })
            .WithSummary("Change a segment's name, description, sharing and (dynamic ones) rule; the kind stays. Only its creator (or an administrator) changes it: 403 otherwise")
            .RequireAuthorization(SegmentsPermissions.Write);

        api.MapDelete("/{id:int}", async Task<Results<NoContent, NotFound, ForbidHttpResult>> (int id, ClaimsPrincipal me, SaveSegment save, CancellationToken ct) =>
                await save.Delete(id, me.Scope(), ct) switch
                {
                    SegmentOutcome.Changed => TypedResults.NoContent(),
                    SegmentOutcome.NotYours => TypedResults.Forbid(),
                    _ => TypedResults.NotFound(),
                })
            .WithSummary("Delete a segment (a static list with its members). Only its creator (or an administrator): 403 otherwise")
            .RequireAuthorization(SegmentsPermissions.Delete);

        api.MapGet("/{id:int}/count", async Task<Results<Ok<SegmentCount>, NotFound>> (int id, ClaimsPrincipal me, SegmentPeople people, CancellationToken ct) =>
                await people.Count(id, me.Scope(), ct) is { } count ? TypedResults.Ok(new SegmentCount(count)) : TypedResults.NotFound())
            .WithSummary("How many people of the segment you can see, evaluated now")
            .RequireAuthorization(SegmentsPermissions.Read);

        api.MapGet("/{id:int}/members", async Task<Results<Ok<PagedResult<ContactRow>>, NotFound>> (
                int id, HttpContext http, ClaimsPrincipal me, SegmentPeople people, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var page = q.Page(["id"], "id");
                q.ThrowIfAny();
                return await people.Members(id, page, me.Scope(), ct) is { } members ? TypedResults.Ok(members) : TypedResults.NotFound();
            })
            .WithSummary("The segment's people you can see, in id order, as rows of the people list: page and pageSize, or after=<the previous page's last id>")
            .RequireAuthorization(SegmentsPermissions.Read);

        api.MapPost("/{id:int}/freeze", async Task<Results<Created<SegmentDto>, NotFound>> (
                int id, FreezeInput? input, ClaimsPrincipal me, SaveSegment save, ListSegments list, CancellationToken ct) =>
                await save.Freeze(id, input ?? new FreezeInput(), me.Scope(), ct) is { } created ? await Created(list, created, me, ct) : TypedResults.NotFound())
            .WithSummary("Freeze a segment: a new static list of its people you can see now (name: optional, the segment's with today's date)")
            .RequireAuthorization(SegmentsPermissions.Write);

        api.MapPost("/from-list", async (ListFreezeInput input, ClaimsPrincipal me, SaveSegment save, ListSegments list, CancellationToken ct) =>
            {
                var id = await save.FromList(input, me.Scope(), ct);
                return await Created(list, id, me, ct);
            })
            .WithSummary("A static list of the people of a people-list view: query is the list's query string as GET /api/contacts takes it (city=...&tag=...)")
            .RequireAuthorization(SegmentsPermissions.Write);
        return app;
    }

    // 201 with the segment just made, as its creator sees it.
    private static async Task<Created<SegmentDto>> Created(ListSegments list, int id, ClaimsPrincipal me, CancellationToken ct) =>
        TypedResults.Created($"/api/segments/{id}", (await list.Get(id, me.Scope(), ct))!);
}
