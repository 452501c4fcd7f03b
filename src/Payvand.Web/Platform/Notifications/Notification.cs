using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Platform.Auth;

namespace Payvand.Platform.Notifications;

// A note to one staff user in the app (the bell): a job of theirs finished, a person was given to them, and the
// reminders and assignments of the coming modules. Text is the English resource key with {0}, {1}... and Args their
// values, so it reads in the reader's language whenever it is read. Key makes it once per user: a handler that runs
// again (an event delivered twice) adds nothing.
public sealed class Notification
{
    public const int TextLength = 300;
    public const int ArgLength = 200;

    public long Id { get; set; }

    public int UserId { get; set; }

    // What it is about, for filters and for each user's choice of email ("job.finished", "contact.owner").
    public required string Kind { get; set; }

    public required string Text { get; set; }

    // A JSON array of NotificationArg.
    public string Args { get; set; } = "[]";

    // Where it leads in the app (relative: "contacts/12").
    public string? Link { get; set; }

    public string? Key { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? ReadAt { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("Notifications");
        b.Property(n => n.Kind).HasMaxLength(50);
        b.Property(n => n.Text).HasMaxLength(Notification.TextLength);
        b.Property(n => n.Args).HasMaxLength(2000);
        b.Property(n => n.Link).HasMaxLength(300);
        b.Property(n => n.Key).HasMaxLength(200);
        b.HasOne<AppUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(n => new { n.UserId, n.Id });
        // The bell's count: a user's unread ones.
        b.HasIndex(n => new { n.UserId, n.Id }, "IX_Notifications_Unread").HasFilter("\"ReadAt\" IS NULL");
        b.HasIndex(n => new { n.UserId, n.Key }).IsUnique().HasFilter("\"Key\" IS NOT NULL");
        b.HasIndex(n => n.CreatedAt);
    }
}
