using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Privacy;

namespace Payvand.Modules.Messaging;

// A person's messages in the privacy operations: exported, deleted on erasure (with their timeline entries), moved to
// the surviving person on a merge (an occasion both had keeps the survivor's message as the occasion's one). The SMS
// they sent to the sender lines (InboundSms) the same way.
public sealed class MessagingPersonalData : IPersonalData
{
    private const string Why = "A message to the person: where it went, what it said and how it fared; erased with the person.";

    private const string InboundWhy = "An SMS the person sent to a sender line: their number, what it said and what was done; erased with the person.";

    public string Section => "messages";

    public IReadOnlyList<PersonalDataField> Fields { get; } =
    [
        .. new[] { "ContactId", "Channel", "Address", "Subject", "Body", "HtmlBody", "SenderLine", "LastError", "Source", "Occasion", "IdempotencyKey", "RequestHash" }
            .Select(c => new PersonalDataField("Messages", c, PersonalDataTreatment.Deleted, Why)),
        .. new[] { "Line", "From", "Text", "Key" }
            .Select(c => new PersonalDataField("InboundSms", c, PersonalDataTreatment.Deleted, InboundWhy)),
    ];

    public async Task<object?> Export(PayvandDb db, int contactId, CancellationToken ct)
    {
        var messages = await db.Messages.AsNoTracking().Where(m => m.ContactId == contactId).OrderBy(m => m.Id)
            .Select(m => new { m.Id, m.Channel, m.Purpose, m.Address, m.Subject, m.Body, m.Status, m.Reason, m.CreatedAt, m.SentAt, m.DeliveredAt, m.Source, m.Occasion })
            .ToListAsync(ct);
        var inbound = await db.Set<InboundSms>().AsNoTracking().Where(m => m.ContactId == contactId).OrderBy(m => m.Id)
            .Select(m => new { m.Id, m.Line, m.From, m.Text, m.ReceivedAt, m.Action })
            .ToListAsync(ct);
        return new { messages, inbound };
    }

    public async Task Erase(PayvandDb db, int contactId, CancellationToken ct)
    {
        await db.Activities.Where(a => a.ContactId == contactId && a.SourceType == MessageStates.SourceType).ExecuteDeleteAsync(ct);
        await db.Messages.Where(m => m.ContactId == contactId).ExecuteDeleteAsync(ct);
        await db.Activities.Where(a => a.ContactId == contactId && a.SourceType == InboundSms.SourceType).ExecuteDeleteAsync(ct);
        await db.Set<InboundSms>().Where(m => m.ContactId == contactId).ExecuteDeleteAsync(ct);
    }

    public async Task MoveTo(PayvandDb db, int fromContactId, int intoContactId, CancellationToken ct)
    {
        var taken = db.Messages.Where(m => m.ContactId == intoContactId && m.Occasion != null);
        await db.Messages.Where(m => m.ContactId == fromContactId && m.Occasion != null && taken.Any(t => t.Source == m.Source && t.Occasion == m.Occasion))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Occasion, (string?)null), ct);
        await db.Messages.Where(m => m.ContactId == fromContactId).ExecuteUpdateAsync(s => s.SetProperty(m => m.ContactId, intoContactId), ct);
        await db.Set<InboundSms>().Where(m => m.ContactId == fromContactId).ExecuteUpdateAsync(s => s.SetProperty(m => m.ContactId, intoContactId), ct);
    }
}
