using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Payvand.Platform.Data;

namespace Payvand.Platform.Events;

// What a handler is given with its event. Db is the dispatcher's context inside the transaction that also marks the
// delivery done: what the handler writes there commits with the mark or not at all, so a handler that only writes to
// the database acts exactly once. Work outside the database (a provider call) happens at least once and uses EventId
// as its idempotency key.
public sealed record EventContext(Guid EventId, DateTime OccurredAt, int Attempt, PayvandDb Db);

// A module's reaction to something another module did (later: Loyalty awards points when PurchaseRecorded is raised).
// Register with services.AddEventHandler<TEvent, THandler>(); throw to have the delivery retried with back-off.
public interface IEventHandler<in TEvent>
{
    Task Handle(TEvent domainEvent, EventContext context, CancellationToken ct);
}

// One registered handler of one event type. Name is stored with each pending delivery: "Module.Handler".
public sealed record EventHandlerRegistration(string Name, Type EventType, Type HandlerType)
{
    internal Task Invoke(IServiceProvider services, string payload, EventContext context, CancellationToken ct) =>
        (Task)typeof(EventHandlerRegistration).GetMethod(nameof(InvokeTyped), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(EventType).Invoke(null, BindingFlags.DoNotWrapExceptions, null, [services, HandlerType, payload, context, ct], null)!;

    private static Task InvokeTyped<TEvent>(IServiceProvider services, Type handlerType, string payload, EventContext context, CancellationToken ct)
    {
        var domainEvent = JsonSerializer.Deserialize<TEvent>(payload, EventOutbox.Json)
            ?? throw new InvalidOperationException($"Event payload of {typeof(TEvent).Name} is empty.");
        var handler = (IEventHandler<TEvent>)services.GetRequiredService(handlerType);
        return handler.Handle(domainEvent, context, ct);
    }
}

// The transactional outbox: Add writes an event, one row per registered handler, into the caller's context, so it is
// saved by the caller's SaveChanges in the caller's transaction. Nothing is written for an event nobody handles.
public sealed class EventOutbox(IEnumerable<EventHandlerRegistration> registrations, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<Type, EventHandlerRegistration[]> byEvent = registrations
        .GroupBy(r => r.EventType).ToDictionary(g => g.Key, g => g.ToArray());

    private readonly Dictionary<string, EventHandlerRegistration> byName = registrations.ToDictionary(r => r.Name, StringComparer.Ordinal);

    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public IReadOnlyCollection<EventHandlerRegistration> Handlers => byName.Values;

    internal EventHandlerRegistration? Find(string handler) => byName.GetValueOrDefault(handler);

    public void Add<TEvent>(PayvandDb db, TEvent domainEvent) where TEvent : notnull
    {
        if (!byEvent.TryGetValue(typeof(TEvent), out var handlers)) return;
        var id = Guid.NewGuid();
        var now = clock.GetUtcNow().UtcDateTime;
        var payload = JsonSerializer.Serialize(domainEvent, Json);
        foreach (var handler in handlers)
        {
            db.Add(new OutboxMessage
            {
                EventId = id,
                EventType = typeof(TEvent).Name,
                Handler = handler.Name,
                Payload = payload,
                OccurredAt = now,
                NextAttemptAt = now,
            });
        }
    }

    // Tells the dispatcher of this process that there is work, so it does not wait for its next poll.
    public void Wake() => wake.Writer.TryWrite(true);

    // Returns at a wake-up or after poll, whichever comes first.
    internal async Task WaitForWork(TimeSpan poll, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(poll);
        try
        {
            await wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The poll interval passed: look anyway (rows written by another instance wake nobody here).
        }
    }

    // Wakes the dispatcher once a save that wrote outbox rows has committed: after the save itself when it had no
    // transaction of its own, else when the caller's transaction commits.
    internal sealed class CommitInterceptor(EventOutbox outbox) : SaveChangesInterceptor
    {
        private readonly ConditionalWeakTable<DbContext, object> saving = [];

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Watch(eventData.Context);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Watch(eventData.Context);
            return result;
        }

        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Saved(eventData.Context);
            return ValueTask.FromResult(result);
        }

        public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            Saved(eventData.Context);
            return result;
        }

        private void Watch(DbContext? db)
        {
            if (db is null || !db.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added)) return;
            if (db.Database.CurrentTransaction is null)
            {
                saving.AddOrUpdate(db, outbox);
                return;
            }

            db.OnCommitted(_ =>
            {
                outbox.Wake();
                return Task.CompletedTask;
            });
        }

        private void Saved(DbContext? db)
        {
            if (db is not null && saving.Remove(db)) outbox.Wake();
        }
    }
}
