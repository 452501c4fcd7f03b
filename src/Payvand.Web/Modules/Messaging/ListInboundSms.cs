using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Messaging;

// The filters of the inbound SMS list: the line it came to, whether it is matched to a person, what Payvand did.
public sealed record InboundSmsFilter
{
    public string? Line { get; init; }

    public bool? HasPerson { get; init; }

    public InboundSmsAction? Action { get; init; }
}

// An inbound SMS as GET /api/messages/inbound and the inbound page show it.
public sealed record InboundSmsView(
    long Id, int? ChannelId, string Line, string From, string Text, DateTime ReceivedAt, long? ProviderMessageId,
    int? ContactId, string? ContactName, InboundSmsAction Action);

// The SMS received on the sender lines, newest first, a page at a time: those of people the caller can see and those
// from numbers that are nobody's (yet); permission as the message log's.
public sealed class ListInboundSms(IDbContextFactory<PayvandDb> dbFactory)
{
    public static readonly string[] SortFields = ["receivedAt"];

    public async Task<PagedResult<InboundSmsView>> Handle(InboundSmsFilter filter, PageRequest page, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = db.Contacts.VisibleTo(user).Select(c => c.Id);
        var query = db.Set<InboundSms>().AsNoTracking().Where(m => m.ContactId == null || visible.Contains(m.ContactId.Value));
        if (PersianText.ToLatinDigits(filter.Line ?? "").Trim() is { Length: > 0 } line) query = query.Where(m => m.Line == line);
        if (filter.HasPerson is { } hasPerson) query = hasPerson ? query.Where(m => m.ContactId != null) : query.Where(m => m.ContactId == null);
        if (filter.Action is { } action) query = query.Where(m => m.Action == action);
        var sorted = page.Desc || page.Sort is null ? query.OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id) : query.OrderBy(m => m.ReceivedAt).ThenBy(m => m.Id);
        var rows = await (
            from m in sorted.Skip(page.Skip).Take(page.ReadSize)
            join c0 in db.Contacts.IgnoreQueryFilters() on m.ContactId equals (int?)c0.Id into people
            from c in people.DefaultIfEmpty()
            select new InboundSmsView(m.Id, m.SmsChannelId, m.Line, m.From, m.Text, m.ReceivedAt, m.ProviderMessageId, m.ContactId,
                c == null ? null : c.FirstName == null || c.FirstName == "" ? c.LastName : c.FirstName + " " + c.LastName, m.Action)).ToListAsync(ct);
        var (total, lowerBound) = await PagedCount.Total(query, page, rows.Count, ct);
        return new PagedResult<InboundSmsView>(rows.Take(page.SafePageSize).ToList(), total, page.SafePage, page.SafePageSize, lowerBound);
    }

    internal static void Map(RouteGroupBuilder messages) =>
        messages.MapGet("/inbound", async (HttpContext http, ClaimsPrincipal me, ListInboundSms list, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var filter = new InboundSmsFilter { Line = q.Text("line"), HasPerson = q.Text("hasPerson") is null ? null : q.Bool("hasPerson"), Action = q.Enum<InboundSmsAction>("action") };
                var page = q.Page(SortFields);
                q.ThrowIfAny();
                return TypedResults.Ok(await list.Handle(filter, page, me.Scope(), ct));
            })
            .WithSummary("SMS received on the sender lines, newest first: filter (line, hasPerson, action: None, OptedOut, OptedIn) and page")
            .Produces<PagedResult<InboundSmsView>>()
            .RequireAuthorization(MessagingPermissions.Read);
}
