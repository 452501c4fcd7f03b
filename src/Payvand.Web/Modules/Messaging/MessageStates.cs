using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;
using Payvand.Platform.Extensions;

namespace Payvand.Modules.Messaging;

// What a message's state changes bring with them: the gateway's status read as a state, the number blocked for
// promotional SMS on a carrier blacklist answer (14), and the message's entry on the person's timeline, all saved
// in one transaction with the state.
public static class MessageStates
{
    public const string TimelineType = "message.sms";
    public const string EmailTimelineType = "message.email";
    public const string ClickTimelineType = "message.email.click";
    public const string OpenTimelineType = "message.email.open";
    public const string SourceType = "Messaging.Message";

    public static void Apply(Message m, int code, DateTime now)
    {
        var (status, reason) = SmsStatusCodes.Read(code);
        m.ProviderStatus = code;
        m.Status = status;
        m.Reason = reason;
        if (status == MessageStatus.Delivered) m.DeliveredAt ??= now;
        m.UpdatedAt = now;
    }

    // Saves the context after writing, for each message whose state changed, its timeline entry and any block, in one
    // transaction (the caller's, when it has one). The changed messages are written set-based (SetUpdate), a batch of
    // a thousand with a few statements instead of one each; their claim (LockToken) is checked as SaveChanges checks it.
    // Changes are detected once, at the start (in the touched messages only, when the caller names what it changed: the
    // dispatcher's batch tracks a thousand messages and saves a few hundred at a time); nothing below detects them again.
    public static async Task Save(PayvandDb db, TimelineWriter timeline, DateTime now, CancellationToken ct, IEnumerable<Message>? touched = null)
    {
        if (touched is null) db.ChangeTracker.DetectChanges();
        else foreach (var m in touched) db.Entry(m).DetectChanges();
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await SaveDetected(db, timeline, now, ct);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    private static async Task SaveDetected(PayvandDb db, TimelineWriter timeline, DateTime now, CancellationToken ct)
    {
        var entries = db.ChangeTracker.Entries<Message>().ToList();
        var changed = entries
            .Where(e => e.State == EntityState.Modified && e.Property(m => m.Status).IsModified)
            .Select(e => e.Entity).Where(m => m.Status is not (MessageStatus.Queued or MessageStatus.Sending)).ToList();
        if (entries.Any(e => e.State == EntityState.Added))
        {
            throw new InvalidOperationException("New messages are written with MessageOutbox, not saved with their states.");
        }

        foreach (var m in changed)
        {
            if (m.Reason == MessageReason.CarrierBlacklist && m.Address is { } address
                && !await db.BlockedAddresses.AnyAsync(b => b.Address == address && b.SenderLine == null, ct)
                && !db.ChangeTracker.Entries<BlockedAddress>().Any(b => b.State == EntityState.Added && b.Entity.Address == address))
            {
                Reachability.Block(db, address, null, "carrier-blacklist", now);
            }
        }

        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await SetUpdate.Modified<Message>(db, ct);
        await timeline.WriteMany(db, [.. changed.Where(m => m.ContactId is not null).Select(Entry)], ct);
        if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(ct);
        if (tx is not null) await tx.CommitAsync(ct);
    }

    public static TimelineEntry Entry(Message m) => new()
    {
        ContactId = m.ContactId,
        Type = m.Channel == ConsentChannel.Email ? EmailTimelineType : TimelineType,
        OccurredAt = m.SentAt ?? m.CreatedAt,
        Data = new MessageEntryData(m.Status, m.Reason, m.Purpose, m.Address, m.SenderLine),
        Subject = m.Subject,
        Body = m.Body,
        SourceType = SourceType,
        SourceId = m.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

// Stored with the entry; the states by name, so the stored data reads without this code.
public sealed record MessageEntryData(
    [property: JsonConverter(typeof(JsonStringEnumConverter<MessageStatus>))] MessageStatus Status,
    [property: JsonConverter(typeof(JsonStringEnumConverter<MessageReason>))] MessageReason Reason,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ContactPurpose>))] ContactPurpose Purpose,
    string? Address, string? Line);

// An SMS on the person's timeline: "SMS · Delivered", "SMS · Suppressed: Opted out", in the reader's language.
internal sealed class MessageEntryType : ITimelineEntryType
{
    public string Type => MessageStates.TimelineType;

    public string Label => "SMS message";

    public string Describe(JsonElement data, TimelineReader reader)
    {
        var entry = data.Deserialize<MessageEntryData>(MessageText.Json)!;
        var state = reader.Text[MessageText.Status(entry.Status)].Value;
        return entry.Reason == MessageReason.None
            ? $"{reader.Text["SMS"]}{reader.Separator}{state}"
            : $"{reader.Text["SMS"]}{reader.Separator}{state}: {reader.Text[MessageText.Reason(entry.Reason)]}";
    }
}

// An email on the person's timeline: "Email · Sent", "Email · Suppressed: Bounced address".
internal sealed class EmailEntryType : ITimelineEntryType
{
    public string Type => MessageStates.EmailTimelineType;

    public string Label => "Email message";

    public string Describe(JsonElement data, TimelineReader reader)
    {
        var entry = data.Deserialize<MessageEntryData>(MessageText.Json)!;
        var state = reader.Text[MessageText.Status(entry.Status)].Value;
        return entry.Reason == MessageReason.None
            ? $"{reader.Text["Email"]}{reader.Separator}{state}"
            : $"{reader.Text["Email"]}{reader.Separator}{state}: {reader.Text[MessageText.Reason(entry.Reason, ConsentChannel.Email)]}";
    }
}

// What a person did with an email: opened it, clicked a link (how many times, the last link).
public sealed record EmailEngagementData(int Count, string? Url);

internal sealed class EmailClickEntryType : ITimelineEntryType
{
    public string Type => MessageStates.ClickTimelineType;

    public string Label => "Email link clicked";

    public string Describe(JsonElement data, TimelineReader reader)
    {
        var entry = data.Deserialize<EmailEngagementData>(MessageText.Json)!;
        return reader.Text["Clicked a link in an email ({0} times)", entry.Count];
    }
}

internal sealed class EmailOpenEntryType : ITimelineEntryType
{
    public string Type => MessageStates.OpenTimelineType;

    public string Label => "Email opened";

    public string Describe(JsonElement data, TimelineReader reader)
    {
        var entry = data.Deserialize<EmailEngagementData>(MessageText.Json)!;
        return reader.Text["Opened an email ({0} times)", entry.Count];
    }
}
