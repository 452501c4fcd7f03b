using Payvand.Modules.Contacts;
using Payvand.Platform.Events;

namespace Payvand.Modules.Purchases;

// A person who buys is a customer: a subscriber, lead or opportunity (or a former customer) moves to Customer when a
// purchase of theirs is recorded. Runs on the durable PurchaseRecorded in the dispatcher's transaction, so the move
// and its audit entry commit once with the delivery; a later, higher stage is never lowered.
public sealed class BuyersBecomeCustomers(TimeProvider clock) : IEventHandler<PurchaseRecorded>
{
    public async Task Handle(PurchaseRecorded domainEvent, EventContext context, CancellationToken ct)
    {
        if (domainEvent.ContactId is not { } contactId) return;
        await ContactLifecycle.Advance(context.Db, contactId, LifecycleStage.Customer, clock.GetUtcNow().UtcDateTime, ct);
        await context.Db.SaveChangesAsync(ct);
    }
}
