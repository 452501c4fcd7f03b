using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ClosedXML.Excel;
using Payvand.Modules.Imports;
using Payvand.Platform.Imports;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Imports;

// Builds the spreadsheets customers arrive with, and drives an import through the API.
public static class ImportFiles
{
    private static int counter = Random.Shared.Next(1_000_000, 4_000_000);

    static ImportFiles() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    // A mobile number no other test uses: "0912" and seven digits.
    public static string NewMobile() => "0912" + Interlocked.Increment(ref counter).ToString("D7", CultureInfo.InvariantCulture);

    // A national code with a valid check digit, unique like the mobiles.
    public static string NewNationalCode()
    {
        var body = "00" + Interlocked.Increment(ref counter).ToString("D7", CultureInfo.InvariantCulture);
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (body[i] - '0') * (10 - i);
        var r = sum % 11;
        return body + (r < 2 ? r : 11 - r).ToString(CultureInfo.InvariantCulture);
    }

    public static string Csv(params string[][] rows) =>
        string.Join("\r\n", rows.Select(r => string.Join(",", r.Select(c => c.Contains(',', StringComparison.Ordinal) ? $"\"{c}\"" : c)))) + "\r\n";

    public static byte[] Utf8(string csv, bool bom) => bom ? [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)] : Encoding.UTF8.GetBytes(csv);

    // As Excel on Persian Windows saves "CSV": the ANSI code page 1256, which has Arabic ي and ك but not Persian ی.
    public static byte[] Windows1256(string csv) =>
        Encoding.GetEncoding(1256, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetBytes(csv);

    public static byte[] Xlsx(object[][] rows)
    {
        using var book = new XLWorkbook();
        var sheet = book.AddWorksheet("Sheet1");
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                var cell = sheet.Cell(r + 1, c + 1);
                switch (rows[r][c])
                {
                    case DateTime d: cell.SetValue(d); break;
                    case double n: cell.SetValue(n); break;
                    default: cell.SetValue(rows[r][c]?.ToString() ?? ""); break;
                }
            }
        }

        using var buffer = new MemoryStream();
        book.SaveAs(buffer);
        return buffer.ToArray();
    }

    public static async Task<HttpResponseMessage> Upload(HttpClient client, byte[] content, string fileName)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".xlsx", StringComparison.Ordinal) ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
        form.Add(file, "file", fileName);
        return await client.PostAsync("/api/imports", form);
    }

    public static async Task<ImportPreview> Uploaded(HttpClient client, byte[] content, string fileName) =>
        await (await Upload(client, content, fileName)).Read<ImportPreview>(HttpStatusCode.Created);

    public static async Task<ImportDetails> Run(HttpClient client, ImportPreview preview, ImportSettings? settings = null)
    {
        if (settings is not null) await (await client.PutJson($"/api/imports/{preview.Import.Id}/mapping", settings)).Read<ImportPreview>();
        await (await client.PostAsync($"/api/imports/{preview.Import.Id}/start", null)).Read<ImportDetails>(HttpStatusCode.Accepted);
        var done = await Finished(client, preview.Import.Id);
        Assert.True(done.Status != ImportStatus.Failed, "The import failed: " + done.Error);
        return done;
    }

    public static async Task<ImportDetails> Finished(HttpClient client, int id)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var import = await (await client.GetAsync($"/api/imports/{id}")).Read<ImportDetails>();
            if (import.Status is ImportStatus.Succeeded or ImportStatus.Failed or ImportStatus.Cancelled) return import;
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(90), $"Import {id} did not finish: {import.Status}, {import.Done} of {import.TotalRows}");
            await Task.Delay(100);
        }
    }

    // The report as CSV lines of cells (header first), parsed simply: the report's cells hold no line breaks.
    public static async Task<List<string[]>> Report(HttpClient client, int id)
    {
        var response = await client.GetAsync($"/api/imports/{id}/report?format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        return text.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => SplitCsv(l.TrimEnd('\r'))).ToList();
    }

    private static string[] SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }

        cells.Add(cell.ToString());
        return [.. cells];
    }
}
