using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

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
// Users who chose email for the kind also get it by email (INotificationEmail, when a module sends email), written in
// the same transaction, in the user's language.
public sealed class Notifier(
    NotificationSignal signal, TimeProvider clock, IEnumerable<NotificationKind> kinds, IEnumerable<INotificationEmail> emails,
    IStringLocalizer<SharedResource> text, IConfiguration configuration)
{
    private readonly Dictionary<string, NotificationKind> known = kinds.ToDictionary(k => k.Key, StringComparer.Ordinal);

    public async Task Notify(PayvandDb db, IEnumerable<int> userIds, NotificationRequest request, CancellationToken ct)
    {
        if (!known.TryGetValue(request.Kind, out var kind))
        {
            throw new InvalidOperationException($"Notification kind {request.Kind} is not registered (services.AddNotificationKind).");
        }

        var users = userIds.Distinct().ToList();
        if (users.Count == 0) return;
        if (request.Key is { } key)
        {
            var already = await db.Set<Notification>().Where(n => users.Contains(n.UserId) && n.Key == key).Select(n => n.UserId).ToListAsync(ct);
            users.RemoveAll(already.Contains);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var kept = (request.Args ?? []).Select(a => a.V.Length > Notification.ArgLength ? a with { V = a.V[..Notification.ArgLength] } : a).ToList();
        var args = JsonSerializer.Serialize(kept);
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
        await Email(db, users, kind, request, kept, ct);
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

    // The email of each user who wants this kind by email and has an address, when an email can go out at all.
    private async Task Email(PayvandDb db, List<int> users, NotificationKind kind, NotificationRequest request, List<NotificationArg> args, CancellationToken ct)
    {
        if (emails.FirstOrDefault() is not { } email) return;
        var wanting = await db.Set<NotificationPreference>().Where(p => users.Contains(p.UserId) && p.Kind == kind.Key && p.Email)
            .Join(db.Users.Where(u => u.IsActive && u.Email != null), p => p.UserId, u => u.Id, (p, u) => new { u.Id, u.Email, u.Culture })
            .ToListAsync(ct);
        if (wanting.Count == 0 || !await email.Available(db, ct)) return;
        foreach (var user in wanting)
        {
            var culture = Cultures.Normalize(user.Culture ?? configuration["Payvand:Culture"]);
            var (subject, body) = InCulture(culture, () => (text[kind.Label].Value, NotificationText.Read(text, request.Text, args)));
            email.Add(db, new NotificationEmail(user.Id, user.Email!, culture, subject, body, request.Link));
        }
    }

    // Runs read in another language than the caller's (a Persian colleague's email from an English user's change).
    public static T InCulture<T>(string culture, Func<T> read)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        var chosen = CultureInfo.GetCultureInfo(culture);
        CultureInfo.CurrentCulture = chosen;
        CultureInfo.CurrentUICulture = chosen;
        try
        {
            return read();
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
            CultureInfo.CurrentUICulture = beforeUi;
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

// A notification's text in the current language: its resource key with the arguments put in (labels read, numbers
// with the reader's digits).
public static class NotificationText
{
    public static string Read(IStringLocalizer text, string key, IEnumerable<NotificationArg> args)
    {
        var persian = Cultures.IsPersian(CultureInfo.CurrentUICulture);
        var values = args.Select(a => a.K switch
        {
            NotificationArgKind.Label => text[a.V].Value,
            NotificationArgKind.Number when long.TryParse(a.V, CultureInfo.InvariantCulture, out var number) => PersianText.Grouped(number, persian),
            _ => a.V,
        }).ToArray<object>();
        return text[key, values];
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
