using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Platform.Notifications;

// One kind of notification and whether the user gets it by email too; Label in the reader's language.
public sealed record NotificationPreferenceView(string Kind, string Label, bool Email);

// What PUT /api/notifications/preferences changes: the kinds given (the others stay as they are).
public sealed record NotificationPreferencesInput(IReadOnlyList<NotificationPreferenceChoice>? Kinds);

public sealed record NotificationPreferenceChoice(string? Kind, bool Email);

// A user's choices for every registered kind, with whether email can go out at all (no module sends email, or no
// email channel is set up: nothing is sent) and the address it goes to.
public sealed record NotificationPreferencesView(bool EmailAvailable, string? Address, IReadOnlyList<NotificationPreferenceView> Kinds);

// The signed-in user's own choice, per kind of notification, of in-app only or in-app and email (the notifications
// page and /api/notifications/preferences). Only their own: every query is by the caller's id.
public sealed class MyNotificationPreferences(
    IDbContextFactory<PayvandDb> dbFactory, IEnumerable<NotificationKind> kinds, IEnumerable<INotificationEmail> emails, IStringLocalizer<SharedResource> text)
{
    private IEnumerable<NotificationKind> Ordered => kinds.OrderBy(k => k.Order).ThenBy(k => k.Key, StringComparer.Ordinal);

    public async Task<NotificationPreferencesView> Get(int userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var chosen = await db.Set<NotificationPreference>().AsNoTracking().Where(p => p.UserId == userId && p.Email).Select(p => p.Kind).ToListAsync(ct);
        var address = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct);
        var available = emails.FirstOrDefault() is { } email && await email.Available(db, ct);
        return new NotificationPreferencesView(available, address, [.. Ordered.Select(k => new NotificationPreferenceView(k.Key, text[k.Label], chosen.Contains(k.Key)))]);
    }

    public async Task<NotificationPreferencesView> Save(int userId, NotificationPreferencesInput request, CancellationToken ct)
    {
        var v = new Validator(text).MaxCount("kinds", request.Kinds, 200);
        var known = kinds.Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        if (request.Kinds is null) v.Add("kinds", "{0} is required.", text["Notifications"]);
        for (var i = 0; i < (request.Kinds?.Count ?? 0); i++)
        {
            var kind = request.Kinds![i].Kind;
            if (string.IsNullOrWhiteSpace(kind)) v.Add($"kinds[{i}].kind", "{0} is required.", text["Notification"]);
            else if (!known.Contains(kind)) v.Add($"kinds[{i}].kind", "There is no kind of notification {0}.", kind);
        }

        v.ThrowIfAny();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<NotificationPreference>().Where(p => p.UserId == userId).ToDictionaryAsync(p => p.Kind, StringComparer.Ordinal, ct);
        foreach (var choice in request.Kinds!)
        {
            if (rows.TryGetValue(choice.Kind!, out var row)) row.Email = choice.Email;
            else if (choice.Email) db.Add(rows[choice.Kind!] = new NotificationPreference { UserId = userId, Kind = choice.Kind!, Email = true });
        }

        await db.SaveChangesAsync(ct);
        return await Get(userId, ct);
    }

    internal static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/preferences", async (ClaimsPrincipal me, MyNotificationPreferences preferences, CancellationToken ct) =>
                TypedResults.Ok(await preferences.Get(me.Scope().UserId, ct)))
            .WithSummary("Your choice for every kind of notification: in the app only, or by email as well; whether email can be sent at all");

        api.MapPut("/preferences", async (NotificationPreferencesInput request, ClaimsPrincipal me, MyNotificationPreferences preferences, CancellationToken ct) =>
                TypedResults.Ok(await preferences.Save(me.Scope().UserId, request, ct)))
            .WithSummary("Change your choice of email for some kinds of notification ({ kinds: [{ kind, email }] }); the others stay");
    }
}
