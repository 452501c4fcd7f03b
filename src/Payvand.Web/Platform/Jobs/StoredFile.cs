using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Privacy;

namespace Payvand.Platform.Jobs;

// A file kept in the database (an uploaded spreadsheet, a finished export) so that it survives restarts and
// needs no shared disk. Files kept whole are bounded by MaxBytes, which keeps a blob column reasonable on both
// databases; larger uploads (imports) are kept in chunks (StoredFileChunk).
public sealed class StoredFile
{
    public const long MaxBytes = 50L * 1024 * 1024;

    public const int MaxNameLength = 255;

    // The name an uploaded file is kept under: its last path segment (browsers on Windows may send C:\folder\a.csv),
    // without control characters, shortened to MaxNameLength keeping its extension (a name over 255 characters once
    // failed the upload with a 500 on PostgreSQL), never cutting a letter written as two UTF-16 units in half.
    public static string SafeName(string? uploaded)
    {
        var name = StoredText.Clean(uploaded ?? "");
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..].Trim();
        if (name.Length == 0) return "upload";
        if (name.Length <= MaxNameLength) return name;
        var extension = Path.GetExtension(name);
        if (extension.Length > 20) extension = "";
        var stem = name[..^extension.Length];
        var keep = MaxNameLength - extension.Length;
        if (char.IsHighSurrogate(stem[keep - 1])) keep--;
        return stem[..keep].TrimEnd() + extension;
    }

    public int Id { get; set; }

    public required string Name { get; set; }

    public required string ContentType { get; set; }

    public long Size { get; set; }

    public int? OwnerId { get; set; }

    public DateTime CreatedAt { get; set; }

    public byte[] Content { get; set; } = [];
}

internal sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> b)
    {
        b.Property(f => f.Name).HasMaxLength(255);
        b.Property(f => f.ContentType).HasMaxLength(100);
        b.HasOne<AppUser>().WithMany().HasForeignKey(f => f.OwnerId).OnDelete(DeleteBehavior.SetNull);
    }
}

// Uploaded import spreadsheets and finished exports may list the person among thousands of rows: nothing finds them
// per person, so a person's export and erasure cannot reach them. FileRetention deletes every file after the period.
public sealed class StoredFilePersonalData : IPersonalData
{
    public string Section => "files";

    public IReadOnlyList<PersonalDataField> Fields { get; } =
    [
        new("StoredFiles", nameof(StoredFile.Content), PersonalDataTreatment.Expires,
            "Uploaded import spreadsheets and finished exports; erasing cannot search inside them, so every file is deleted when the retention period ends"),
        new("StoredFileChunk", nameof(StoredFileChunk.Data), PersonalDataTreatment.Expires,
            "The content of uploaded import spreadsheets, a megabyte a row; deleted with their file when the retention period ends"),
    ];

    public Task<object?> Export(PayvandDb db, int contactId, CancellationToken ct) => Task.FromResult<object?>(null);

    public Task Erase(PayvandDb db, int contactId, CancellationToken ct) => Task.CompletedTask;

    public Task MoveTo(PayvandDb db, int fromContactId, int intoContactId, CancellationToken ct) => Task.CompletedTask;
}
