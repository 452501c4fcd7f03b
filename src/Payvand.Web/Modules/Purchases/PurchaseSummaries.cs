using Payvand.Modules.Contacts;
using Payvand.Platform.Data;

namespace Payvand.Modules.Purchases;

// Keeps a person's purchase summary in step with their purchases, through the Contacts module's typed API
// (PurchaseFigures), in the transaction of the purchase or refund. Only purchases in rials are summed into NetSpent;
// purchases in another currency are counted but not added.
internal static class PurchaseSummaries
{
    public static Task Added(PayvandDb db, IEnumerable<Purchase> purchases, CancellationToken ct) =>
        PurchaseFigures.Add(db, purchases.Where(p => p.ContactId is not null).GroupBy(p => p.ContactId!.Value)
            .Select(g => new PurchaseFiguresChange(g.Key, g.Count(), g.Sum(p => InRials(p, p.Total)), g.Min(p => p.OccurredAt), g.Max(p => p.OccurredAt))), ct);

    public static Task Refunded(PayvandDb db, Purchase purchase, long amount, CancellationToken ct) =>
        purchase.ContactId is { } contactId ? PurchaseFigures.Lower(db, contactId, InRials(purchase, amount), ct) : Task.CompletedTask;

    public static Task Recompute(PayvandDb db, int contactId, CancellationToken ct) =>
        PurchaseFigures.Recount(db, contactId, db.Purchases.Select(p => new PurchaseFact
        {
            ContactId = p.ContactId,
            NetRials = p.Currency == Purchase.DefaultCurrency ? p.Total - p.Refunded : 0,
            OccurredAt = p.OccurredAt,
        }), ct);

    private static long InRials(Purchase purchase, long amount) => purchase.Currency == Purchase.DefaultCurrency ? amount : 0;
}
