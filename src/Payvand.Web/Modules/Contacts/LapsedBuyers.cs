using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;

namespace Payvand.Modules.Contacts;

// How long without a purchase makes a person lapsed. Days: a fixed number of days since the last purchase. Factor: the
// person's own rhythm instead, Factor times their mean gap between purchases ((last - first) / (count - 1)), never
// less than MinDays, for people with at least MinPurchases purchases. Window: only people whose lapse began within the
// last WindowDays days, so turning a rule on does not reach everyone who stopped buying years ago.
public sealed record LapseRule(int? Days, double? Factor, int MinPurchases, int MinDays, int WindowDays);

// People whose last purchase is long enough ago ("we miss you"), read from the purchase summary kept on the person in
// one statement; no purchase row is read. The relative rule compares day differences, written once per database.
public static class LapsedBuyers
{
    public sealed record Lapsed(int Id, DateTime LastPurchaseAt);

    public static async Task<List<Lapsed>> Find(PayvandDb db, LapseRule rule, DateTime now, CancellationToken ct)
    {
        if (rule.Days is { } days)
        {
            var from = now.AddDays(-(days + rule.WindowDays));
            var to = now.AddDays(-days);
            return await db.Contacts.AsNoTracking()
                .Where(c => c.PurchaseCount >= rule.MinPurchases && c.LastPurchaseAt != null && c.LastPurchaseAt <= to && c.LastPurchaseAt > from)
                .OrderBy(c => c.Id)
                .Select(c => new Lapsed(c.Id, c.LastPurchaseAt!.Value))
                .ToListAsync(ct);
        }

        var factor = rule.Factor ?? 2;
        var minPurchases = Math.Max(2, rule.MinPurchases);
        var latest = now.AddDays(-rule.MinDays);
        var window = (double)rule.WindowDays;
        var minDays = (double)rule.MinDays;
        var rows = db.Database.IsNpgsql()
            ? db.Database.SqlQuery<Lapsed>($"""
                SELECT "Id", "LastPurchaseAt" FROM (
                    SELECT "Id", "LastPurchaseAt",
                        EXTRACT(EPOCH FROM ({now} - "LastPurchaseAt")) / 86400.0 AS lapse,
                        GREATEST({minDays}, {factor} * EXTRACT(EPOCH FROM ("LastPurchaseAt" - "FirstPurchaseAt")) / 86400.0 / ("PurchaseCount" - 1)) AS threshold
                    FROM "Contacts"
                    WHERE "DeletedAt" IS NULL AND "PurchaseCount" >= {minPurchases} AND "LastPurchaseAt" <= {latest}) AS p
                WHERE lapse >= threshold AND lapse < threshold + {window}
                """)
            : db.Database.SqlQuery<Lapsed>($"""
                SELECT "Id", "LastPurchaseAt" FROM (
                    SELECT "Id", "LastPurchaseAt",
                        julianday({now}) - julianday("LastPurchaseAt") AS lapse,
                        MAX({minDays}, {factor} * (julianday("LastPurchaseAt") - julianday("FirstPurchaseAt")) / ("PurchaseCount" - 1)) AS threshold
                    FROM "Contacts"
                    WHERE "DeletedAt" IS NULL AND "PurchaseCount" >= {minPurchases} AND "LastPurchaseAt" <= {latest}) AS p
                WHERE lapse >= threshold AND lapse < threshold + {window}
                """);
        return await rows.OrderBy(l => l.Id).ToListAsync(ct);
    }
}
