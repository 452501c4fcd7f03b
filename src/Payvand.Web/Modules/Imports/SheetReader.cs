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

// A problem found reading a file that does not stop it from being imported, shown above the preview: an English
// text (a resource key) and its numbers (a line, a row, a count).
public sealed record SheetWarning(string Text, params int[] Values);

// A file that cannot be imported as it is (an unterminated quote): a resource key and its numbers, like SheetWarning.
public sealed class SheetException(string text, params int[] values) : Exception(text)
{
    public int[] Values { get; } = values;
}

// Reads an uploaded spreadsheet as a header row and rows of text cells. CSV is UTF-8 (with or without BOM) when
// the bytes are valid UTF-8, and Windows-1256 otherwise: Excel on Persian Windows saves "CSV" in the ANSI code page,
// and 1256 bytes of Persian text are almost never valid UTF-8, so the check is reliable. A UTF-8 file with a few bad
// bytes (its valid multi-byte letters far outnumber them) stays UTF-8, the bad bytes read as U+FFFD and each line
// holding one is named in Warnings; it was once read as Windows-1256 without a word.
//
// Quotes follow RFC 4180 (CsvHelper's default). A quote inside a cell or text after a closing quote is kept as text
// and named in Warnings; a quote never closed would swallow the rest of the file into one cell (1 row read instead of
// 1,001), so reading stops with a SheetException naming its row and line.
public sealed class SheetReader
{
    private const int Windows1256 = 1256;

    // Lines named one by one in the warnings; the others are counted.
    public const int MaxNamed = 5;

    static SheetReader() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private readonly Func<Stream> open;
    private readonly List<SheetWarning> encodingWarnings = [];
    private readonly List<SheetWarning> quoteWarnings = [];
    private int quoteProblems;

    // A file already uploaded, read as its upload found it (Import.Format, Import.Encoding). open: a new stream of the
    // file from its start, for each reading of its rows (the file is never held whole).
    public SheetReader(Func<Stream> open, SheetFormat format, string? encoding)
    {
        this.open = open;
        Format = format;
        Encoding = format == SheetFormat.Xlsx ? null : encoding ?? "utf-8";
    }

    // A new upload: XLSX when it starts as a zip or is named .xlsx, else CSV in the encoding found by reading it once.
    public static SheetReader Detect(Func<Stream> open, string fileName)
    {
        var head = new byte[4];
        using (var stream = open()) stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (head is [(byte)'P', (byte)'K', 3, 4] || fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)) return new SheetReader(open, SheetFormat.Xlsx, null);
        var warnings = new List<SheetWarning>();
        string encoding;
        using (var stream = open()) encoding = DetectEncoding(stream, warnings);
        var reader = new SheetReader(open, SheetFormat.Csv, encoding);
        reader.encodingWarnings.AddRange(warnings);
        return reader;
    }

    public SheetFormat Format { get; }

    // "utf-8" or "windows-1256" for CSV; null for XLSX (the file says).
    public string? Encoding { get; }

    // What reading found: bad bytes (known at once) and quotes kept as text (known once the rows were read).
    public IReadOnlyList<SheetWarning> Warnings => [.. encodingWarnings, .. quoteWarnings,
        .. quoteProblems > MaxNamed ? [new SheetWarning("{0} more rows hold a quote that was kept as text.", quoteProblems - MaxNamed)] : Array.Empty<SheetWarning>()];

    // Reads the file once, a megabyte at a time (a sequence cut by the end of a block is finished in the next).
    private static string DetectEncoding(Stream stream, List<SheetWarning> warnings)
    {
        var bytes = new byte[1024 * 1024];
        var chars = new char[64 * 1024];
        var badLines = new List<int>();
        long bad = 0, multiByte = 0;
        int kept = 0, line = 1;
        while (true)
        {
            var length = kept + stream.ReadAtLeast(bytes.AsSpan(kept), bytes.Length - kept, throwOnEndOfStream: false);
            var final = length < bytes.Length;
            int position = 0, counted = 0;
            while (position < length)
            {
                var status = Utf8.ToUtf16(bytes.AsSpan(position, length - position), chars, out var read, out var written, replaceInvalidSequences: false, isFinalBlock: final);
                multiByte += read - written; // bytes beyond one per character: the valid letters outside ASCII
                position += read;
                if (status == System.Buffers.OperationStatus.NeedMoreData) break;
                if (status != System.Buffers.OperationStatus.InvalidData) continue;
                bad++;
                line += bytes.AsSpan(counted, position - counted).Count((byte)'\n');
                counted = position;
                if (badLines.Count == 0 || badLines[^1] != line) badLines.Add(line);
                position++;
            }

            line += bytes.AsSpan(counted, position - counted).Count((byte)'\n');
            if (final) break;
            kept = length - position;
            bytes.AsSpan(position, kept).CopyTo(bytes);
        }

        if (bad == 0) return "utf-8";
        if (multiByte < 10 * bad) return "windows-1256";
        foreach (var l in badLines.Take(MaxNamed))
        {
            warnings.Add(new SheetWarning("Line {0} holds bytes that are not UTF-8, unlike the rest of the file: they show as �. Check its cells before importing.", l));
        }

        if (badLines.Count > MaxNamed) warnings.Add(new SheetWarning("{0} more lines hold bytes that are not UTF-8.", badLines.Count - MaxNamed));
        return "utf-8";
    }

    // The header row, then every data row with its row number as a spreadsheet shows it (the header is row 1).
    // Rows whose cells are all empty are skipped but keep their number, so reported numbers match the file.
    public IEnumerable<(int Number, string[] Cells)> Rows(out string[] header) =>
        Format == SheetFormat.Xlsx ? XlsxRows(out header) : CsvRows(out header);

    private IEnumerable<(int, string[])> CsvRows(out string[] header)
    {
        quoteWarnings.Clear();
        quoteProblems = 0;
        var options = CsvReaderOptions.Default with
        {
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = Malformed,
        };
        if (Encoding != "utf-8") options = options with { Encoding = System.Text.Encoding.GetEncoding(Windows1256) };
        var reader = CsvReader.Create(open(), options, leaveOpen: false);
        header = reader.Headers.Select(h => StoredText.Clean(h).Trim().TrimStart('\uFEFF')).ToArray();
        return CsvData(reader, header.Length);
    }

    // The record's number counts the header and the records read, as the rows are numbered (the header is row 1).
    private void Malformed(CsvMalformedRecord record)
    {
        var (row, line) = ((int)record.RecordNumber, (int)record.LineNumber);
        if (record.Reason == CsvMalformedReason.UnterminatedQuote)
        {
            throw new SheetException("Row {0} (line {1}) opens a quote (\") that is never closed, so the rest of the file would be read as one cell. Close or remove the quote and upload the file again.", row, line);
        }

        if (record.Reason is not (CsvMalformedReason.StrayQuote or CsvMalformedReason.TextAfterClosingQuote)) return;
        if (++quoteProblems <= MaxNamed) quoteWarnings.Add(new SheetWarning("Row {0} (line {1}) holds a quote (\") inside a cell, which was kept as text. Check the row's cells before importing.", row, line));
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
        // ClosedXML reads a seekable stream; the file was measured before (XlsxGuard), so it fits in memory.
        var content = new MemoryStream();
        using (var stream = open()) stream.CopyTo(content);
        content.Position = 0;
        var book = new XLWorkbook(content);
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
}
