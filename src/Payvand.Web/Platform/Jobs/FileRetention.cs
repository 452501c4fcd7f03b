using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Audit;
using Payvand.Platform.Data;
using Payvand.Platform.Settings;

namespace Payvand.Platform.Jobs;

// Files a module still needs whatever their age, e.g. the spreadsheet of an import whose job has not finished.
public interface IFilesInUse
{
    IQueryable<int> FileIds(PayvandDb db);
}

// Uploaded spreadsheets and finished exports hold personal data that erasing a person cannot find inside them, so
// they are kept for a limited time only: the administrator's setting, else Payvand:Files:RetentionDays, else 30 days.
// Every hour (the "file-retention" schedule), older files are deleted in one transaction with one audit entry; the
// imports and exports that pointed to them stay (the database sets their file to null) and say the file is no longer
// kept. Safe on every instance: a second sweep finds nothing.
public sealed class FileRetention(
    IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IConfiguration configuration, PayvandSettings settings,
    IEnumerable<IFilesInUse> inUse, ILogger<FileRetention> log) : IJobHandler
{
    public const string ScheduleName = "file-retention";
    public const string JobKind = "file-retention";
    public const int DefaultDays = 30;
    public const int MaxDays = 3_650;

    // The period when the administrator has not chosen one.
    public int ConfiguredDays => Math.Clamp(configuration.GetValue("Payvand:Files:RetentionDays", DefaultDays), 1, MaxDays);

    public async Task<int> Days(CancellationToken ct = default) => (await settings.Get(ct)).FileRetentionDays ?? ConfiguredDays;

    // Deletes the files older than the retention period, as of the clock's now; returns how many.
    public async Task<int> Sweep(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var days = await Days(ct);
        var before = now.AddDays(-days);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var expired = db.StoredFiles.Where(f => f.CreatedAt < before);
        foreach (var use in inUse)
        {
            var kept = use.FileIds(db);
            expired = expired.Where(f => !kept.Contains(f.Id));
        }

        var deleted = await expired.ExecuteDeleteAsync(ct);
        if (deleted == 0) return 0; // no entry for an hour in which nothing expired
        db.Audit.Add(new AuditEntry
        {
            At = now,
            Action = AuditAction.Delete,
            EntityType = nameof(StoredFile),
            Detail = string.Create(CultureInfo.InvariantCulture, $"Retention: {deleted} files older than {days} days (made before {before:yyyy-MM-dd HH:mm} UTC) deleted"),
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return deleted;
    }

    public string Kind => JobKind;

    public int MaxAttempts => 3;

    public async Task Run(BackgroundJob job, CancellationToken ct)
    {
        var deleted = await Sweep(ct);
        if (deleted > 0) log.LogInformation("Deleted {Count} expired stored files", deleted);
    }
}
