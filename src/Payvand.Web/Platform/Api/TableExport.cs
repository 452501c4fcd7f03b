using ClosedXML.Excel;
using CsvHelper;

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

    public static string ContentType(ExportFormat format) =>
        format == ExportFormat.Csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}
