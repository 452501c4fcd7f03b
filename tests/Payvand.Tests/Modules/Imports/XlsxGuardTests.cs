using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Text;
using Payvand.Modules.Imports;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Imports.ImportFiles;

namespace Payvand.Tests.Modules.Imports;

// A 1 MB XLSX holding one 1 GB cell took the server from 0.7 to 2.8 GB before it was refused: an XLSX is measured
// (declared sizes, compression ratio, what its parts really unpack to, cells) before ClosedXML opens it.
public sealed class XlsxGuardTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private const long MB = 1024 * 1024;

    // A workbook of one sheet whose cell A2 holds cellBytes letters, built as a stream: the test never holds the cell.
    public static byte[] Bomb(long cellBytes)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, xml) in Parts) Write(zip, name, xml);
            using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Optimal).Open();
            sheet.Write(Encoding.UTF8.GetBytes(
                """<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>نام</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>"""));
            var chunk = Encoding.ASCII.GetBytes(new string('A', (int)MB));
            for (var left = cellBytes; left > 0; left -= chunk.Length) sheet.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
            sheet.Write(Encoding.UTF8.GetBytes("</t></is></c></row></sheetData></worksheet>"));
        }

        return buffer.ToArray();
    }

    private static readonly (string Name, string Xml)[] Parts =
    [
        ("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"""),
        ("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""),
        ("xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""),
        ("xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"""),
    ];

    private static void Write(ZipArchive zip, string name, string xml)
    {
        using var part = zip.CreateEntry(name).Open();
        part.Write(Encoding.UTF8.GetBytes(xml));
    }

    // The sizes of a part as the zip declares them, in its local header and its central directory, set to a lie.
    private static byte[] Declare(byte[] zip, string part, uint size)
    {
        var name = Encoding.ASCII.GetBytes(part);
        var patched = zip.ToArray();
        for (var i = 0; i + 46 < patched.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(patched.AsSpan(i));
            var (nameAt, sizeAt) = signature switch { 0x04034b50 => (30, 22), 0x02014b50 => (46, 24), _ => (0, 0) };
            if (nameAt == 0) continue;
            var length = BinaryPrimitives.ReadUInt16LittleEndian(patched.AsSpan(i + nameAt - (nameAt == 30 ? 4 : 18)));
            if (length == name.Length && patched.AsSpan(i + nameAt, length).SequenceEqual(name)) BinaryPrimitives.WriteUInt32LittleEndian(patched.AsSpan(i + sizeAt), size);
        }

        return patched;
    }

    private static readonly Lazy<byte[]> Gigabyte = new(() => Bomb(300 * MB)); // past the 256 MB a file may unpack to

    [Fact]
    public void A_zip_bomb_is_refused_from_its_declared_sizes_without_unpacking_it()
    {
        var bomb = Gigabyte.Value;
        Assert.True(bomb.Length < 2 * MB, $"{bomb.Length} bytes");

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var problem = XlsxGuard.Check(bomb, XlsxGuard.Limits.Default);
        var used = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.Equal("The Excel file unpacks to more than {0} MB. Save it as CSV, or split it into smaller files.", problem?.Text);
        Assert.Equal(256L, problem!.Values[0]);
        Assert.True(used < 10 * MB, $"{used} bytes allocated");
    }

    [Fact]
    public void A_file_compressed_too_well_is_refused_and_a_part_that_unpacks_to_more_than_it_declares_too()
    {
        Assert.StartsWith("The Excel file unpacks to more than {0} times its size", XlsxGuard.Check(Bomb(20 * MB), XlsxGuard.Limits.Default)?.Text, StringComparison.Ordinal);

        // A zip may lie about its sizes: the part is unpacked as a stream, never past what it declared.
        var small = Bomb(100_000);
        Assert.Null(XlsxGuard.Check(small, XlsxGuard.Limits.Default));
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var lying = XlsxGuard.Check(Declare(small, "xl/worksheets/sheet1.xml", 1_000), XlsxGuard.Limits.Default);
        Assert.StartsWith("The Excel file is damaged", lying?.Text, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 10 * MB);
    }

    [Fact]
    public void Cells_are_counted_in_every_sheet_before_the_file_is_read()
    {
        var file = Xlsx([["نام", "موبایل"], ["سارا", "09121234567"], ["علی", "09351234567"]]);
        Assert.Null(XlsxGuard.Check(file, XlsxGuard.Limits.Default with { MaxCells = 6 }));
        var problem = XlsxGuard.Check(file, XlsxGuard.Limits.Default with { MaxCells = 5 });
        Assert.Equal(("The Excel file has more than {0} cells. Save it as CSV, or split it into smaller files.", 5L), (problem?.Text, problem?.Values[0]));
    }

    [Fact]
    public async Task The_upload_of_a_bomb_is_a_field_error_in_the_users_language()
    {
        var english = await (await Upload(await app.ClientAs("Sales"), Gigabyte.Value, "bomb.xlsx")).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("The Excel file unpacks to more than 256 MB. Save it as CSV, or split it into smaller files.",
            english.GetProperty("errors").GetProperty("file")[0].GetString());

        var persian = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "fa-IR");
        var problem = await (await Upload(persian, Bomb(20 * MB), "bomb.xlsx")).Problem(HttpStatusCode.BadRequest);
        Assert.StartsWith("فایل اکسل پس از باز شدن بیش از", problem.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }
}
