using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Imports;
using Payvand.Platform.Jobs;
using Payvand.Platform.Notifications;

namespace Payvand.Modules.Imports;

// The background job that runs an import: the file is read row by row and written in batches. Each batch is one
// transaction holding its records, its report rows, the import's counts and the job's progress, so a failing
// batch leaves nothing behind and a job interrupted by a restart resumes after its last committed batch.
// Two stages run side by side on two threads: one reads the file and prepares the next batch (the writer's Prepare:
// cells, validation, the rows to insert) while the other writes the batch before it. Everything that depends on
// earlier batches (de-duplication against them and the database) happens in Write, one batch after the other.
public sealed class ImportJob(IDbContextFactory<PayvandDb> dbFactory, ImportKinds kinds, IConfiguration configuration) : IJobHandler
{
    public const string JobKind = "import";

    // SQLite's page cache for the import's connection while it runs, in KiB (SQLite's own default is 2 MB). The
    // batches' index inserts land all over the people, phone and search-term indexes; with the default cache SQLite
    // reads the same pages again for every batch (docs/benchmarks-log.md, "Import"). Set back when the job ends.
    private const int SqliteCacheKib = 65_536;

    public sealed record Payload(int ImportId);

    public string Kind => JobKind;

    // 2,000 rows per batch: each commit rewrites every page the batch touched (SQLite's WAL, PostgreSQL's), so
    // fewer, larger batches write far less, while a batch's transaction still holds SQLite's write lock well
    // under a second.
    private int BatchSize => Math.Clamp(configuration.GetValue("Payvand:Imports:BatchSize", 2000), 1, 5000);

    // The person who started the import is told how it went, with a link to its report.
    public async Task<NotificationRequest?> Finished(PayvandDb db, BackgroundJob job, JobStatus status, CancellationToken ct)
    {
        if (status is not (JobStatus.Succeeded or JobStatus.Failed) || JsonSerializer.Deserialize<Payload>(job.Payload) is not { } payload) return null;
        var import = await db.Imports.AsNoTracking().Where(i => i.Id == payload.ImportId)
            .Select(i => new { i.Id, i.FileName, i.Created, i.Updated, i.Skipped, i.Invalid }).SingleOrDefaultAsync(ct);
        if (import is null) return null;
        var link = $"imports/{import.Id.ToString(CultureInfo.InvariantCulture)}";
        return status == JobStatus.Succeeded
            ? new NotificationRequest("import.finished", "Import of {0} finished: {1} added, {2} updated, {3} skipped, {4} with errors.",
                [import.FileName, NotificationArg.Number(import.Created), NotificationArg.Number(import.Updated), NotificationArg.Number(import.Skipped), NotificationArg.Number(import.Invalid)], link)
            : new NotificationRequest("import.failed", "Import of {0} failed: {1}", [import.FileName, job.Error ?? ""], link);
    }

    public async Task Run(BackgroundJob job, CancellationToken ct)
    {
        var importId = JsonSerializer.Deserialize<Payload>(job.Payload)?.ImportId ?? throw new InvalidOperationException("Import job without an import.");
        Import import;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            import = await db.Imports.AsNoTracking().SingleAsync(i => i.Id == importId, ct);
        }

        // The file is streamed from its chunks, never held whole (an import takes up to 200 MB): the reading stage reads
        // it with a context of its own, a chunk a query; a look-ahead (an order across batches) reads it again, in a pass
        // of its own, through the writer's context, so that a batch holding a connection needs no second one from a
        // small pool.
        var fileId = import.FileId ?? throw new InvalidOperationException("The import's file is no longer kept.");
        var settings = JsonSerializer.Deserialize<ImportSettings>(import.Settings) ?? new ImportSettings();
        var writer = kinds.Get(import.Kind).Begin(new ImportRun(import.Id, settings, job.User())
        {
            ReadRows = db => new SheetReader(() => StoredFileContent.Open(db, fileId), import.Format, import.Encoding).Rows(out _)
                .Select(r => Map(r.Number, r.Cells, settings.Mapping)),
            Reported = (db, row, ct) => Reported(db, importId, row, ct),
        });

        // At most one prepared batch waits while the next is being prepared and the one before is written.
        var prepared = Channel.CreateBounded<PreparedBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sheet = new SheetReader(() => StoredFileContent.Open(dbFactory, fileId), import.Format, import.Encoding);
        var reading = Task.Run(() => Read(sheet, settings, writer, job.Done, prepared.Writer, stopReading.Token), CancellationToken.None);
        try
        {
            await Write(job, import, writer, prepared.Reader, ct);
        }
        finally
        {
            // A failed write stops the reading; a failed read reached Write through the channel.
            await stopReading.CancelAsync();
            await reading;
        }
    }

    // The reading stage: rows after the ones committed before an interruption, mapped and prepared batch by batch.
    // It never throws: its failure completes the channel, and the writing stage throws it after the batches before.
    private async Task Read(SheetReader sheet, ImportSettings settings, IImportWriter writer, int done, ChannelWriter<PreparedBatch> batches, CancellationToken ct)
    {
        try
        {
            var index = 0;
            var batch = new List<MappedRow>(BatchSize);
            foreach (var (number, cells) in sheet.Rows(out _))
            {
                if (++index <= done) continue;
                batch.Add(Map(number, cells, settings.Mapping));
                if (batch.Count < BatchSize) continue;
                await batches.WriteAsync(writer.Prepare(batch), ct);
                batch = new List<MappedRow>(BatchSize);
            }

            if (batch.Count > 0) await batches.WriteAsync(writer.Prepare(batch), ct);
            batches.Complete();
        }
        catch (Exception e) when (batches.TryComplete(e))
        {
        }
    }

    // The writing stage: one transaction per batch, batches in file order. On SQLite one connection for the whole run,
    // with a larger page cache; on PostgreSQL a pooled connection per batch, so a long import keeps none of the app's
    // small pool (DataSetup.DefaultPoolSize) between batches.
    private async Task Write(BackgroundJob job, Import import, IImportWriter writer, ChannelReader<PreparedBatch> batches, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite()) await db.Database.OpenConnectionAsync(ct);
        long? cache = db.Database.IsSqlite() ? await SqliteCacheSize(db, -SqliteCacheKib, ct) : null;
        try
        {
            var done = job.Done; // rows committed before an interruption
            await foreach (var batch in batches.ReadAllAsync(ct))
            {
                done = await Commit(db, job.Id, import, writer, batch, done, ct);
                db.ChangeTracker.Clear();
            }
        }
        finally
        {
            if (cache is { } before) await SqliteCacheSize(db, before, CancellationToken.None);
        }
    }

    // Sets the connection's page cache size and returns the one it had.
    // (A negative size is in KiB, a positive one in pages.)
    private static async Task<long> SqliteCacheSize(PayvandDb db, long size, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA cache_size";
        var before = Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size={size}");
        await command.ExecuteNonQueryAsync(ct);
        return before;
    }

    private static async Task<int> Commit(PayvandDb db, int jobId, Import import, IImportWriter writer, PreparedBatch batch, int done, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var report = await writer.Write(db, batch, ct);
        db.ImportReportChunks.Add(new ImportReportChunk { ImportId = import.Id, FirstRow = batch.Rows[0].Row, Rows = JsonSerializer.Serialize(report) });
        await db.SaveChangesAsync(ct);
        int Count(RowOutcome outcome) => report.Count(r => r.Outcome == outcome);
        int created = Count(RowOutcome.Created), updated = Count(RowOutcome.Updated), skipped = Count(RowOutcome.Skipped), invalid = Count(RowOutcome.Invalid);
        await db.Imports.Where(i => i.Id == import.Id).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Created, i => i.Created + created).SetProperty(i => i.Updated, i => i.Updated + updated)
            .SetProperty(i => i.Skipped, i => i.Skipped + skipped).SetProperty(i => i.Invalid, i => i.Invalid + invalid), ct);
        done += batch.Rows.Count;
        await JobQueue.Progress(db, jobId, done, import.TotalRows, ct);
        await tx.CommitAsync(ct);
        return done;
    }

    // The mapped cells of one row by field key; a column mapped to nothing (or beyond the row) is left out.
    // The report of one written row, from the chunk that holds it.
    private static async Task<ReportRow?> Reported(PayvandDb db, int importId, int row, CancellationToken ct)
    {
        var chunk = await db.ImportReportChunks.AsNoTracking().Where(c => c.ImportId == importId && c.FirstRow <= row)
            .OrderByDescending(c => c.FirstRow).Select(c => c.Rows).FirstOrDefaultAsync(ct);
        return (chunk is null ? null : JsonSerializer.Deserialize<List<ReportRow>>(chunk))?.FirstOrDefault(r => r.Row == row);
    }

    public static MappedRow Map(int number, string[] cells, IReadOnlyList<string?> mapping)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < mapping.Count && i < cells.Length; i++)
        {
            if (mapping[i] is { } key) values[key] = cells[i];
        }

        return new MappedRow(number, values);
    }
}
