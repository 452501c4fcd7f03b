using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Segments;

namespace Payvand.Modules.Contacts;

public sealed record ChannelDto(string Key, string Name, IReadOnlyList<ContactPointKind> Kinds);

public sealed record BlockRequest(string Address, string? SenderLine = null, string? Source = null);

// Who of the people a list filter finds can be reached: the counts by reason (the people list's panel, integrations
// planning a campaign) and the pages of eligible or refused people (a sender walking its audience). The people are
// the list's own query, with the caller's branch visibility, composed into Reachability's one query.
public sealed class ReachPeople(
    IDbContextFactory<PayvandDb> dbFactory, Reachability reachability, ISegmentFilter segments, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public async Task<ReachSummary> Count(ContactFilter filter, ReachQuestion question, UserScope user, CancellationToken ct)
    {
        if (filter.Deleted) user.Require(ContactsPermissions.Delete, text["Only managers can see deleted records."]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (Unfiltered(filter))
        {
            // No filter but perhaps a branch: the narrow rows alone (the user's branches, narrowed to the one asked for).
            return await reachability.CountEveryone(db, user.VisibleBranches(filter.BranchId), question, ct);
        }

        return await reachability.Count(db, ListContacts.Query(db, filter, user, segments: segments).AsNoTracking(), question, ct);
    }

    // The filter asks for nothing but perhaps a branch.
    private static bool Unfiltered(ContactFilter filter) =>
        filter.CustomFields.Count == 0 && filter with { BranchId = null, CustomFields = NoFields } == Nothing;

    private static readonly Dictionary<string, string> NoFields = [];

    private static readonly ContactFilter Nothing = new() { CustomFields = NoFields };

    public async Task<List<ReachRow>> Page(ContactFilter filter, ReachQuestion question, bool eligible, int after, int size, UserScope user, CancellationToken ct)
    {
        if (filter.Deleted) user.Require(ContactsPermissions.Delete, text["Only managers can see deleted records."]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await reachability.Page(db, ListContacts.Query(db, filter, user, segments: segments).Select(c => c.Id), question, eligible, after, size, ct);
    }

    public async Task<List<ChannelDto>> Channels(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Channels.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Key).ToListAsync(ct);
        return rows.ConvertAll(c => new ChannelDto(c.Key, c.Name, c.PointKinds()));
    }

    public async Task Block(BlockRequest request, CancellationToken ct)
    {
        var v = new Payvand.Platform.Errors.Validator(text).Required("address", request.Address, "Address").MaxLength("address", request.Address, 200, "Address")
            .MaxLength("senderLine", request.SenderLine, 50, "Sender line").MaxLength("source", request.Source, 100, "Source");
        var email = request.Address?.Contains('@', StringComparison.Ordinal) == true;
        var address = string.IsNullOrWhiteSpace(request.Address) ? null : ContactInput.NormalizePoint(email ? ContactPointKind.Email : ContactPointKind.Mobile, request.Address);
        if (address is null && !v.HasErrors) v.Add("address", email ? "The email address is not valid." : "The phone number is not valid.");
        v.ThrowIfAny();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var line = string.IsNullOrWhiteSpace(request.SenderLine) ? null : request.SenderLine.Trim();
        if (await db.BlockedAddresses.AnyAsync(b => b.Address == address && b.SenderLine == line, ct)) return;
        Reachability.Block(db, address!, line, string.IsNullOrWhiteSpace(request.Source) ? "manual" : request.Source.Trim(), clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
    }

    internal static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/consent").WithTags("Consent");

        api.MapGet("/channels", async (ReachPeople reach, CancellationToken ct) => TypedResults.Ok(await reach.Channels(ct)))
            .WithSummary("The channels consent is kept for and messages go through, with the contact point kinds that reach each")
            .RequireAuthorization(ContactsPermissions.Read);

        api.MapPost("/eligibility", async (ReachQuestion question, HttpContext http, ClaimsPrincipal me, ReachPeople reach, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text(http));
                var filter = ContactsModule.ReadFilter(q);
                q.ThrowIfAny();
                return TypedResults.Ok(await reach.Count(filter, question, me.Scope(), ct));
            })
            .WithSummary("How many of the people the list filters find (query string as GET /api/contacts) may receive a message on a channel for a purpose from a sender line at an instant (default now), and how many may not, by reason")
            .RequireAuthorization(ContactsPermissions.Read);

        api.MapPost("/eligibility/people", async (ReachQuestion question, HttpContext http, ClaimsPrincipal me, ReachPeople reach, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text(http));
                var filter = ContactsModule.ReadFilter(q);
                var refused = q.Bool("refused");
                var after = q.Number("after") ?? 0;
                var size = q.Number("pageSize") ?? 1000;
                q.ThrowIfAny();
                return TypedResults.Ok(await reach.Page(filter, question, !refused, after, size, me.Scope(), ct));
            })
            .WithSummary("A page of the eligible people with the address to use (or with refused=true the others with their reason), in id order: after=<last id of the previous page>, pageSize up to 5000")
            .RequireAuthorization(ContactsPermissions.Export);

        api.MapPost("/blocked", async Task<NoContent> (BlockRequest request, ReachPeople reach, CancellationToken ct) =>
            {
                await reach.Block(request, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Block an address (a mobile or email) from promotional messages on one sender line, or on every line without senderLine")
            .RequireAuthorization(ContactsPermissions.Write);

        static IStringLocalizer<SharedResource> text(HttpContext http) => http.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
    }
}
