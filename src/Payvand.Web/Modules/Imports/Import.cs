using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Jobs;

namespace Payvand.Modules.Imports;

// One uploaded file on its way into the database: uploaded, mapped, then run as a background job.
public sealed class Import
{
    public int Id { get; set; }

    public required string Kind { get; set; }

    public required string FileName { get; set; }

    // The uploaded file; null once retention deleted it (the counts and the row-by-row report stay).
    public int? FileId { get; set; }

    public SheetFormat Format { get; set; }

    public string? Encoding { get; set; }

    public int TotalRows { get; set; }

    // The file's header row and the current settings, as JSON.
    public string Headers { get; set; } = "[]";

    public string Settings { get; set; } = "{}";

    // What reading the file found that the preview shows above the rows (SheetWarning: bad bytes, quotes kept as
    // text), as JSON.
    public string Warnings { get; set; } = "[]";

    public int? JobId { get; set; }

    public BackgroundJob? Job { get; set; }

    public int CreatedById { get; set; }

    public int? BranchId { get; set; }

    public DateTime CreatedAt { get; set; }

    public int Created { get; set; }

    public int Updated { get; set; }

    public int Skipped { get; set; }

    public int Invalid { get; set; }
}

// The outcome of one batch of rows, kept as one JSON row per batch rather than one row per line: the report of a
// 100,000-row file costs 200 inserts instead of 100,000, and it commits with the batch it describes.
public sealed class ImportReportChunk
{
    public long Id { get; set; }

    public int ImportId { get; set; }

    public int FirstRow { get; set; }

    public string Rows { get; set; } = "[]";
}

internal sealed class ImportConfiguration : IEntityTypeConfiguration<Import>
{
    public void Configure(EntityTypeBuilder<Import> b)
    {
        b.Property(i => i.Kind).HasMaxLength(30);
        b.Property(i => i.FileName).HasMaxLength(255);
        b.Property(i => i.Encoding).HasMaxLength(20);
        b.HasIndex(i => new { i.CreatedById, i.Id });
        b.HasOne<StoredFile>().WithMany().HasForeignKey(i => i.FileId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(i => i.Job).WithMany().HasForeignKey(i => i.JobId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<AppUser>().WithMany().HasForeignKey(i => i.CreatedById).OnDelete(DeleteBehavior.Cascade);
    }
}

// An import's spreadsheet is kept past the retention period while its job has yet to read it.
internal sealed class ImportFilesInUse : IFilesInUse
{
    public IQueryable<int> FileIds(PayvandDb db) => db.Imports
        .Where(i => i.FileId != null && i.Job != null && (i.Job.Status == JobStatus.Queued || i.Job.Status == JobStatus.Running))
        .Select(i => i.FileId!.Value);
}

internal sealed class ImportReportChunkConfiguration : IEntityTypeConfiguration<ImportReportChunk>
{
    public void Configure(EntityTypeBuilder<ImportReportChunk> b)
    {
        b.HasIndex(c => new { c.ImportId, c.FirstRow });
        b.HasOne<Import>().WithMany().HasForeignKey(c => c.ImportId).OnDelete(DeleteBehavior.Cascade);
    }
}
