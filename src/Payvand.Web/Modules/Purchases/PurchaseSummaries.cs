using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;

namespace Payvand.Modules.Purchases;

// Keeps a person's purchase summary (Contact.PurchaseCount, NetSpent, FirstPurchaseAt, LastPurchaseAt) in step.
// Each purchase and refund changes it with one UPDATE ... SET x = x + n in its own transaction: atomic under
// concurrency, no read of the old values, no version bump and no audit entry on the person.
// Only purchases in rials are summed into NetSpent; purchases in another currency are counted but not added.
internal static class PurchaseSummaries
{
    // Written as SQL rather than ExecuteUpdate: every recorded purchase runs it, and the translation of the LINQ form
    // cost more than the statement.
    public static Task Added(PayvandDb db, Purchase purchase, CancellationToken ct)
    {
        if (purchase.ContactId is not { } contactId) return Task.CompletedTask;
        var amount = InRials(purchase, purchase.Total);
        var at = purchase.OccurredAt;
        return db.Database.ExecuteSqlAsync($"""
            UPDATE "Contacts" SET "PurchaseCount" = "PurchaseCount" + 1, "NetSpent" = "NetSpent" + {amount},
                "FirstPurchaseAt" = CASE WHEN "FirstPurchaseAt" IS NULL OR "FirstPurchaseAt" > {at} THEN {at} ELSE "FirstPurchaseAt" END,
                "LastPurchaseAt" = CASE WHEN "LastPurchaseAt" IS NULL OR "LastPurchaseAt" < {at} THEN {at} ELSE "LastPurchaseAt" END
            WHERE "Id" = {contactId}
            """, ct);
    }

    // A refund lowers what was spent; the purchase still counts as one.
    public static Task Refunded(PayvandDb db, Purchase purchase, long amount, CancellationToken ct)
    {
        if (purchase.ContactId is not { } contactId) return Task.CompletedTask;
        var rials = InRials(purchase, amount);
        return db.Contacts.IgnoreQueryFilters().Where(c => c.Id == contactId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.NetSpent, c => c.NetSpent - rials), ct);
    }

    // Counts again from the purchases themselves: after a merge or an erasure moved many at once.
    public static Task Recompute(PayvandDb db, int contactId, CancellationToken ct) =>
        db.Contacts.IgnoreQueryFilters().Where(c => c.Id == contactId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.PurchaseCount, c => db.Purchases.Count(p => p.ContactId == c.Id))
            .SetProperty(c => c.NetSpent, c => db.Purchases.Where(p => p.ContactId == c.Id && p.Currency == Purchase.DefaultCurrency)
                .Sum(p => (long?)(p.Total - p.Refunded)) ?? 0L)
            .SetProperty(c => c.FirstPurchaseAt, c => db.Purchases.Where(p => p.ContactId == c.Id).Min(p => (DateTime?)p.OccurredAt))
            .SetProperty(c => c.LastPurchaseAt, c => db.Purchases.Where(p => p.ContactId == c.Id).Max(p => (DateTime?)p.OccurredAt)), ct);

    private static long InRials(Purchase purchase, long amount) => purchase.Currency == Purchase.DefaultCurrency ? amount : 0;
}
