using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Platform.Notifications;

// A kind of notification a module raises ("import.finished"), with its name (an English resource key) for each user's
// choice of in-app only or in-app and email. A module registers its kinds in its Add<Module>() with
// AddNotificationKind; the preferences page and GET /api/notifications/preferences list every registered kind, and
// Notifier refuses a kind nobody registered, so no kind is left out of the list.
public sealed record NotificationKind(string Key, string Label, int Order = 100);

public static class NotificationKindRegistration
{
    public static IServiceCollection AddNotificationKind(this IServiceCollection services, string key, string label, int order = 100) =>
        services.AddSingleton(new NotificationKind(key, label, order));
}

// What an email of a notification carries, already in the user's language: the Messaging module (INotificationEmail)
// makes the message. Link is the notification's link inside the app ("contacts/12").
public sealed record NotificationEmail(int UserId, string Address, string Culture, string Subject, string Text, string? Link);

// How notifications reach a user's mailbox: registered by the module that sends email (Messaging), so the platform
// names no module. Add writes the email into the caller's context, to be saved in the caller's transaction with the
// notification; Available says whether an email can go out at all (an enabled email channel).
public interface INotificationEmail
{
    Task<bool> Available(PayvandDb db, CancellationToken ct);

    void Add(PayvandDb db, NotificationEmail email);
}

// A user's choice for one kind: Email on sends each notification of that kind to the user's email address as well.
// A kind without a row is in-app only.
public sealed class NotificationPreference : IAudited
{
    public int Id { get; set; }

    public int UserId { get; set; }

    public required string Kind { get; set; }

    public bool Email { get; set; }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> b)
    {
        b.ToTable("NotificationPreferences");
        b.Property(p => p.Kind).HasMaxLength(50);
        b.HasOne<AppUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(p => new { p.UserId, p.Kind }).IsUnique();
    }
}
