using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Jobs;

namespace Payvand.Modules.Imports;

// The background job that runs an import: the file is read row by row and written in batches. Each batch is one
// transaction holding its records, its report rows, the import's counts and the job's progress, so a failing
// batch leaves nothing behind and a job interrupted by a restart resumes after its last committed batch.
public sealed class ImportJob(IDbContextFactory<PayvandDb> dbFactory, ImportKinds kinds, IConfiguration configuration) : IJobHandler
{
    public const string JobKind = "import";

    public sealed record Payload(int ImportId);

    public string Kind => JobKind;

    // 500 rows keep a batch's parameter lists and transaction short on both databases and amortize the round trips.
    private int BatchSize => Math.Clamp(configuration.GetValue("Payvand:Imports:BatchSize", 500), 1, 5000);

    public async Task Run(BackgroundJob job, CancellationToken ct)
    {
        var importId = JsonSerializer.Deserialize<Payload>(job.Payload)?.ImportId ?? throw new InvalidOperationException("Import job without an import.");
        Import import;
        byte[] content;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            import = await db.Imports.AsNoTracking().SingleAsync(i => i.Id == importId, ct);
            content = await db.StoredFiles.Where(f => f.Id == import.FileId).Select(f => f.Content).SingleAsync(ct);
        }

        var settings = JsonSerializer.Deserialize<ImportSettings>(import.Settings) ?? new ImportSettings();
        var writer = kinds.Get(import.Kind).Begin(import.Id, settings, job.User());
        var done = job.Done; // rows committed before an interruption
        var index = 0;
        var batch = new List<MappedRow>(BatchSize);
        foreach (var (number, cells) in new SheetReader(content, import.FileName).Rows(out _))
        {
            if (++index <= done) continue;
            batch.Add(Map(number, cells, settings.Mapping));
            if (batch.Count < BatchSize) continue;
            done = await Commit(job.Id, import, writer, batch, done, ct);
            batch.Clear();
        }

        if (batch.Count > 0) await Commit(job.Id, import, writer, batch, done, ct);
    }

    private async Task<int> Commit(int jobId, Import import, IImportWriter writer, List<MappedRow> batch, int done, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var report = await writer.Write(db, batch, ct);
        db.ImportReportChunks.Add(new ImportReportChunk { ImportId = import.Id, FirstRow = batch[0].Row, Rows = JsonSerializer.Serialize(report) });
        await db.SaveChangesAsync(ct);
        int Count(RowOutcome outcome) => report.Count(r => r.Outcome == outcome);
        int created = Count(RowOutcome.Created), updated = Count(RowOutcome.Updated), skipped = Count(RowOutcome.Skipped), invalid = Count(RowOutcome.Invalid);
        await db.Imports.Where(i => i.Id == import.Id).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Created, i => i.Created + created).SetProperty(i => i.Updated, i => i.Updated + updated)
            .SetProperty(i => i.Skipped, i => i.Skipped + skipped).SetProperty(i => i.Invalid, i => i.Invalid + invalid), ct);
        done += batch.Count;
        await JobQueue.Progress(db, jobId, done, import.TotalRows, ct);
        await tx.CommitAsync(ct);
        return done;
    }

    // The mapped cells of one row by field key; a column mapped to nothing (or beyond the row) is left out.
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
