using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Payvand.Modules.Contacts;
using Payvand.Modules.Imports;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Jobs;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Imports.ImportFiles;

namespace Payvand.Tests.Modules.Imports;

// The job runner and the import job below the API: what happens on a restart and when a batch fails.
[Trait("Category", "Integration")]
public sealed class ImportJobTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    // An uploaded and mapped import with a job row written straight to the table, as a previous process left it.
    private async Task<(int ImportId, int JobId)> Prepared(HttpClient client, string csv, JobStatus status, int done, Func<ImportSettings, ImportSettings>? change = null)
    {
        var preview = await Uploaded(client, Utf8(csv, bom: false), "left-behind.csv");
        await using var db = await app.Db();
        var import = await db.Imports.SingleAsync(i => i.Id == preview.Import.Id);
        if (change is not null) import.Settings = JsonSerializer.Serialize(change(JsonSerializer.Deserialize<ImportSettings>(import.Settings)!));
        var user = await db.Users.SingleAsync(u => u.Id == import.CreatedById);
        var scope = new UserScope(user.Id, user.UserName!, new HashSet<string> { Roles.Sales }, new HashSet<int> { app.MainBranchId });
        var job = app.Services.GetRequiredService<JobQueue>().Create(ImportJob.JobKind, new ImportJob.Payload(import.Id), scope);
        job.Status = status;
        job.Done = done;
        job.Total = import.TotalRows;
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        import.JobId = job.Id;
        await db.SaveChangesAsync();
        return (import.Id, job.Id);
    }

    [Fact]
    public async Task After_a_restart_queued_jobs_run_and_interrupted_ones_resume_after_their_last_batch()
    {
        var client = await app.ClientAs("Sales");
        var tag = "restart" + Guid.NewGuid().ToString("N")[..6];
        var queued = await Prepared(client, Csv(["نام خانوادگی", "برچسب"], ["صف‌یک", tag], ["صف‌دو", tag]), JobStatus.Queued, 0);
        var interrupted = await Prepared(client, Csv(["نام خانوادگی", "برچسب"], ["قبلی‌یک", tag], ["قبلی‌دو", tag], ["بعدی‌یک", tag], ["بعدی‌دو", tag]), JobStatus.Running, 2);

        // A second runner over the same services plays the restarted process: it looks at the table when it starts.
        var runner = ActivatorUtilities.CreateInstance<JobRunner>(app.Services, NullLogger<JobRunner>.Instance);
        await runner.StartAsync(CancellationToken.None);
        try
        {
            var first = await Finished(client, queued.ImportId);
            var second = await Finished(client, interrupted.ImportId);
            Assert.Equal((ImportStatus.Succeeded, 2, 2), (first.Status, first.Done, first.Created));
            Assert.Equal((ImportStatus.Succeeded, 4, 2), (second.Status, second.Done, second.Created)); // rows 2-3 counted as done before
        }
        finally
        {
            await runner.StopAsync(CancellationToken.None);
        }

        await using var db = await app.Db();
        var names = await db.Contacts.Where(c => c.Tags.Any(t => t.Name == tag)).Select(c => c.LastName).ToListAsync();
        Assert.Equal(["بعدی‌دو", "بعدی‌یک", "صف‌دو", "صف‌یک"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_failing_batch_leaves_nothing_half_written()
    {
        var client = await app.ClientAs("Sales");
        var tag = "broken" + Guid.NewGuid().ToString("N")[..6];
        // An owner that no longer exists passes row validation but breaks the batch's insert (foreign key).
        var (importId, jobId) = await Prepared(client, Csv(["نام خانوادگی", "موبایل"], ["اول", NewMobile()], ["دوم", NewMobile()], ["سوم", NewMobile()]),
            JobStatus.Running, 0, s => s with { OwnerId = 987_654, Tags = [tag] });

        BackgroundJob job;
        await using (var db = await app.Db()) job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => app.Services.GetRequiredService<ImportJob>().Run(job, CancellationToken.None));

        await using var after = await app.Db();
        Assert.False(await after.Contacts.AnyAsync(c => c.Tags.Any(t => t.Name == tag)));
        Assert.False(await after.Contacts.AnyAsync(c => c.LastName == "اول" || c.LastName == "دوم"));
        Assert.False(await after.ImportReportChunks.AnyAsync(c => c.ImportId == importId));
        var import = await after.Imports.Include(i => i.Job).SingleAsync(i => i.Id == importId);
        Assert.Equal((0, 0), (import.Created, import.Job!.Done));
        Assert.False(await after.Audit.AnyAsync(a => a.EntityType == nameof(Contact) && a.Changes != null && a.Changes.Contains(tag)));
    }
}
