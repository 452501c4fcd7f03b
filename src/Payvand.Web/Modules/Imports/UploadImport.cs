using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Imports;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Imports;

// Stores an uploaded CSV or XLSX file, reads its header and counts its rows (noting what the preview should warn of), suggests a mapping from the header
// names and returns the preview of the first rows. Nothing is imported until the import is started.
public sealed class UploadImport(
    IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text, ImportKinds kinds, MapImport map,
    IConfiguration configuration)
{
    // The largest upload (Payvand:Imports:MaxUploadMb, 200 MB by default): a 1M-row people CSV is 74 MB, and an
    // import of a million rows should not need splitting by hand. Uploads of other kinds keep the 50 MB of StoredFile.
    public static long MaxBytes(IConfiguration configuration) =>
        Math.Max(1, configuration.GetValue("Payvand:Imports:MaxUploadMb", 200L)) * 1024 * 1024;

    // The upload is copied to a temporary file as it arrives, read from there (format, encoding, rows, warnings) and
    // stored in the database a megabyte at a time (StoredFileChunk): no step holds the whole file in memory.
    public async Task<ImportPreview> Handle(string kindName, string fileName, Stream content, UserScope user, CancellationToken ct)
    {
        var kind = kinds.Find(kindName) ?? throw Invalid("kind", text["Unknown import kind."]);
        var path = Path.Combine(Path.GetTempPath(), $"payvand-upload-{Guid.NewGuid():N}.tmp");
        try
        {
            var size = await CopyLimited(content, path, ct);
            if (size == 0) throw Invalid("file", text["The file is empty."]);
            Stream Open() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
            return await Store(kind, fileName, Open, size, user, ct);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<ImportPreview> Store(IImportKind kind, string fileName, Func<Stream> open, long size, UserScope user, CancellationToken ct)
    {
        SheetReader reader;
        string[] header;
        int rows;
        try
        {
            reader = SheetReader.Detect(open, fileName);
            // An XLSX is measured before it is opened (XlsxGuard): a small file can unpack to gigabytes.
            if (reader.Format == SheetFormat.Xlsx)
            {
                using var zip = open();
                if (XlsxGuard.Check(zip, XlsxGuard.Limits.From(configuration)) is { } tooLarge) throw Invalid("file", text[tooLarge.Text, tooLarge.Values]);
            }

            rows = reader.Rows(out header).Count();
        }
        catch (SheetException e)
        {
            throw Invalid("file", text[e.Message, [.. e.Values.Cast<object>()]]);
        }
        catch (Exception e) when (e is not (OperationCanceledException or ValidationException))
        {
            throw Invalid("file", text["The file could not be read as CSV or Excel (XLSX)."]);
        }

        if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace)) throw Invalid("file", text["The first row of the file must hold the column names."]);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var file = new StoredFile
        {
            Name = StoredFile.SafeName(fileName),
            ContentType = reader.Format == SheetFormat.Xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv",
            Size = size,
            OwnerId = user.UserId > 0 ? user.UserId : null,
            CreatedAt = now,
        };
        var import = new Import
        {
            Kind = kind.Name,
            FileName = file.Name,
            Format = reader.Format,
            Encoding = reader.Encoding,
            TotalRows = rows,
            Headers = JsonSerializer.Serialize(header),
            Warnings = JsonSerializer.Serialize(reader.Warnings),
            Settings = JsonSerializer.Serialize(new ImportSettings { Mapping = Suggest(kind, header) }),
            CreatedById = user.UserId,
            BranchId = user.DefaultBranchId,
            CreatedAt = now,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.StoredFiles.Add(file);
        await db.SaveChangesAsync(ct);
        await using (var stream = open()) await StoredFileContent.Write(db, file.Id, stream, ct);
        import.FileId = file.Id;
        db.Imports.Add(import);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await map.Preview(import.Id, user, ct))!;
    }

    // Each column gets the field whose header names match it; a field is suggested for one column only.
    public static List<string?> Suggest(IImportKind kind, IReadOnlyList<string> header)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        return header.Select(h =>
        {
            var key = ImportField.HeaderKey(h);
            var field = kind.Fields.FirstOrDefault(f => !taken.Contains(f.Key) && (f.Headers.Any(a => ImportField.HeaderKey(a) == key) || ImportField.HeaderKey(f.Key) == key));
            if (field is null) return null;
            taken.Add(field.Key);
            return field.Key;
        }).ToList();
    }

    // Copies the upload to the file as it arrives, refusing it past MaxBytes; returns its size.
    private async Task<long> CopyLimited(Stream content, string path, CancellationToken ct)
    {
        var max = MaxBytes(configuration);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        var chunk = new byte[81920];
        long size = 0;
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            size += read;
            if (size > max) throw Invalid("file", text["The file is larger than {0} MB. Split it into smaller files.", max / (1024 * 1024)]);
            await file.WriteAsync(chunk.AsMemory(0, read), ct);
        }

        return size;
    }

    private static ValidationException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}
