using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;

namespace Payvand.Platform.Events;

// What administrators see of event deliveries: how many wait, how many failed, and each failed one with its error,
// to retry once the cause is mended. Pages and /api/admin/events use the same handler.
public sealed class EventAdmin(IDbContextFactory<PayvandDb> dbFactory, EventOutbox outbox, TimeProvider clock)
{
    public sealed record Summary(int Pending, int Failed, int Delivered);

    public sealed record Delivery(
        long Id, Guid EventId, string EventType, string Handler, DeliveryStatus Status, int Attempts, DateTime OccurredAt,
        DateTime NextAttemptAt, DateTime? DeliveredAt, string? LastError, string Payload);

    public async Task<Summary> Count(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await db.OutboxMessages.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        int Of(DeliveryStatus s) => counts.SingleOrDefault(c => c.Key == s)?.Count ?? 0;
        return new Summary(Of(DeliveryStatus.Pending), Of(DeliveryStatus.Failed), Of(DeliveryStatus.Delivered));
    }

    // Newest first; status null lists every delivery.
    public async Task<PagedResult<Delivery>> List(DeliveryStatus? status, PageRequest page, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.OutboxMessages.AsNoTracking().Where(m => status == null || m.Status == status);
        var rows = await query.OrderByDescending(m => m.Id).Skip(page.Skip).Take(page.ReadSize)
            .Select(m => new Delivery(m.Id, m.EventId, m.EventType, m.Handler, m.Status, m.Attempts, m.OccurredAt, m.NextAttemptAt, m.DeliveredAt, m.LastError, m.Payload))
            .ToListAsync(ct);
        var (total, lower) = await PagedCount.Total(query, page, rows.Count, ct);
        return new PagedResult<Delivery>(rows.Take(page.SafePageSize).ToList(), total, page.SafePage, page.SafePageSize, lower);
    }

    // A failed delivery is tried again now, with a fresh count of attempts; false when there is no failed one by that id.
    public async Task<bool> Retry(long id, CancellationToken ct)
    {
        var retried = await Requeue(db => db.OutboxMessages.Where(m => m.Id == id), ct);
        return retried > 0;
    }

    public Task<int> RetryAllFailed(CancellationToken ct) => Requeue(db => db.OutboxMessages, ct);

    private async Task<int> Requeue(Func<PayvandDb, IQueryable<OutboxMessage>> which, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var count = await which(db).Where(m => m.Status == DeliveryStatus.Failed).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, DeliveryStatus.Pending).SetProperty(m => m.Attempts, 0).SetProperty(m => m.NextAttemptAt, now), ct);
        if (count > 0) outbox.Wake();
        return count;
    }

    internal static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin/events").WithTags("Events").RequireAuthorization(EventPermissions.Manage);

        api.MapGet("/summary", async (EventAdmin admin, CancellationToken ct) => TypedResults.Ok(await admin.Count(ct)))
            .WithSummary("How many event deliveries wait, failed after their last attempt, and were delivered");

        api.MapGet("/", async (DeliveryStatus? status, int? page, int? pageSize, IStringLocalizer<SharedResource> text, EventAdmin admin, CancellationToken ct) =>
            {
                // The same bounds as every other list (QueryReader.Page): a number out of range is a field error, not a guess.
                var v = new Validator(text);
                if (page is < 1 or > PageRequest.MaxPage) v.Add("page", "{0} must be between {1} and {2}.", "page", 1, PageRequest.MaxPage);
                if (pageSize is < 1 or > PageRequest.MaxPageSize) v.Add("pageSize", "{0} must be between {1} and {2}.", "pageSize", 1, PageRequest.MaxPageSize);
                v.ThrowIfAny();
                return TypedResults.Ok(await admin.List(status, new PageRequest(page ?? 1, pageSize ?? 50), ct));
            })
            .WithSummary("Event deliveries, newest first, optionally of one status (Pending, Delivered, Failed), with the last error");

        api.MapPost("/{id:long}/retry", async Task<Results<NoContent, NotFound>> (long id, EventAdmin admin, CancellationToken ct) =>
                await admin.Retry(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Deliver a failed event again now");

        api.MapPost("/retry-failed", async (EventAdmin admin, CancellationToken ct) => TypedResults.Ok(new { retried = await admin.RetryAllFailed(ct) }))
            .WithSummary("Deliver every failed event again now");
    }
}

// Who may see event deliveries and retry failed ones; the roles that hold it are data (see RolePermissions).
public static class EventPermissions
{
    public const string Manage = "events.manage";

    internal static IServiceCollection AddEventPermissions(this IServiceCollection services) => services.AddPermissions("events", "Background events",
        new Permission(Manage, "See event deliveries and retry failed ones", Roles.Admin));
}

public static class EventsSetup
{
    public static IServiceCollection AddEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(EventOptions.Section).Get<EventOptions>() ?? new EventOptions());
        services.AddSingleton<EventOutbox>();
        services.AddSingleton<IInterceptor, EventOutbox.CommitInterceptor>();
        services.AddSingleton<EventDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<EventDispatcher>());
        services.AddTransient<EventAdmin>();
        services.AddEventPermissions();
        services.AddJobHandler<OutboxCleanup>().AddSchedule(OutboxCleanup.ScheduleName, "15 3 * * *", OutboxCleanup.ScheduleName);
        return services;
    }

    // THandler reacts to TEvent; its name (Module.Class) is stored with every pending delivery, so renaming the class
    // leaves the deliveries under the old name pending (counted on the admin page) until a handler has that name again.
    public static IServiceCollection AddEventHandler<TEvent, THandler>(this IServiceCollection services)
        where THandler : class, IEventHandler<TEvent>
    {
        var type = typeof(THandler);
        var module = type.Namespace?.Split('.').LastOrDefault() ?? "App";
        services.AddScoped<THandler>();
        services.AddSingleton(new EventHandlerRegistration($"{module}.{type.Name}", typeof(TEvent), type));
        return services;
    }

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        EventAdmin.Map(app);
        return app;
    }
}
