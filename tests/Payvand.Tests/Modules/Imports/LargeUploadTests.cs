using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Imports;
using Payvand.Platform.Jobs;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Imports.ImportFiles;

namespace Payvand.Tests.Modules.Imports;

// A 1M-row people CSV (74 MB) was refused by the 50 MB upload limit. Imports take up to Payvand:Imports:MaxUploadMb
// (200 MB by default); the upload goes to a temporary file and into the database a megabyte at a time
// (StoredFileChunk), and the preview reads only the start of the file.
[Trait("Category", "Integration")]
public sealed class LargeUploadTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private const int MB = 1024 * 1024;

    // A people CSV of at least `bytes` bytes: few rows of long notes, so that reading it stays quick.
    private static (byte[] Content, int Rows) People(long bytes)
    {
        using var file = new MemoryStream();
        file.Write(Encoding.UTF8.GetBytes("نام,نام خانوادگی,موبایل,یادداشت\r\n"));
        var note = Encoding.UTF8.GetBytes(new string('ن', 2000) + "\r\n");
        var rows = 0;
        while (file.Length < bytes)
        {
            rows++;
            file.Write(Encoding.UTF8.GetBytes($"سارا,احمدی {rows},{NewMobile()},"));
            file.Write(note);
        }

        return (file.ToArray(), rows);
    }

    [Fact]
    public async Task A_file_over_50_MB_is_accepted_stored_in_chunks_and_previewed_from_its_start()
    {
        var client = await app.ClientAs("Sales");
        var (content, rows) = People(51L * MB);

        var preview = await Uploaded(client, content, "people.csv");

        Assert.Equal(("utf-8", rows), (preview.Import.Encoding, preview.Import.TotalRows));
        Assert.Equal(MapImport.PreviewRows, preview.Rows.Count);
        Assert.Equal(["سارا", "احمدی 1"], preview.Rows[0].Cells.Take(2));
        Assert.Equal(["firstName", "lastName", "mobile", null], preview.Import.Settings.Mapping);
        var again = await (await client.GetAsync($"/api/imports/{preview.Import.Id}/preview")).Read<ImportPreview>();
        Assert.Equal("احمدی 20", again.Rows[^1].Cells[1]);

        await using var db = await app.Db();
        var fileId = await db.Imports.Where(i => i.Id == preview.Import.Id).Select(i => i.FileId!.Value).SingleAsync();
        var file = await db.StoredFiles.Where(f => f.Id == fileId).Select(f => new { f.Size, ContentLength = f.Content.Length }).SingleAsync();
        Assert.Equal((content.Length, 0), (file.Size, file.ContentLength));
        var chunks = await db.Set<StoredFileChunk>().Where(c => c.FileId == fileId).OrderBy(c => c.Index).Select(c => c.Data.Length).ToListAsync();
        Assert.Equal((content.Length + StoredFileChunk.Size - 1) / StoredFileChunk.Size, chunks.Count);
        Assert.Equal(content.Length, chunks.Sum());
    }

    [Fact]
    public async Task A_file_over_the_import_limit_is_refused_with_a_clear_message()
    {
        await using var limited = app.WithWebHostBuilder(b => b.UseSetting("Payvand:Imports:MaxUploadMb", "1"));
        var client = limited.CreateClient();
        client.DefaultRequestHeaders.Authorization = (await app.ClientAs("Sales")).DefaultRequestHeaders.Authorization;

        var problem = await (await Upload(client, People(MB + 1).Content, "people.csv")).Problem(HttpStatusCode.BadRequest);

        Assert.Equal("The file is larger than 1 MB. Split it into smaller files.", problem.GetProperty("errors").GetProperty("file")[0].GetString());
    }

    // A file stored whole before chunks (StoredFile.Content) is still previewed and imported.
    [Fact]
    public async Task A_file_stored_whole_is_still_read()
    {
        var client = await app.ClientAs("Sales");
        var preview = await Uploaded(client, Utf8(Csv(["نام", "نام خانوادگی", "موبایل"], ["سارا", "یکتا", NewMobile()]), bom: false), "people.csv");
        await using (var db = await app.Db())
        {
            var fileId = await db.Imports.Where(i => i.Id == preview.Import.Id).Select(i => i.FileId!.Value).SingleAsync();
            var content = (await db.Set<StoredFileChunk>().SingleAsync(c => c.FileId == fileId)).Data;
            await db.Set<StoredFileChunk>().Where(c => c.FileId == fileId).ExecuteDeleteAsync();
            await db.StoredFiles.Where(f => f.Id == fileId).ExecuteUpdateAsync(s => s.SetProperty(f => f.Content, content));
        }

        var again = await (await client.GetAsync($"/api/imports/{preview.Import.Id}/preview")).Read<ImportPreview>();
        Assert.Equal("یکتا", again.Rows[0].Cells[1]);
        Assert.Equal(1, (await Run(client, preview)).Created);
    }
}
