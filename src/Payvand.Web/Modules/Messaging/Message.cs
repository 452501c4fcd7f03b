using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Modules.Contacts;

namespace Payvand.Modules.Messaging;

public enum MessageStatus
{
    // Written, not yet looked at by the dispatcher.
    Queued,

    // Held until NotBefore: quiet hours, the person's best time, or no SMS channel configured yet.
    Waiting,

    // Handed (or being handed) to the gateway; a claim that ends in this state is reconciled by local id, never sent blind.
    Sending,

    // Accepted by the gateway; delivery not yet reported.
    Sent,

    Delivered,

    // Rejected by the gateway, undelivered, or still failing after the last attempt.
    Failed,

    // Not sent because a consent rule refused it (Reason says which).
    Suppressed,

    Cancelled,
}

// Why a message is not (yet) sent or not delivered. The first eight are the consent service's reasons (ReachReason).
public enum MessageReason
{
    None,
    Deleted,
    NoAddress,
    OptedOut,
    NoConsent,
    Blocked,
    QuietHours,
    OutsideBestTime,
    FrequencyCap,

    // No enabled SMS channel (gateway account) to send with.
    NoChannel,

    // The gateway refused the message itself (bad number, bad sender line, empty text).
    Rejected,

    // The gateway failed (5xx, timeout, bad key, no credit) for every attempt.
    GatewayError,

    // The carrier did not deliver it.
    Undelivered,

    // The receiver's carrier blacklist (Kavenegar status 14): the number is blocked for promotional SMS from now on.
    CarrierBlacklist,

    CancelledByProvider,

    // Email: the address bounced permanently (a hard bounce), now and before (suppressed for every purpose).
    Bounced,

    // Email: the person marked a message as spam; the address is suppressed for promotional email.
    Complained,
}

// One message to one person: written to this outbox in the transaction of the change that asked for it
// (MessageOutbox.Add), sent by MessageDispatcher. LocalId is the gateway's idempotency key (Kavenegar's
// localmessageids): a message is sent with it once, and a send that may have happened is looked up by it.
public sealed class Message
{
    public long Id { get; set; }

    // The consent channel's key ("sms").
    public required string Channel { get; set; }

    public ContactPurpose Purpose { get; set; }

    // The person it is for; none for an email to a staff user's own address (a notification, ADR 17), which has only
    // its Address, no consent to ask and no timeline.
    public int? ContactId { get; set; }

    // The address used (the person's primary reachable mobile when the sender named none).
    public string? Address { get; set; }

    // The text as asked for; a promotional SMS gets its channel's opt-out text appended when it is sent. Email: the
    // plain-text part.
    public required string Body { get; set; }

    // Email only: the subject, the HTML part (none: plain text only) and whether links are tracked and the open pixel
    // added (null: as the channel says; decided when the message is marked sending).
    public string? Subject { get; set; }

    public string? HtmlBody { get; set; }

    public bool? TrackClicks { get; set; }

    public bool? TrackOpens { get; set; }

    public int? EmailChannelId { get; set; }

    // Email engagement, from the tracked links and the open pixel.
    public int Clicks { get; set; }

    public DateTime? FirstClickedAt { get; set; }

    public int Opens { get; set; }

    public DateTime? FirstOpenedAt { get; set; }

    public int? SmsChannelId { get; set; }

    public string? SenderLine { get; set; }

    public MessageStatus Status { get; set; }

    public MessageReason Reason { get; set; }

    // Not looked at again before then (waiting for hours, back-off after a gateway failure).
    public DateTime NotBefore { get; set; }

    // Unique, random, positive: unique across databases sharing one gateway account, unlike Id.
    public long LocalId { get; set; }

    public long? ProviderMessageId { get; set; }

    public int? ProviderStatus { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    // Who asked: the module ("api", "campaigns", "loyalty"...) and, for "at most once per person per occasion", its key
    // of the occasion ("birthday:1405"); (ContactId, Source, Occasion) is unique.
    public required string Source { get; set; }

    public string? Occasion { get; set; }

    // The caller's Idempotency-Key (prefixed with the user's id) and a hash of what was asked with it.
    public string? IdempotencyKey { get; set; }

    public string? RequestHash { get; set; }

    public int? CreatedById { get; set; }

    // The message this one sends again (resend).
    public long? ResendOf { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? SentAt { get; set; }

    public DateTime? DeliveredAt { get; set; }

    // The dispatcher's claim: a claim that outlives its process expires and the message is taken again.
    public Guid? LockToken { get; set; }

    public DateTime? LockedUntil { get; set; }

    public bool IsFinal => Status is MessageStatus.Delivered or MessageStatus.Failed or MessageStatus.Suppressed or MessageStatus.Cancelled;
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> b)
    {
        b.ToTable("Messages");
        b.Property(m => m.Channel).HasMaxLength(20);
        b.Property(m => m.Address).HasMaxLength(100);
        b.Property(m => m.Body).HasMaxLength(MessageOutbox.MaxEmailBodyLength + 200);
        b.Property(m => m.Subject).HasMaxLength(MessageOutbox.MaxSubjectLength);
        b.Property(m => m.HtmlBody).HasMaxLength(MessageOutbox.MaxEmailBodyLength);
        b.Property(m => m.SenderLine).HasMaxLength(20);
        b.Property(m => m.LastError).HasMaxLength(500);
        b.Property(m => m.Source).HasMaxLength(50);
        b.Property(m => m.Occasion).HasMaxLength(200);
        b.Property(m => m.IdempotencyKey).HasMaxLength(300);
        b.Property(m => m.RequestHash).HasMaxLength(64);
        // The dispatcher's claim writes LockToken; a save that finds another claim's token changes nothing (lease lost).
        b.Property(m => m.LockToken).IsConcurrencyToken();
        b.HasOne<Contact>().WithMany().HasForeignKey(m => m.ContactId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<SmsChannel>().WithMany().HasForeignKey(m => m.SmsChannelId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<EmailChannel>().WithMany().HasForeignKey(m => m.EmailChannelId).OnDelete(DeleteBehavior.SetNull);
        // What the dispatcher claims: queued, waiting and (claims ended while) sending, in NotBefore order.
        b.HasIndex(m => new { m.NotBefore, m.Id }).HasFilter("\"Status\" IN (0, 1, 2)").HasDatabaseName("IX_Messages_Due");
        // What delivery reports are asked for.
        b.HasIndex(m => new { m.SentAt, m.Id }).HasFilter("\"Status\" = 3").HasDatabaseName("IX_Messages_Sent");
        b.HasIndex(m => m.LocalId).IsUnique();
        b.HasIndex(m => m.ProviderMessageId);
        b.HasIndex(m => m.IdempotencyKey).IsUnique().HasFilter("\"IdempotencyKey\" IS NOT NULL");
        b.HasIndex(m => new { m.ContactId, m.Source, m.Occasion }).IsUnique().HasFilter("\"Occasion\" IS NOT NULL");
        b.HasIndex(m => new { m.ContactId, m.Id });
        b.HasIndex(m => new { m.CreatedAt, m.Id });
    }
}
