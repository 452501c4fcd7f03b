using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Platform.Notifications;

// What a module tells staff: Text is an English resource key with {0}, {1}... (strings.py adds its Persian), Args the
// values, Link where it leads. Key (unique per user) makes a repeated call add nothing.
public sealed record NotificationRequest(string Kind, string Text, IReadOnlyList<NotificationArg>? Args = null, string? Link = null, string? Key = null);

// A value put into a notification's text, shown in the reader's language: as written (a name), a resource key
// ("People") read in their language, or a number written with their digits.
public sealed record NotificationArg(string V, NotificationArgKind K = NotificationArgKind.Plain)
{
    public static implicit operator NotificationArg(string value) => new(value);

    public static NotificationArg Label(string resourceKey) => new(resourceKey, NotificationArgKind.Label);

    public static NotificationArg Number(long value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture), NotificationArgKind.Number);
}

public enum NotificationArgKind
{
    Plain,
    Label,
    Number,
}

// How every module notifies staff users: Notify adds the notifications to the caller's context, so they are saved with
// the change that caused them, in its transaction; once that commits, the users' open bells are told (NotificationSignal).
public sealed class Notifier(NotificationSignal signal, TimeProvider clock)
{
    public async Task Notify(PayvandDb db, IEnumerable<int> userIds, NotificationRequest request, CancellationToken ct)
    {
        var users = userIds.Distinct().ToList();
        if (users.Count == 0) return;
        if (request.Key is { } key)
        {
            var already = await db.Set<Notification>().Where(n => users.Contains(n.UserId) && n.Key == key).Select(n => n.UserId).ToListAsync(ct);
            users.RemoveAll(already.Contains);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var args = JsonSerializer.Serialize((request.Args ?? []).Select(a => a.V.Length > Notification.ArgLength ? a with { V = a.V[..Notification.ArgLength] } : a));
        foreach (var user in users)
        {
            db.Add(new Notification
            {
                UserId = user,
                Kind = request.Kind,
                Text = request.Text,
                Args = args,
                Link = request.Link,
                Key = request.Key,
                CreatedAt = now,
            });
        }

        if (users.Count == 0) return;
        if (db.Database.CurrentTransaction is not null)
        {
            db.OnCommitted(_ => Tell(users));
        }
        else
        {
            EventHandler<SavedChangesEventArgs>? once = null;
            once = (_, _) =>
            {
                db.SavedChanges -= once;
                signal.Raise(users);
            };
            db.SavedChanges += once;
        }
    }

    // The name a notification gives the user who acted ("Sara made you the owner of ..."): their display name.
    public static async Task<string> NameOf(PayvandDb db, UserScope user, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == user.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? user.UserName;

    private Task Tell(List<int> users)
    {
        signal.Raise(users);
        return Task.CompletedTask;
    }
}

// Tells this process's open pages that users have new notifications. Pages of another instance learn it on their next
// poll (the bell looks every half minute as well).
public sealed class NotificationSignal
{
    public event Action<int>? Changed;

    public void Raise(IEnumerable<int> users)
    {
        foreach (var user in users) Changed?.Invoke(user);
    }
}
