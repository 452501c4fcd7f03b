using System.Globalization;
using System.Text;
using System.Text.Unicode;
using ClosedXML.Excel;
using CsvHelper;
using Payvand.Platform.Data;

namespace Payvand.Modules.Imports;

public enum SheetFormat
{
    Csv,
    Xlsx,
}

// Reads an uploaded spreadsheet as a header row and rows of text cells. CSV is UTF-8 (with or without BOM) when
// the bytes are valid UTF-8, and Windows-1256 otherwise: Excel on Persian Windows saves "CSV" in the ANSI code page,
// and 1256 bytes of Persian text are almost never valid UTF-8, so the check is reliable.
public sealed class SheetReader
{
    private const int Windows1256 = 1256;

    static SheetReader() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private readonly byte[] content;

    public SheetReader(byte[] content, string fileName)
    {
        this.content = content;
        Format = IsZip(content) || fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) ? SheetFormat.Xlsx : SheetFormat.Csv;
        Encoding = Format == SheetFormat.Xlsx ? null : Utf8.IsValid(content) ? "utf-8" : "windows-1256";
    }

    public SheetFormat Format { get; }

    // "utf-8" or "windows-1256" for CSV; null for XLSX (the file says).
    public string? Encoding { get; }

    // The header row, then every data row with its row number as a spreadsheet shows it (the header is row 1).
    // Rows whose cells are all empty are skipped but keep their number, so reported numbers match the file.
    public IEnumerable<(int Number, string[] Cells)> Rows(out string[] header) =>
        Format == SheetFormat.Xlsx ? XlsxRows(out header) : CsvRows(out header);

    private IEnumerable<(int, string[])> CsvRows(out string[] header)
    {
        var options = Encoding == "utf-8" ? CsvReaderOptions.Default : CsvReaderOptions.Default with { Encoding = System.Text.Encoding.GetEncoding(Windows1256) };
        var reader = CsvReader.Create(content, options);
        header = reader.Headers.Select(h => StoredText.Clean(h).Trim().TrimStart('\uFEFF')).ToArray();
        return CsvData(reader, header.Length);
    }

    private static IEnumerable<(int, string[])> CsvData(CsvReader reader, int width)
    {
        using (reader)
        {
            var number = 0;
            while (reader.Read())
            {
                number++;
                var cells = new string[Math.Max(width, reader.FieldCount)];
                for (var i = 0; i < reader.FieldCount; i++) cells[i] = StoredText.Clean(reader.GetString(i)).Trim(); // a NUL in row 2,300 once failed the job
                for (var i = reader.FieldCount; i < cells.Length; i++) cells[i] = "";
                if (cells.All(c => c.Length == 0)) continue;
                yield return (number + 1, cells);
            }
        }
    }

    private IEnumerable<(int, string[])> XlsxRows(out string[] header)
    {
        var book = new XLWorkbook(new MemoryStream(content));
        var sheet = book.Worksheets.First();
        var used = sheet.RangeUsed();
        if (used is null)
        {
            header = [];
            book.Dispose();
            return [];
        }

        var firstRow = used.FirstRow().RowNumber();
        var firstColumn = used.FirstColumn().ColumnNumber();
        var width = used.LastColumn().ColumnNumber() - firstColumn + 1;
        header = Enumerable.Range(0, width).Select(i => Cell(sheet.Cell(firstRow, firstColumn + i))).ToArray();
        return XlsxData(book, sheet, firstRow, used.LastRow().RowNumber(), firstColumn, width);
    }

    private static IEnumerable<(int, string[])> XlsxData(XLWorkbook book, IXLWorksheet sheet, int firstRow, int lastRow, int firstColumn, int width)
    {
        using (book)
        {
            for (var r = firstRow + 1; r <= lastRow; r++)
            {
                var cells = Enumerable.Range(0, width).Select(i => Cell(sheet.Cell(r, firstColumn + i))).ToArray();
                if (cells.All(c => c.Length == 0)) continue;
                yield return (r, cells);
            }
        }
    }

    // Dates as ISO text (Excel keeps them as numbers with a date format); numbers without grouping, so a mobile
    // typed as a number (9121234567) stays readable; everything else as the text shown.
    private static string Cell(IXLCell cell)
    {
        if (cell.IsEmpty()) return "";
        return cell.DataType switch
        {
            XLDataType.DateTime => cell.GetDateTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            XLDataType.Number => cell.GetDouble().ToString("0.##########", CultureInfo.InvariantCulture),
            _ => StoredText.Clean(cell.GetString()).Trim(),
        };
    }

    private static bool IsZip(byte[] bytes) => bytes.Length > 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;
}
