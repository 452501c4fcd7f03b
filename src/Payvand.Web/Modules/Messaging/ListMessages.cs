using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Modules.Messaging;

// The filters of the message log (GET /api/messages, the message log page).
public sealed record MessageFilter
{
    public MessageStatus? Status { get; init; }

    public string? Channel { get; init; }

    public ContactPurpose? Purpose { get; init; }

    public int? ContactId { get; init; }

    // UTC instants of writing, From inclusive, To exclusive.
    public DateTime? From { get; init; }

    public DateTime? To { get; init; }
}

// The message log: messages to people the caller can see, newest first, a page at a time.
public sealed class ListMessages(IDbContextFactory<PayvandDb> dbFactory)
{
    public static readonly string[] SortFields = ["createdAt"];

    public async Task<PagedResult<MessageView>> Handle(MessageFilter filter, PageRequest page, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = db.Contacts.VisibleTo(user).Select(c => c.Id);
        var query = db.Set<Message>().AsNoTracking().Where(m => m.ContactId != null && visible.Contains(m.ContactId.Value));
        if (filter.Status is { } status) query = query.Where(m => m.Status == status);
        if (filter.Channel is { Length: > 0 } channel) query = query.Where(m => m.Channel == channel);
        if (filter.Purpose is { } purpose) query = query.Where(m => m.Purpose == purpose);
        if (filter.ContactId is { } contactId) query = query.Where(m => m.ContactId == contactId);
        if (filter.From is { } from) query = query.Where(m => m.CreatedAt >= from);
        if (filter.To is { } to) query = query.Where(m => m.CreatedAt < to);
        var sorted = page.Desc || page.Sort is null ? query.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id) : query.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id);
        var rows = await MessageView.Of(db, sorted.Skip(page.Skip).Take(page.ReadSize)).ToListAsync(ct);
        var (total, lowerBound) = await PagedCount.Total(query, page, rows.Count, ct);
        return new PagedResult<MessageView>(rows.Take(page.SafePageSize).ToList(), total, page.SafePage, page.SafePageSize, lowerBound);
    }

    public async Task<MessageView?> One(long id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = db.Contacts.VisibleTo(user).Select(c => c.Id);
        return await MessageView.Of(db, db.Set<Message>().AsNoTracking().Where(m => m.Id == id && m.ContactId != null && visible.Contains(m.ContactId.Value))).SingleOrDefaultAsync(ct);
    }
}
