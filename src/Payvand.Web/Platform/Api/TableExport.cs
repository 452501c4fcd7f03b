using System.Globalization;
using System.Runtime.CompilerServices;
using ClosedXML.Excel;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Persian;

namespace Payvand.Platform.Api;

public enum ExportFormat
{
    Csv,
    Xlsx,
}

// Writes a table (header + rows) as CSV (UTF-8 with BOM, so Excel on Persian Windows opens it right) or XLSX.
public static class TableExport
{
    public const int MaxRows = 200_000;

    public static async Task Write(Stream output, ExportFormat format, IReadOnlyList<string> header, IAsyncEnumerable<string?[]> rows, bool rightToLeft, CancellationToken ct)
    {
        if (format == ExportFormat.Csv)
        {
            // BOM so Excel on Persian Windows reads UTF-8; cells that start like a formula are escaped (CSV injection).
            var options = CsvWriterOptions.Default with { WriteByteOrderMark = true, Injection = CsvInjection.Escape };
            await using var csv = CsvWriter.Create(output, options, true);
            csv.WriteHeader(header.ToArray());
            await foreach (var row in rows.WithCancellation(ct))
            {
                await csv.WriteRecordAsync(row!, ct);
            }

            await csv.FlushAsync(ct);
            return;
        }

        using var book = new XLWorkbook();
        var sheet = book.AddWorksheet("Export");
        sheet.RightToLeft = rightToLeft;
        for (var i = 0; i < header.Count; i++) sheet.Cell(1, i + 1).Value = header[i];
        sheet.Row(1).Style.Font.Bold = true;
        var r = 2;
        await foreach (var row in rows.WithCancellation(ct))
        {
            for (var i = 0; i < row.Length; i++) sheet.Cell(r, i + 1).SetValue(row[i] ?? "");
            r++;
        }

        // Fixed widths: measuring text to fit columns needs System.Drawing fonts, which Linux servers lack.
        sheet.Columns(1, header.Count).Width = 22;
        using var buffer = new MemoryStream();
        book.SaveAs(buffer);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, ct);
    }

    public static string FileName(string name, ExportFormat format) => $"{name}.{format.ToString().ToLowerInvariant()}";

    // Instants as exports write them: UTC, to the minute, in the calendar of the export's other dates (Jalali
    // "1403/05/12 14:30" in Persian beside a Jalali birth date, ISO in English), Latin digits so a spreadsheet sorts them.
    public static string Instant(DateTime utc, bool persian) => persian
        ? Jalali.Format(DateOnly.FromDateTime(utc), persianDigits: false) + utc.ToString(" HH:mm", CultureInfo.InvariantCulture)
        : utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    // The rows of a sorted view: its ids first (at most MaxRows, in the view's order), then the records a thousand at a
    // time, so a large export never holds every record, and the order is the view's whatever the chunk's query returns.
    public static async IAsyncEnumerable<string?[]> InChunks(
        IQueryable<int> ids, Func<List<int>, CancellationToken, Task<IEnumerable<string?[]>>> rows, [EnumeratorCancellation] CancellationToken ct)
    {
        var all = await ids.Take(MaxRows).ToListAsync(ct);
        foreach (var chunk in all.Chunk(1000))
        {
            foreach (var row in await rows([.. chunk], ct)) yield return row;
        }
    }

    public static string ContentType(ExportFormat format) =>
        format == ExportFormat.Csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

// The names of users and branches by id, read once per export: rows show their owner's and branch's names.
public sealed record ExportNames(IReadOnlyDictionary<int, string> Users, IReadOnlyDictionary<int, string> Branches)
{
    public static async Task<ExportNames> Load(PayvandDb db, CancellationToken ct) => new(
        await db.Users.Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct),
        await db.Branches.Select(b => new { b.Id, b.Name }).ToDictionaryAsync(b => b.Id, b => b.Name, ct));

    public string? User(int? id) => id is { } i && Users.TryGetValue(i, out var name) ? name : null;

    public string? Branch(int id) => Branches.GetValueOrDefault(id);
}
