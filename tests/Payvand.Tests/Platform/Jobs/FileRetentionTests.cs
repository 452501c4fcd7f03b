using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Payvand.Modules.Imports;
using Payvand.Modules.Organization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Jobs;
using Payvand.Platform.Persian;
using Payvand.Platform.Settings;
using Payvand.Tests.Infrastructure;
using Payvand.Tests.Modules.Imports;
using static Payvand.Tests.Modules.Imports.ImportFiles;

namespace Payvand.Tests.Platform.Jobs;

// Stored files (uploaded spreadsheets, finished exports) are deleted after the retention period by a sweep that runs
// with the clock it is given; what pointed to them stays and says the file is gone.
[Trait("Category", "Integration")]
public sealed class FileRetentionTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private readonly DateTimeOffset now = TimeProvider.System.GetUtcNow();

    private FileRetention Retention(DateTimeOffset at, int? days = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(days is { } d ? new Dictionary<string, string?> { ["Payvand:Files:RetentionDays"] = d.ToString(System.Globalization.CultureInfo.InvariantCulture) } : [])
            .Build();
        return ActivatorUtilities.CreateInstance<FileRetention>(app.Services, (TimeProvider)new FakeTimeProvider(at), (IConfiguration)configuration);
    }

    private async Task<int> File(DateTimeOffset createdAt)
    {
        await using var db = await app.Db();
        var file = new StoredFile { Name = "kept.csv", ContentType = "text/csv", Content = [1, 2, 3], Size = 3, CreatedAt = createdAt.UtcDateTime };
        db.StoredFiles.Add(file);
        await db.SaveChangesAsync();
        return file.Id;
    }

    private async Task<bool> Exists(int? fileId)
    {
        await using var db = await app.Db();
        return await db.StoredFiles.AnyAsync(f => f.Id == fileId);
    }

    private async Task<List<AuditEntry>> Sweeps()
    {
        await using var db = await app.Db();
        return await db.Audit.Where(a => a.EntityType == nameof(StoredFile)).OrderBy(a => a.Id).ToListAsync();
    }

    [Fact]
    public async Task Old_files_are_deleted_once_and_audited_imports_keep_their_report_and_exports_expire()
    {
        var client = await app.ClientAs("Sales");
        var csv = Utf8(Csv(["نام", "نام خانوادگی", "موبایل"], ["سارا", "کهن", NewMobile()], ["", "", "bad"]), bom: true);
        var done = await Run(client, await Uploaded(client, csv, "old.csv"));
        var draft = await Uploaded(client, csv, "draft.csv");
        var export = await ExportsApiTests.Exported(client, "contacts", "format=csv");

        // An import whose job is running needs its file whatever its age.
        var running = await Uploaded(client, csv, "running.csv");
        await using (var db = await app.Db())
        {
            var job = app.Services.GetRequiredService<JobQueue>().Create("test-hold", new { }, UserScope.System);
            job.Status = JobStatus.Running;
            (job.LockToken, job.LockedUntil) = (Guid.NewGuid(), TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(1)); // held by a live process
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
            await db.Imports.Where(i => i.Id == running.Import.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.JobId, job.Id));
        }

        int[] uploaded;
        int? exported;
        await using (var db = await app.Db())
        {
            uploaded = await db.Imports.Where(i => i.Id == done.Id || i.Id == draft.Import.Id).Select(i => i.FileId!.Value).ToArrayAsync();
            exported = await db.Jobs.Where(j => j.Id == export.Id).Select(j => j.FileId).SingleAsync();
        }

        var later = now.AddDays(FileRetention.DefaultDays + 1);
        var young = await File(later.AddDays(-FileRetention.DefaultDays + 1));
        var before = (await Sweeps()).Count;

        var deleted = await Retention(later).Sweep(CancellationToken.None);

        Assert.True(deleted >= 3, $"deleted {deleted}");
        foreach (var id in uploaded) Assert.False(await Exists(id));
        Assert.False(await Exists(exported));
        Assert.True(await Exists(young));
        Assert.Equal(running.Import.FileName, (await (await client.GetAsync($"/api/imports/{running.Import.Id}")).Read<ImportDetails>()).FileName);
        Assert.True((await (await client.GetAsync($"/api/imports/{running.Import.Id}")).Read<ImportDetails>()).FileKept);
        var audit = Assert.Single((await Sweeps()).Skip(before));
        Assert.Equal(AuditAction.Delete, audit.Action);
        Assert.Contains($"{deleted} files older than 30 days", audit.Detail, StringComparison.Ordinal);

        // The finished import keeps its counts and its row-by-row report, and says the file is gone.
        var after = await (await client.GetAsync($"/api/imports/{done.Id}")).Read<ImportDetails>();
        Assert.Equal((done.Created, done.Invalid, ImportStatus.Succeeded, false), (after.Created, after.Invalid, after.Status, after.FileKept));
        Assert.Equal(3, (await Report(client, done.Id)).Count); // header and two rows
        var preview = await (await client.GetAsync($"/api/imports/{done.Id}/preview")).Read<ImportPreview>();
        Assert.Empty(preview.Rows);

        // A draft cannot be started or mapped without its file: the user is told to upload it again.
        var start = await (await client.PostAsync($"/api/imports/{draft.Import.Id}/start", null)).Problem(HttpStatusCode.Conflict);
        Assert.Contains("no longer kept", start.GetProperty("title").GetString(), StringComparison.Ordinal);
        await (await client.PutJson($"/api/imports/{draft.Import.Id}/mapping", draft.Import.Settings)).Problem(HttpStatusCode.Conflict);

        var expired = await (await client.GetAsync($"/api/exports/{export.Id}")).Read<ExportStatus>();
        Assert.True(expired.Expired);

        // Nothing more to delete: the next sweep writes no entry.
        Assert.Equal(0, await Retention(later).Sweep(CancellationToken.None));
        Assert.Single((await Sweeps()).Skip(before));
    }

    [Fact]
    public async Task The_period_comes_from_configuration()
    {
        var eightDays = await File(now.AddDays(-8));
        var sixDays = await File(now.AddDays(-6));
        var week = Retention(now, days: 7);
        Assert.Equal(7, await week.Days());
        Assert.Equal(FileRetention.DefaultDays, await Retention(now).Days());

        await week.Sweep(CancellationToken.None);

        Assert.False(await Exists(eightDays));
        Assert.True(await Exists(sixDays));
        Assert.Contains("older than 7 days", (await Sweeps())[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrators_setting_comes_before_the_configuration_and_is_audited()
    {
        var admin = await app.AdminClient();
        var tenDays = await File(now.AddDays(-10));
        var threeDays = await File(now.AddDays(-3));
        try
        {
            var saved = await (await admin.PutJson("/api/settings", new EditSettings.Request(MoneyUnit.Toman, [], 5))).Read<BusinessSettings>();
            Assert.Equal(5, saved.FileRetentionDays);
            Assert.Equal(5, await Retention(now, days: 60).Days());

            await Retention(now, days: 60).Sweep(CancellationToken.None);

            Assert.False(await Exists(tenDays));
            Assert.True(await Exists(threeDays));
            await using var db = await app.Db();
            var change = await db.Audit.Where(a => a.EntityType == "AppSetting").OrderByDescending(a => a.Id).FirstAsync();
            Assert.Contains("\"FileRetentionDays\"", change.Changes, StringComparison.Ordinal);

            var problem = await (await admin.PutJson("/api/settings", new EditSettings.Request(MoneyUnit.Toman, [], 0))).Problem(HttpStatusCode.BadRequest);
            Assert.Equal("Keep files for (days) must be between 1 and 3650.", problem.GetProperty("errors").GetProperty("fileRetentionDays")[0].GetString());
        }
        finally
        {
            await (await admin.PutJson("/api/settings", new EditSettings.Request(MoneyUnit.Toman, []))).Read<BusinessSettings>();
        }

        Assert.Equal(60, await Retention(now, days: 60).Days());
    }
}
