using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Payvand.Platform.Events;

public enum DeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

// One event for one handler: written in the transaction of the change that raised the event (EventOutbox.Add) and
// delivered by EventDispatcher. The rows of one event share its EventId, the key handlers are idempotent by.
public sealed class OutboxMessage
{
    public long Id { get; set; }

    public Guid EventId { get; set; }

    // The event's type name (PurchaseRecorded) and the handler's (Dashboard.CountSale), as registered.
    public required string EventType { get; set; }

    public required string Handler { get; set; }

    public required string Payload { get; set; }

    public DateTime OccurredAt { get; set; }

    public DeliveryStatus Status { get; set; }

    public int Attempts { get; set; }

    // Not delivered before then: the back-off after a failed attempt.
    public DateTime NextAttemptAt { get; set; }

    // Claimed by a dispatcher until then (a lease): a claim that outlives its process expires and is taken again.
    public DateTime? LockedUntil { get; set; }

    public Guid? LockToken { get; set; }

    public DateTime? DeliveredAt { get; set; }

    public string? LastError { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("OutboxMessages");
        b.Property(m => m.EventType).HasMaxLength(100);
        b.Property(m => m.Handler).HasMaxLength(100);
        b.Property(m => m.LastError).HasMaxLength(2000);
        // The dispatcher's claim reads due pending rows in id order; delivered rows are the bulk and stay out of it.
        b.HasIndex(m => new { m.NextAttemptAt, m.Id }).HasFilter("\"Status\" = 0").HasDatabaseName("IX_OutboxMessages_Due");
        b.HasIndex(m => new { m.Status, m.Id });
        b.HasIndex(m => new { m.EventId, m.Handler }).IsUnique();
    }
}
