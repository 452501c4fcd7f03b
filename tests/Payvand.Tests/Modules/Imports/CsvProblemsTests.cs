using System.Net;
using System.Text;
using Payvand.Modules.Imports;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Imports.ImportFiles;

namespace Payvand.Tests.Modules.Imports;

// A UTF-8 file with one bad byte was read as Windows-1256 without a word, and an unterminated quote swallowed the rest
// of the file (1 row read instead of 1,001). The preview names the lines and rows; no row is lost without a word.
[Trait("Category", "Integration")]
public sealed class CsvProblemsTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    // A header and `rows` people, each line built by `line` from the row's index (from 1) and a new mobile.
    private static string People(int rows, Func<int, string, string>? line = null)
    {
        var csv = new StringBuilder("نام,نام خانوادگی,موبایل\r\n");
        for (var i = 1; i <= rows; i++)
        {
            var mobile = NewMobile();
            csv.Append(line?.Invoke(i, mobile) ?? $"سارا,احمدی {i},{mobile}").Append("\r\n");
        }

        return csv.ToString();
    }

    [Fact]
    public async Task A_utf8_file_with_a_bad_byte_stays_utf8_and_the_preview_names_the_line_and_marks_the_cell()
    {
        var client = await app.ClientAs("Sales");
        var bytes = new List<byte>(Utf8(People(1000, (i, mobile) => i is 3 or 700 ? $"سا\u0001را,احمدی {i},{mobile}" : $"سارا,احمدی {i},{mobile}"), bom: false));
        // The two marks become lone bytes that no UTF-8 text holds (rows 3 and 700: lines 4 and 701).
        for (var at = bytes.IndexOf(1); at >= 0; at = bytes.IndexOf(1, at + 1)) bytes[at] = 0xFF;

        var preview = await Uploaded(client, [.. bytes], "people.csv");

        Assert.Equal(("utf-8", 1000), (preview.Import.Encoding, preview.Import.TotalRows));
        Assert.Equal(
            [
                "Line 4 holds bytes that are not UTF-8, unlike the rest of the file: they show as �. Check its cells before importing.",
                "Line 701 holds bytes that are not UTF-8, unlike the rest of the file: they show as �. Check its cells before importing.",
            ],
            preview.Warnings);
        var row = preview.Rows[2];
        Assert.Equal((4, "سا\uFFFDرا"), (row.Row, row.Cells[0]));
        Assert.Equal("This cell holds bytes that are not UTF-8 (shown as �).", row.CellProblems[0]);
        Assert.Empty(preview.Rows[0].CellProblems);

        // Nothing is lost: every row is imported or reported.
        var done = await Run(client, preview);
        Assert.Equal(1000, done.Created + done.Invalid + done.Skipped);
    }

    [Fact]
    public async Task A_windows_1256_file_is_still_detected_as_such()
    {
        var client = await app.ClientAs("Sales");
        var preview = await Uploaded(client, Windows1256(People(50).Replace('ی', 'ي')), "people.csv");
        Assert.Equal(("windows-1256", 50), (preview.Import.Encoding, preview.Import.TotalRows));
        Assert.Empty(preview.Warnings);
        Assert.Equal("سارا", preview.Rows[0].Cells[0]);
    }

    [Fact]
    public async Task An_unterminated_quote_is_refused_with_its_row_and_line_in_the_users_language()
    {
        var csv = People(1000, (i, mobile) => i == 10 ? $"\"سارا,احمدی {i},{mobile}" : $"سارا,احمدی {i},{mobile}");

        var problem = await (await Upload(await app.ClientAs("Sales"), Utf8(csv, bom: false), "people.csv")).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(
            "Row 11 (line 11) opens a quote (\") that is never closed, so the rest of the file would be read as one cell. Close or remove the quote and upload the file again.",
            problem.GetProperty("errors").GetProperty("file")[0].GetString());

        var persian = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "fa-IR");
        var fa = await (await Upload(persian, Utf8(csv, bom: false), "people.csv")).Problem(HttpStatusCode.BadRequest);
        Assert.StartsWith("ردیف 11 (خط 11) گیومه‌ای", fa.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quote_inside_a_cell_is_kept_as_text_and_named_in_the_preview()
    {
        var client = await app.ClientAs("Sales");
        // A multi-line quoted cell before it: the row and the line differ.
        var csv = People(1000, (i, mobile) => i switch
        {
            2 => $"سارا,\"احمدی\r\nدوم\",{mobile}",
            5 => $"سا\"را,احمدی {i},{mobile}",
            _ => $"سارا,احمدی {i},{mobile}",
        });

        var preview = await Uploaded(client, Utf8(csv, bom: false), "people.csv");

        Assert.Equal(1000, preview.Import.TotalRows);
        Assert.Equal(["Row 6 (line 7) holds a quote (\") inside a cell, which was kept as text. Check the row's cells before importing."], preview.Warnings);
        Assert.Equal("سا\"را", preview.Rows[4].Cells[0]);
    }
}
