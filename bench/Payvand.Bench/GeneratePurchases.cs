using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Payvand.Modules.Purchases;
using Payvand.Platform.Data;
using ActivityKind = Payvand.Modules.Activities.ActivityKind;

namespace Payvand.Bench;

// A table being bulk-loaded: a PostgreSQL binary COPY or a prepared SQLite INSERT, fed one row of values at a time.
internal abstract class TableSink : IAsyncDisposable
{
    public long Rows { get; private set; }

    public ValueTask Row(params object?[] values)
    {
        Rows++;
        return Write(values);
    }

    public abstract ValueTask DisposeAsync();

    protected abstract ValueTask Write(object?[] values);

    public static string Columns(string[] columns) => string.Join(", ", columns.Select(c => $"\"{c}\""));
}

internal sealed class CopySink(NpgsqlBinaryImporter importer) : TableSink
{
    public static async Task<CopySink> Open(NpgsqlConnection connection, string table, string[] columns, CancellationToken ct) =>
        new(await connection.BeginBinaryImportAsync($"COPY \"{table}\" ({Columns(columns)}) FROM STDIN (FORMAT BINARY)", ct));

    public override async ValueTask DisposeAsync()
    {
        await importer.CompleteAsync();
        await importer.DisposeAsync();
    }

    protected override async ValueTask Write(object?[] values)
    {
        await importer.StartRowAsync();
        foreach (var value in values)
        {
            switch (value)
            {
                case null: await importer.WriteNullAsync(); break;
                case int i: await importer.WriteAsync(i, NpgsqlTypes.NpgsqlDbType.Integer); break;
                case long l: await importer.WriteAsync(l, NpgsqlTypes.NpgsqlDbType.Bigint); break;
                case decimal d: await importer.WriteAsync(d, NpgsqlTypes.NpgsqlDbType.Numeric); break;
                case DateTime t: await importer.WriteAsync(t, NpgsqlTypes.NpgsqlDbType.TimestampTz); break;
                case string s: await importer.WriteAsync(s, NpgsqlTypes.NpgsqlDbType.Varchar); break;
                case bool b: await importer.WriteAsync(b, NpgsqlTypes.NpgsqlDbType.Boolean); break;
                default: throw new ArgumentException($"No COPY type for {value.GetType().Name}.", nameof(values));
            }
        }
    }
}

// Microsoft.Data.Sqlite binds DateTime and decimal as EF Core stores them (ISO text), so values go in as they are.
internal sealed class InsertSink(SqliteCommand command) : TableSink
{
    public static InsertSink Open(SqliteConnection connection, SqliteTransaction tx, string table, string[] columns)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT INTO \"{table}\" ({Columns(columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        for (var i = 0; i < columns.Length; i++) command.Parameters.Add(new SqliteParameter($"$p{i}", null));
        return new InsertSink(command);
    }

    public SqliteTransaction? Transaction
    {
        set => command.Transaction = value;
    }

    public override ValueTask DisposeAsync() => command.DisposeAsync();

    protected override async ValueTask Write(object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        await command.ExecuteNonQueryAsync();
    }
}

// The purchases part of "generate": the catalogue through EF Core, then purchases, lines, refunds and the timeline
// entries RecordPurchase and RefundPurchase write, in time order (purchase ids grow with OccurredAt, as they would in
// a shop), bulk-loaded; and the SQL check that the people's purchase summaries agree with the purchases.
internal static class GeneratePurchases
{
    public static readonly string[] Tables = ["Purchases", "PurchaseLines", "Refunds", "RefundLines", "Activities"];

    private static readonly string[] PurchaseColumns =
        ["Id", "ContactId", "BranchId", "OwnerId", "Channel", "SourceSystem", "ExternalOrderId", "OccurredAt", "Currency", "Discount", "Total", "Refunded",
         "Version", "CreatedAt", "UpdatedAt"];

    private static readonly string[] LineColumns = ["Id", "ProductId", "Description", "Quantity", "UnitPrice", "Discount", "LineTotal", "PurchaseId"];
    private static readonly string[] RefundColumns = ["Id", "PurchaseId", "RefundedAt", "Amount", "Reason"];
    private static readonly string[] RefundLineColumns = ["PurchaseLineId", "Quantity", "RefundId"];
    private static readonly string[] ActivityColumns = ["Kind", "Type", "ContactId", "BranchId", "OccurredAt", "Subject", "Body", "SourceType", "SourceId", "CreatedAt"];

    // Categories (parents first) and products through EF Core, as the catalogue pages would add them; the product ids by index.
    public static async Task<int[]> Catalogue(AppServices app, PurchaseData data, CancellationToken ct)
    {
        await using var db = await app.Db(ct);
        var categories = new ProductCategory[data.Categories.Count];
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < categories.Length; i++)
            {
                var c = data.Categories[i];
                if ((c.ParentIndex is null) != (pass == 0)) continue;
                categories[i] = new ProductCategory { Name = c.Name, ParentId = c.ParentIndex is { } parent ? categories[parent].Id : null };
                db.ProductCategories.Add(categories[i]);
            }

            await db.SaveChangesAsync(ct);
        }

        var products = data.Products.Select(p => new Product { Sku = p.Sku, Name = p.Name, CategoryId = categories[p.CategoryIndex].Id, Price = p.Price }).ToList();
        db.Products.AddRange(products);
        await db.SaveChangesAsync(ct);
        return products.Select(p => p.Id).ToArray();
    }

    public static async Task<long> Postgres(PurchaseData data, int[] productIds, IReadOnlyList<NpgsqlConnection> connections, CancellationToken ct)
    {
        var sinks = new Sinks(
            await CopySink.Open(connections[0], "Purchases", PurchaseColumns, ct),
            await CopySink.Open(connections[1], "PurchaseLines", LineColumns, ct),
            await CopySink.Open(connections[2], "Refunds", RefundColumns, ct),
            await CopySink.Open(connections[3], "RefundLines", RefundLineColumns, ct),
            await CopySink.Open(connections[4 % connections.Count], "Activities", ActivityColumns, ct));
        await using (sinks)
        {
            await Write(data, productIds, sinks, _ => Task.CompletedTask, ct);
        }

        return sinks.Rows;
    }

    public static async Task<long> Sqlite(PurchaseData data, int[] productIds, SqliteConnection connection, CancellationToken ct)
    {
        var tx = connection.BeginTransaction();
        var all = new[]
        {
            InsertSink.Open(connection, tx, "Purchases", PurchaseColumns), InsertSink.Open(connection, tx, "PurchaseLines", LineColumns),
            InsertSink.Open(connection, tx, "Refunds", RefundColumns), InsertSink.Open(connection, tx, "RefundLines", RefundLineColumns),
            InsertSink.Open(connection, tx, "Activities", ActivityColumns),
        };
        var sinks = new Sinks(all[0], all[1], all[2], all[3], all[4]);
        await using (sinks)
        {
            await Write(data, productIds, sinks, async id =>
            {
                if (id % 100_000 != 0) return;
                await tx.CommitAsync(ct);
                tx = connection.BeginTransaction();
                foreach (var sink in all) sink.Transaction = tx;
            }, ct);
            await tx.CommitAsync(ct);
        }

        return sinks.Rows;
    }

    private sealed record Sinks(TableSink Purchases, TableSink Lines, TableSink Refunds, TableSink RefundLines, TableSink Activities) : IAsyncDisposable
    {
        public long Rows => Purchases.Rows + Lines.Rows + Refunds.Rows + RefundLines.Rows + Activities.Rows;

        public async ValueTask DisposeAsync()
        {
            foreach (var sink in new[] { Purchases, Lines, Refunds, RefundLines, Activities }) await sink.DisposeAsync();
        }
    }

    private static async Task Write(PurchaseData data, int[] productIds, Sinks sinks, Func<int, Task> afterPurchase, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        long lineId = 0;
        var refundId = 0;
        for (var i = 0; i < data.Order.Length; i++)
        {
            ct.ThrowIfCancellationRequested();
            var id = i + 1;
            var p = data.Purchases[data.Order[i]];
            var at = new DateTime(p.OccurredTicks, DateTimeKind.Utc);
            var refundedAt = p.Refund == 0 ? at : Min(at.AddDays(p.RefundDays), PurchaseData.Now);
            var (source, order) = p.Channel switch
            {
                PurchaseChannel.InStore => (string.Create(CultureInfo.InvariantCulture, $"pos-{p.BranchId}"), string.Create(CultureInfo.InvariantCulture, $"{id:00000000}")),
                PurchaseChannel.Online => ("webshop", string.Create(CultureInfo.InvariantCulture, $"W{id}")),
                _ => ((string?)null, (string?)null),
            };
            await sinks.Purchases.Row(id, Null(p.ContactId), p.BranchId, Null(p.OwnerId), (int)p.Channel, source, order, at, Purchase.DefaultCurrency,
                p.Discount, p.Total, p.Refunded, p.Refund == 0 ? 0 : 1, at, refundedAt);
            var firstLineId = lineId + 1;
            for (var l = 0; l < p.LineCount; l++)
            {
                var line = data.Lines[p.FirstLine + l];
                var description = line.ProductIndex < 0 ? PurchaseData.FreeText(p.FirstLine + l) : data.Products[line.ProductIndex].Name;
                await sinks.Lines.Row(++lineId, line.ProductIndex < 0 ? null : productIds[line.ProductIndex], description, line.Quantity, line.UnitPrice,
                    line.Discount, line.LineTotal, id);
            }

            if (p.ContactId != 0)
            {
                await sinks.Activities.Row((int)ActivityKind.External, "purchase", p.ContactId, p.ContactBranchId, at, "خرید به مبلغ " + Money(p.Total), null,
                    "Purchase", id.ToString(CultureInfo.InvariantCulture), at);
            }

            if (p.Refund != 0)
            {
                var reason = PurchaseData.RefundReason(id);
                await sinks.Refunds.Row(++refundId, id, refundedAt, p.Refunded, reason);
                for (var l = 0; l < (p.Refund == 1 ? p.LineCount : 1); l++)
                {
                    await sinks.RefundLines.Row(firstLineId + l, data.Lines[p.FirstLine + l].Quantity, refundId);
                }

                await sinks.Activities.Row((int)ActivityKind.External, "refund", p.ContactId, p.ContactBranchId, refundedAt, "مرجوعی به مبلغ " + Money(p.Refunded),
                    reason, "Refund", refundId.ToString(CultureInfo.InvariantCulture), refundedAt);
            }

            await afterPurchase(id);
            if (id % 500_000 == 0) Console.WriteLine($"  {id:N0} purchases, {lineId:N0} lines, {watch.Elapsed.TotalSeconds:0} s");
        }
    }

    // The people's summaries against the purchases, and every purchase's total against its lines and refunds.
    // Throws when a single row disagrees.
    public static async Task Check(DbConnection connection, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        const string summaries = """
            SELECT COUNT(*) FROM "Contacts" c LEFT JOIN (
                SELECT "ContactId", COUNT(*) AS n, SUM(CASE WHEN "Currency" = 'IRR' THEN "Total" - "Refunded" ELSE 0 END) AS net,
                    MIN("OccurredAt") AS f, MAX("OccurredAt") AS l
                FROM "Purchases" WHERE "ContactId" IS NOT NULL GROUP BY "ContactId") p ON p."ContactId" = c."Id"
            WHERE c."PurchaseCount" <> COALESCE(p.n, 0) OR c."NetSpent" <> COALESCE(p.net, 0)
               OR (c."FirstPurchaseAt" IS NULL) <> (p.f IS NULL) OR (c."LastPurchaseAt" IS NULL) <> (p.l IS NULL)
               OR c."FirstPurchaseAt" <> p.f OR c."LastPurchaseAt" <> p.l
            """;
        const string totals = """
            SELECT COUNT(*) FROM "Purchases" p
            LEFT JOIN (SELECT "PurchaseId", SUM("LineTotal") AS s FROM "PurchaseLines" GROUP BY "PurchaseId") l ON l."PurchaseId" = p."Id"
            LEFT JOIN (SELECT "PurchaseId", SUM("Amount") AS s FROM "Refunds" GROUP BY "PurchaseId") r ON r."PurchaseId" = p."Id"
            WHERE l.s IS NULL OR p."Total" <> l.s - p."Discount" OR p."Refunded" <> COALESCE(r.s, 0) OR p."Refunded" > p."Total"
            """;
        var wrongPeople = await Scalar(connection, summaries, ct);
        var wrongPurchases = await Scalar(connection, totals, ct);
        Console.WriteLine($"  check: {wrongPeople} people whose summary disagrees with their purchases, {wrongPurchases} purchases whose total disagrees with lines or refunds ({watch.Elapsed.TotalSeconds:0} s)");
        if (wrongPeople != 0 || wrongPurchases != 0) throw new InvalidOperationException("The generated purchases and summaries disagree (see above).");
        Console.WriteLine("  " + await Text(connection, """
            SELECT 'people with purchases ' || COUNT(*) || ', most purchases of one person ' || MAX("PurchaseCount") || ', people with 100+ ' || SUM(CASE WHEN "PurchaseCount" >= 100 THEN 1 ELSE 0 END)
            FROM "Contacts" WHERE "PurchaseCount" > 0
            """, ct));
    }

    private static async Task<long> Scalar(DbConnection connection, string sql, CancellationToken ct) => Convert.ToInt64(await Query(connection, sql, ct), CultureInfo.InvariantCulture);

    private static async Task<string> Text(DbConnection connection, string sql, CancellationToken ct) => Convert.ToString(await Query(connection, sql, ct), CultureInfo.InvariantCulture) ?? "";

    private static async Task<object?> Query(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return await command.ExecuteScalarAsync(ct);
    }

    private static int? Null(int id) => id == 0 ? null : id;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    // As RecordPurchase writes amounts into timeline subjects: rials, Latin digits, the currency code.
    private static string Money(long rials) => rials.ToString("#,0", CultureInfo.InvariantCulture) + " " + Purchase.DefaultCurrency;
}
