namespace Payvand.Platform.Events;

// A module's reaction to something another module did (Loyalty awards points when PurchaseRecorded is published).
// Register with services.AddDomainEventHandler<TEvent, THandler>().
public interface IDomainEventHandler<in TEvent>
{
    Task Handle(TEvent domainEvent, CancellationToken ct);
}

// Publishes in process, after the publisher's transaction committed, to every handler registered for the event.
// It is not an outbox: an event of a process that stops between commit and publish is lost, and a failing handler
// is logged without undoing the change that raised the event (the change is already committed).
public sealed class DomainEvents(IServiceScopeFactory scopes, ILogger<DomainEvents> log)
{
    public async Task Publish<TEvent>(TEvent domainEvent, CancellationToken ct) where TEvent : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        foreach (var handler in scope.ServiceProvider.GetServices<IDomainEventHandler<TEvent>>())
        {
            try
            {
                await handler.Handle(domainEvent, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Handler {Handler} failed on {Event}", handler.GetType().Name, typeof(TEvent).Name);
            }
        }
    }
}

public static class DomainEventRegistration
{
    public static IServiceCollection AddDomainEventHandler<TEvent, THandler>(this IServiceCollection services)
        where THandler : class, IDomainEventHandler<TEvent> =>
        services.AddScoped<IDomainEventHandler<TEvent>, THandler>();
}
