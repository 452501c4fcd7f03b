using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;

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

    // The staff notification emails (ADR 17: no person, only a user's address) instead of people's messages; for those
    // who configure the channels, who look into why a notification did not arrive.
    public bool Staff { get; init; }
}

// The message log: messages to people the caller can see (or the staff notification emails), newest first, a page at a time.
public sealed class ListMessages(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text)
{
    public static readonly string[] SortFields = ["createdAt"];

    public async Task<PagedResult<MessageView>> Handle(MessageFilter filter, PageRequest page, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Visible(db, user, filter.Staff);
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
        var message = Visible(db, user, false).Where(m => m.Id == id);
        if (user.Has(MessagingPermissions.Channels)) message = message.Concat(Visible(db, user, true).Where(m => m.Id == id));
        return await MessageView.Of(db, message).SingleOrDefaultAsync(ct);
    }

    private IQueryable<Message> Visible(PayvandDb db, UserScope user, bool staff)
    {
        var messages = db.Set<Message>().AsNoTracking();
        if (staff)
        {
            user.Require(MessagingPermissions.Channels, text["Only those who configure the channels see the staff notification emails."]);
            return messages.Where(m => m.ContactId == null);
        }

        var visible = db.Contacts.VisibleTo(user).Select(c => c.Id);
        return messages.Where(m => m.ContactId != null && visible.Contains(m.ContactId.Value));
    }
}
