using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;

namespace Payvand.Modules.Messaging;

// A message as /api/messages and the message log show it: a person's, or a staff user's notification email (ContactId
// 0, no name: it has only the user's address).
public sealed record MessageView(
    long Id, string Channel, ContactPurpose Purpose, int ContactId, string? ContactName, string? Address, string Body,
    string? SenderLine, MessageStatus Status, MessageReason Reason, DateTime NotBefore, long? ProviderMessageId,
    int? ProviderStatus, int Attempts, string? LastError, string Source, string? Occasion, long? ResendOf,
    DateTime CreatedAt, DateTime? SentAt, DateTime? DeliveredAt)
{
    // Email only: the subject, whether links are tracked and the pixel added, and what the person did with it.
    public string? Subject { get; init; }

    public bool? TrackClicks { get; init; }

    public bool? TrackOpens { get; init; }

    public int Clicks { get; init; }

    public DateTime? FirstClickedAt { get; init; }

    public int Opens { get; init; }

    public DateTime? FirstOpenedAt { get; init; }

    public static IQueryable<MessageView> Of(PayvandDb db, IQueryable<Message> messages) =>
        from m in messages
        join c0 in db.Contacts.IgnoreQueryFilters() on m.ContactId equals (int?)c0.Id into people
        from c in people.DefaultIfEmpty()
        select new MessageView(m.Id, m.Channel, m.Purpose, m.ContactId ?? 0, c == null ? null : c.FirstName == null || c.FirstName == "" ? c.LastName : c.FirstName + " " + c.LastName, m.Address, m.Body,
            m.SenderLine, m.Status, m.Reason, m.NotBefore, m.ProviderMessageId, m.ProviderStatus, m.Attempts, m.LastError,
            m.Source, m.Occasion, m.ResendOf, m.CreatedAt, m.SentAt, m.DeliveredAt)
        {
            Subject = m.Subject,
            TrackClicks = m.TrackClicks,
            TrackOpens = m.TrackOpens,
            Clicks = m.Clicks,
            FirstClickedAt = m.FirstClickedAt,
            Opens = m.Opens,
            FirstOpenedAt = m.FirstOpenedAt,
        };
}
