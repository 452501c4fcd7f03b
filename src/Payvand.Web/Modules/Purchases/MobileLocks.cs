using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;

namespace Payvand.Modules.Purchases;

// Makes "find the person with this mobile, else create them" one step among concurrent purchases (one, a batch) that
// name the same new mobile: 32 parallel purchases once created 2 to 19 people, 8 parallel batches up to 8. Taken in
// the transaction that looks the person up and creates them, and held until it ends.
//
// - PostgreSQL: a transaction-level advisory lock per mobile (pg_advisory_xact_lock), taken in ascending order so two
//   batches naming the same mobiles never wait for each other. Only the purchases of one mobile wait; the lock goes
//   with the commit or rollback, also on another instance over the same database.
// - SQLite: nothing to take. A transaction there begins IMMEDIATE (Microsoft.Data.Sqlite's default), holding the
//   database's only write lock from its first statement, so the look-up and the creation run one transaction at a time.
//
// Not a unique index on mobiles: several people may hold one mobile (family members, an import that creates
// duplicates on purpose, people merged later), and the purchase rule is "the oldest visible holder", not "the only one".
internal static class MobileLocks
{
    // Advisory locks are one 64-bit key space for the whole database: the top bits mark these (nothing else in
    // Payvand takes advisory locks); an E.164 number has at most 15 digits, under 2^50.
    private const long Space = 1L << 62;

    public static async Task Take(PayvandDb db, IEnumerable<string> e164s, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("A mobile is locked inside the transaction that uses it.");
        if (!db.Database.IsNpgsql()) return;
        foreach (var key in e164s.Select(Key).Distinct().Order())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", ct);
        }
    }

    private static long Key(string e164) => Space | long.Parse(e164.AsSpan().TrimStart('+'), NumberStyles.None, CultureInfo.InvariantCulture);
}
