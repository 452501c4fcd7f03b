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

// Stores an uploaded CSV or XLSX file, reads its header and counts its rows, suggests a mapping from the header
// names and returns the preview of the first rows. Nothing is imported until the import is started.
public sealed class UploadImport(
    IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text, ImportKinds kinds, MapImport map,
    IConfiguration configuration)
{
    public async Task<ImportPreview> Handle(string kindName, string fileName, Stream content, UserScope user, CancellationToken ct)
    {
        var kind = kinds.Find(kindName) ?? throw Invalid("kind", text["Unknown import kind."]);
        var bytes = await ReadLimited(content, ct);
        if (bytes.Length == 0) throw Invalid("file", text["The file is empty."]);
        var reader = new SheetReader(bytes, fileName);
        string[] header;
        int rows;
        try
        {
            // An XLSX is measured before it is opened (XlsxGuard): a small file can unpack to gigabytes.
            if (reader.Format == SheetFormat.Xlsx && XlsxGuard.Check(bytes, XlsxGuard.Limits.From(configuration)) is { } tooLarge)
            {
                throw Invalid("file", text[tooLarge.Text, tooLarge.Values]);
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
            Size = bytes.Length,
            OwnerId = user.UserId > 0 ? user.UserId : null,
            CreatedAt = now,
            Content = bytes,
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

    private async Task<byte[]> ReadLimited(Stream content, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > StoredFile.MaxBytes)
            {
                throw Invalid("file", text["The file is larger than {0} MB. Split it into smaller files.", StoredFile.MaxBytes / (1024 * 1024)]);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ValidationException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}
