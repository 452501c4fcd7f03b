using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;

namespace Payvand.Modules.Contacts;

// What a batch of purchases adds to one person's summary: how many, their amount in rials (0 for other
// currencies), the earliest and the latest.
public sealed record PurchaseFiguresChange(int ContactId, int Count, long Rials, DateTime First, DateTime Last);

// One purchase as the summary counts it, for Recount: the module that owns purchases projects its rows to this.
public sealed class PurchaseFact
{
    public int? ContactId { get; init; }

    public long NetRials { get; init; }

    public DateTime OccurredAt { get; init; }
}

// The typed API through which the Purchases module writes the purchase summary kept on the person (Contact.PurchaseCount,
// NetSpent, FirstPurchaseAt, LastPurchaseAt). The columns belong to Contacts, so the SQL that writes them lives here;
// Purchases only says what changed, inside its own transaction (db is the caller's context).
//
// Every write is one UPDATE ... SET x = x + n: atomic under concurrency, no read of the old values, no version bump
// and no audit entry on the person.
public static class PurchaseFigures
{
    // Written as SQL rather than ExecuteUpdate: every recorded purchase runs it, and the translation of the LINQ form
    // cost more than the statement. One statement per person, all in one command (one round trip for a batch), in
    // the order of the persons' ids, so that concurrent batches lock the rows they share in the same order.
    public static Task Add(PayvandDb db, IEnumerable<PurchaseFiguresChange> changes, CancellationToken ct)
    {
        var sql = new StringBuilder();
        var values = new List<object>();
        foreach (var change in changes.OrderBy(c => c.ContactId))
        {
            var n = values.Count;
            sql.Append(CultureInfo.InvariantCulture, $$"""
                UPDATE "Contacts" SET "PurchaseCount" = "PurchaseCount" + {{{n}}}, "NetSpent" = "NetSpent" + {{{n + 1}}},
                    "FirstPurchaseAt" = CASE WHEN "FirstPurchaseAt" IS NULL OR "FirstPurchaseAt" > {{{n + 2}}} THEN {{{n + 2}}} ELSE "FirstPurchaseAt" END,
                    "LastPurchaseAt" = CASE WHEN "LastPurchaseAt" IS NULL OR "LastPurchaseAt" < {{{n + 3}}} THEN {{{n + 3}}} ELSE "LastPurchaseAt" END
                WHERE "Id" = {{{n + 4}}};

                """);
            values.AddRange([change.Count, change.Rials, change.First, change.Last, change.ContactId]);
        }

        return values.Count == 0 ? Task.CompletedTask : db.Database.ExecuteSqlRawAsync(sql.ToString(), values, ct);
    }

    // A refund lowers what was spent; the purchase still counts as one.
    public static Task Lower(PayvandDb db, int contactId, long rials, CancellationToken ct) =>
        rials == 0 ? Task.CompletedTask : db.Contacts.IgnoreQueryFilters().Where(c => c.Id == contactId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.NetSpent, c => c.NetSpent - rials), ct);

    // Counts the person's summary again from all their purchases (after a merge or an erasure moved many at once), in one
    // statement, so a purchase recorded meanwhile is either counted or adds itself after.
    public static Task Recount(PayvandDb db, int contactId, IQueryable<PurchaseFact> purchases, CancellationToken ct) =>
        db.Contacts.IgnoreQueryFilters().Where(c => c.Id == contactId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.PurchaseCount, c => purchases.Count(p => p.ContactId == c.Id))
            .SetProperty(c => c.NetSpent, c => purchases.Where(p => p.ContactId == c.Id).Sum(p => (long?)p.NetRials) ?? 0L)
            .SetProperty(c => c.FirstPurchaseAt, c => purchases.Where(p => p.ContactId == c.Id).Min(p => (DateTime?)p.OccurredAt))
            .SetProperty(c => c.LastPurchaseAt, c => purchases.Where(p => p.ContactId == c.Id).Max(p => (DateTime?)p.OccurredAt)), ct);
}
