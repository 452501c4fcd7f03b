using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Platform.Notifications;

// One notification as its reader sees it: the text in their language.
public sealed record NotificationView(long Id, string Kind, string Text, string? Link, DateTime CreatedAt, DateTime? ReadAt);

// The signed-in user's own notifications: the bell, /account/notifications and /api/notifications. Nobody reads or
// marks another user's: every query is by the caller's id.
public sealed class MyNotifications(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text, NotificationSignal signal, TimeProvider clock)
{
    public async Task<PagedResult<NotificationView>> List(int userId, bool unreadOnly, PageRequest page, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Set<Notification>().AsNoTracking().Where(n => n.UserId == userId);
        if (unreadOnly) query = query.Where(n => n.ReadAt == null);
        var rows = await query.OrderByDescending(n => n.Id).Skip(page.Skip).Take(page.ReadSize).ToListAsync(ct);
        var (total, lowerBound) = await PagedCount.Total(query, page, rows.Count, ct);
        return new PagedResult<NotificationView>([.. rows.Take(page.SafePageSize).Select(View)], total, page.SafePage, page.SafePageSize, lowerBound);
    }

    public async Task<int> UnreadCount(int userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Notification>().CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
    }

    // False when the user has no such notification.
    public async Task<bool> MarkRead(int userId, long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var mine = db.Set<Notification>().Where(n => n.Id == id && n.UserId == userId);
        if (!await mine.AnyAsync(ct)) return false;
        if (await mine.Where(n => n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct) > 0) signal.Raise([userId]);
        return true;
    }

    public async Task<int> MarkAllRead(int userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var marked = await db.Set<Notification>().Where(n => n.UserId == userId && n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        if (marked > 0) signal.Raise([userId]);
        return marked;
    }

    private NotificationView View(Notification n) =>
        new(n.Id, n.Kind, NotificationText.Read(text, n.Text, JsonSerializer.Deserialize<NotificationArg[]>(n.Args) ?? []), n.Link, n.CreatedAt, n.ReadAt);

    internal static void Map(IEndpointRouteBuilder app)
    {
        // Every signed-in user has their own; no permission beyond signing in, and only their own rows.
        var api = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization(Policies.SignedIn);

        api.MapGet("/", async (HttpContext http, ClaimsPrincipal me, MyNotifications mine, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var unread = q.Bool("unread");
                var page = q.Page([]);
                q.ThrowIfAny();
                return TypedResults.Ok(await mine.List(me.Scope().UserId, unread, page, ct));
            })
            .WithSummary("Your notifications, newest first, in your language: unread=true for the unread only; page, pageSize")
            .Produces<PagedResult<NotificationView>>();

        api.MapGet("/unread-count", async (ClaimsPrincipal me, MyNotifications mine, CancellationToken ct) =>
                TypedResults.Ok(new UnreadAnswer(await mine.UnreadCount(me.Scope().UserId, ct))))
            .WithSummary("How many of your notifications are unread (the bell's number)");

        api.MapPost("/{id:long}/read", async Task<Results<NoContent, NotFound>> (long id, ClaimsPrincipal me, MyNotifications mine, CancellationToken ct) =>
                await mine.MarkRead(me.Scope().UserId, id, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Mark one of your notifications read (404 for another user's)");

        api.MapPost("/read-all", async (ClaimsPrincipal me, MyNotifications mine, CancellationToken ct) =>
                TypedResults.Ok(new MarkedAnswer(await mine.MarkAllRead(me.Scope().UserId, ct))))
            .WithSummary("Mark all your notifications read; how many were unread");

        MyNotificationPreferences.Map(api);
    }

    public sealed record UnreadAnswer(int Unread);

    public sealed record MarkedAnswer(int Marked);
}
