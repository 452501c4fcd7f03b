using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Jobs;
using Payvand.Platform.Telemetry;

namespace Payvand.Platform.Events;

// Payvand:Events settings.
public sealed class EventOptions
{
    public const string Section = "Payvand:Events";

    // Off: this instance writes events but leaves their delivery to others (or to its next start).
    public bool Dispatch { get; set; } = true;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    // How long a claim holds; a delivery whose dispatcher died is taken again after it.
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public int BatchSize { get; set; } = 50;

    // Deliveries of one claimed batch run side by side, each in its own transaction.
    public int Concurrency { get; set; } = 2;

    public int MaxAttempts { get; set; } = 10;

    public TimeSpan RetryFirst { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryLongest { get; set; } = TimeSpan.FromHours(1);
}

// Delivers outbox rows at least once, on any number of instances: a batch of due rows of the handlers this process
// has (during a rolling upgrade an older instance leaves a new handler's rows to the others) is claimed with a lease
// (on PostgreSQL with SKIP LOCKED, so instances take different rows), each row is handed to its handler in a transaction
// that also marks it delivered, provided the lease is still this claim's. A failure is retried with back-off; after
// the last attempt the row stays Failed for an administrator to see and retry (EventAdmin).
public sealed class EventDispatcher(
    IServiceProvider services, EventOutbox outbox, IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock,
    EventOptions options, PayvandMetrics metrics, ILogger<EventDispatcher> log) : BackgroundService
{
    private Backoff Backoff => new(options.RetryFirst, options.RetryLongest);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Dispatch) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var delivered = await RunOnce(stoppingToken);
                if (delivered == 0) await outbox.WaitForWork(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // claimed rows are taken again when their lease ends
            }
            catch (Exception e)
            {
                log.LogError(e, "Delivering events failed; trying again after {Poll}", options.PollInterval);
                await Task.Delay(options.PollInterval, clock, stoppingToken);
            }
        }
    }

    // Claims one batch and delivers it; returns how many rows were claimed. Tests call it to deliver at once.
    public async Task<int> RunOnce(CancellationToken ct)
    {
        var token = Guid.NewGuid();
        var claimed = await Claim(token, ct);
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = ct },
            async (message, token2) => await Deliver(message, token, token2));
        return claimed.Count;
    }

    private async Task<List<OutboxMessage>> Claim(Guid token, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + options.Lease;
        var handlers = outbox.Handlers.Select(h => h.Name).ToArray();
        if (handlers.Length == 0) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        List<long> ids;
        if (db.Database.IsNpgsql())
        {
            ids = await db.Database.SqlQuery<long>($"""
                UPDATE "OutboxMessages" SET "LockToken" = {token}, "LockedUntil" = {until}, "Attempts" = "Attempts" + 1
                WHERE "Id" IN (
                    SELECT "Id" FROM "OutboxMessages"
                    WHERE "Status" = 0 AND "NextAttemptAt" <= {now} AND ("LockedUntil" IS NULL OR "LockedUntil" < {now}) AND "Handler" = ANY({handlers})
                    ORDER BY "NextAttemptAt", "Id" LIMIT {options.BatchSize}
                    FOR UPDATE SKIP LOCKED)
                RETURNING "Id" AS "Value"
                """).ToListAsync(ct);
        }
        else
        {
            // SQLite has one writer: the read and the claim in one (immediate) transaction cannot interleave with another.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            ids = await Due(db, now).Where(m => handlers.Contains(m.Handler)).OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Select(m => m.Id).Take(options.BatchSize).ToListAsync(ct);
            if (ids.Count > 0)
            {
                await db.OutboxMessages.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.LockToken, token).SetProperty(m => m.LockedUntil, until).SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
            }

            await tx.CommitAsync(ct);
        }

        if (ids.Count == 0) return [];
        return await db.OutboxMessages.AsNoTracking().Where(m => ids.Contains(m.Id) && m.LockToken == token).OrderBy(m => m.Id).ToListAsync(ct);
    }

    private static IQueryable<OutboxMessage> Due(PayvandDb db, DateTime now) => db.OutboxMessages
        .Where(m => m.Status == DeliveryStatus.Pending && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now));

    private async Task Deliver(OutboxMessage message, Guid token, CancellationToken ct)
    {
        var registration = outbox.Find(message.Handler)!; // claimed by name among this process's handlers
        try
        {
            await using var scope = services.CreateAsyncScope();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await registration.Invoke(scope.ServiceProvider, message.Payload, new EventContext(message.EventId, message.OccurredAt, message.Attempts, db), ct);
            await db.SaveChangesAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var marked = await db.OutboxMessages.Where(m => m.Id == message.Id && m.LockToken == token).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, DeliveryStatus.Delivered).SetProperty(m => m.DeliveredAt, now)
                .SetProperty(m => m.LockToken, (Guid?)null).SetProperty(m => m.LockedUntil, (DateTime?)null), ct);
            if (marked == 0)
            {
                // The lease ended and another dispatcher took the row: its delivery counts, this one is undone.
                log.LogWarning("Event {EventId} for {Handler} was taken over by another dispatcher; this delivery is rolled back", message.EventId, message.Handler);
                return;
            }

            await tx.CommitAsync(ct);
            metrics.EventDelivered(message.EventType);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            await Failed(message, token, e);
        }
    }

    private async Task Failed(OutboxMessage message, Guid token, Exception e)
    {
        var last = message.Attempts >= options.MaxAttempts;
        var next = clock.GetUtcNow().UtcDateTime + Backoff.After(message.Attempts);
        var error = Trim(e.GetType().Name + ": " + e.Message);
        metrics.EventFailed(message.EventType);
        if (last) log.LogError(e, "Event {EventId} ({EventType}) failed in {Handler} after {Attempts} attempts", message.EventId, message.EventType, message.Handler, message.Attempts);
        else log.LogWarning(e, "Event {EventId} ({EventType}) failed in {Handler}, attempt {Attempts}; next at {Next:o}", message.EventId, message.EventType, message.Handler, message.Attempts, next);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.OutboxMessages.Where(m => m.Id == message.Id && m.LockToken == token).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, last ? DeliveryStatus.Failed : DeliveryStatus.Pending)
            .SetProperty(m => m.NextAttemptAt, next)
            .SetProperty(m => m.LastError, error)
            .SetProperty(m => m.LockToken, (Guid?)null).SetProperty(m => m.LockedUntil, (DateTime?)null), CancellationToken.None);
    }

    private static string Trim(string text) => text.Length > 2000 ? text[..2000] : text;
}
