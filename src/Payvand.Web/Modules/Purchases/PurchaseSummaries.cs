using System.Globalization;
using System.Text;
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
    // cost more than the statement. One statement per person, all in one command (one round trip for a batch), in
    // the order of the persons' ids, so that concurrent batches lock the rows they share in the same order.
    public static Task Added(PayvandDb db, IEnumerable<Purchase> purchases, CancellationToken ct)
    {
        var sql = new StringBuilder();
        var values = new List<object>();
        foreach (var person in purchases.Where(p => p.ContactId is not null).GroupBy(p => p.ContactId!.Value).OrderBy(g => g.Key))
        {
            var n = values.Count;
            sql.Append(CultureInfo.InvariantCulture, $$"""
                UPDATE "Contacts" SET "PurchaseCount" = "PurchaseCount" + {{{n}}}, "NetSpent" = "NetSpent" + {{{n + 1}}},
                    "FirstPurchaseAt" = CASE WHEN "FirstPurchaseAt" IS NULL OR "FirstPurchaseAt" > {{{n + 2}}} THEN {{{n + 2}}} ELSE "FirstPurchaseAt" END,
                    "LastPurchaseAt" = CASE WHEN "LastPurchaseAt" IS NULL OR "LastPurchaseAt" < {{{n + 3}}} THEN {{{n + 3}}} ELSE "LastPurchaseAt" END
                WHERE "Id" = {{{n + 4}}};

                """);
            values.AddRange([person.Count(), person.Sum(p => InRials(p, p.Total)), person.Min(p => p.OccurredAt), person.Max(p => p.OccurredAt), person.Key]);
        }

        return values.Count == 0 ? Task.CompletedTask : db.Database.ExecuteSqlRawAsync(sql.ToString(), values, ct);
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
