using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Payvand.Modules.Contacts;
using Payvand.Modules.Imports;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Imports;
using Payvand.Platform.Jobs;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Imports.ImportFiles;

namespace Payvand.Tests.Modules.Imports;

// The job runner and the import job below the API: what happens on a restart and when a batch fails, and the
// pipeline (the next batch read and prepared while the one before is written) keeping batches whole and in order.
[Trait("Category", "Integration")]
public sealed class ImportJobTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    // An uploaded and mapped import with a job row written straight to the table, as a previous process left it.
    // A Running job is claimed (as the test plays its runner, the app's own runner leaves it alone), unless interrupted:
    // then its claim has expired, as that of a process that was killed.
    private async Task<(int ImportId, int JobId)> Prepared(
        HttpClient client, string csv, JobStatus status, int done, Func<ImportSettings, ImportSettings>? change = null, bool interrupted = false)
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
        if (status == JobStatus.Running) (job.LockToken, job.LockedUntil) = (Guid.NewGuid(), TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(interrupted ? -1 : 1));
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
        var interrupted = await Prepared(client, Csv(["نام خانوادگی", "برچسب"], ["قبلی‌یک", tag], ["قبلی‌دو", tag], ["بعدی‌یک", tag], ["بعدی‌دو", tag]), JobStatus.Running, 2, interrupted: true);

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

    // A host whose batches are two rows and whose own job runner is off: the test plays the runner.
    private WebApplicationFactory<Program> TwoRowBatches(Action<IServiceCollection>? services = null) =>
        app.WithWebHostBuilder(b => b.UseSetting("Payvand:Imports:BatchSize", "2").ConfigureServices(s =>
        {
            s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(JobRunner)));
            services?.Invoke(s);
        }));

    private async Task<BackgroundJob> Job(int jobId)
    {
        await using var db = await app.Db();
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
    }

    private async Task<List<ReportRow>> ReportRows(int importId)
    {
        await using var db = await app.Db();
        return (await db.ImportReportChunks.Where(c => c.ImportId == importId).OrderBy(c => c.FirstRow).Select(c => c.Rows).ToListAsync())
            .SelectMany(r => JsonSerializer.Deserialize<List<ReportRow>>(r)!).ToList();
    }

    [Theory]
    [InlineData(DedupeMode.Skip)]
    [InlineData(DedupeMode.Update)]
    public async Task Rows_matching_a_person_of_an_earlier_batch_are_deduplicated_against_him(DedupeMode mode)
    {
        // Batch 2 is prepared while batch 1 is written, yet its rows must meet the people batch 1 created: by mobile
        // (rows 2 and 4), by email two batches apart (rows 2 and 6) and by national code (rows 5 and 7).
        await using var host = TwoRowBatches();
        var client = await app.ClientAs("Sales");
        var (m1, m2, m3, m4, m5) = (NewMobile(), NewMobile(), NewMobile(), NewMobile(), NewMobile());
        var (email, code, run) = ($"a{m1}@example.com", NewNationalCode(), Guid.NewGuid().ToString("N")[..6]);
        var (_, jobId) = await Prepared(client, Csv(["نام خانوادگی", "موبایل", "ایمیل", "کد ملی", "سمت"],
                ["الف" + run, m1, email, "", ""], ["ب" + run, m2, "", "", ""],
                ["پ" + run, m1, $"p{m1}@example.com", "", ""], ["ت" + run, m3, "", code, ""],
                ["ث" + run, m4, email, "", ""], ["ج" + run, m5, "", code, "مدیر"]),
            JobStatus.Running, 0, s => s with { Dedupe = mode });

        await host.Services.GetRequiredService<ImportJob>().Run(await Job(jobId), CancellationToken.None);

        await using var db = await app.Db();
        var people = await db.Contacts.AsNoTracking().Include(c => c.Points).Where(c => c.LastName.EndsWith(run)).ToDictionaryAsync(c => c.Id);
        var report = await ReportRows((await db.Imports.SingleAsync(i => i.JobId == jobId)).Id);
        Assert.Equal([2, 3, 4, 5, 6, 7], report.Select(r => r.Row));
        Assert.Equal([RowOutcome.Created, RowOutcome.Created, RowOutcome.Created], new[] { report[0], report[1], report[3] }.Select(r => r.Outcome));
        Assert.Equal(new[] { report[0], report[1], report[3] }.Select(r => r.RecordId!.Value).Order(), people.Keys.Order());
        var (a, d) = (people[report[0].RecordId!.Value], people[report[3].RecordId!.Value]);
        if (mode == DedupeMode.Skip)
        {
            Assert.Equal(
                [(RowOutcome.Skipped, "Same mobile, email or national code as row 2."), (RowOutcome.Skipped, "Same mobile, email or national code as row 2."),
                    (RowOutcome.Skipped, "Same mobile, email or national code as row 5.")],
                new[] { report[2], report[4], report[5] }.Select(r => (r.Outcome, r.Messages)));
            Assert.Equal(2, a.Points.Count);
            Assert.Equal(("الف" + run, "ت" + run, null), (a.LastName, d.LastName, d.JobTitle));
        }
        else
        {
            // Merged into the person an earlier batch wrote: his phones and emails added, the job title filled in.
            Assert.Equal([(RowOutcome.Updated, a.Id, "Merged with row 2."), (RowOutcome.Updated, a.Id, "Merged with row 2."), (RowOutcome.Updated, d.Id, "Merged with row 5.")],
                new[] { report[2], report[4], report[5] }.Select(r => (r.Outcome, r.RecordId, r.Messages)));
            Assert.Equal(["+98" + m1[1..], "+98" + m4[1..], $"a{m1}@example.com", $"p{m1}@example.com"], a.Points.Select(p => p.NormalizedValue).Order(StringComparer.Ordinal));
            Assert.Equal(("مدیر", code), (d.JobTitle, d.NationalCode));
            Assert.Equal(("ث" + run, "ج" + run), (a.LastName, d.LastName)); // a merged row's non-empty cells win
            var aId = a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var updates = await db.Audit.Where(x => x.EntityType == nameof(Contact) && x.EntityId == aId && x.Action == Payvand.Platform.Audit.AuditAction.Update).Select(x => x.Changes!).ToListAsync();
            Assert.Contains(updates, c => c.Contains($"p{m1}@example.com", StringComparison.Ordinal)); // row 4's merge, audited
            Assert.Contains(updates, c => c.Contains(m4[1..], StringComparison.Ordinal)); // row 6's
        }

        var import = await db.Imports.Include(i => i.Job).SingleAsync(i => i.JobId == jobId);
        Assert.Equal((3, mode == DedupeMode.Update ? 3 : 0, mode == DedupeMode.Skip ? 3 : 0, 6), (import.Created, import.Updated, import.Skipped, import.Job!.Done));
    }

    [Fact]
    public async Task A_batch_failing_while_the_one_before_is_written_stops_the_job_after_that_one_and_a_resume_goes_on_from_it()
    {
        // Preparing the third batch (rows 6-7) fails while the second is being written: the first two batches are
        // committed whole, nothing of the third or later is, and a resumed job writes the rest (still finding row 2's person).
        const string marker = "خراب";
        await using var host = TwoRowBatches(s => s.AddSingleton<IImportKind>(sp => new HookedPeople(ActivatorUtilities.CreateInstance<PeopleImport>(sp), row =>
        {
            if (row.Values["lastName"].StartsWith(marker, StringComparison.Ordinal)) throw new InvalidDataException($"Cannot prepare row {row.Row}.");
        })));
        var client = await app.ClientAs("Sales");
        var run = Guid.NewGuid().ToString("N")[..6];
        var mobiles = Enumerable.Range(0, 7).Select(_ => NewMobile()).ToList();
        mobiles[6] = mobiles[0];
        var (importId, jobId) = await Prepared(client, Csv([["نام خانوادگی", "موبایل"], .. mobiles.Select((m, i) => new[] { (i == 4 ? marker : "نفر") + i + run, m })]),
            JobStatus.Running, 0);
        await using (var db = await app.Db()) await db.Imports.Where(i => i.Id == importId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Kind, HookedPeople.Name));

        var failure = await Assert.ThrowsAsync<InvalidDataException>(async () => await host.Services.GetRequiredService<ImportJob>().Run(await Job(jobId), CancellationToken.None));
        Assert.Contains("row 6", failure.Message, StringComparison.Ordinal);
        await using (var db = await app.Db())
        {
            Assert.Equal(["نفر0" + run, "نفر1" + run, "نفر2" + run, "نفر3" + run], (await db.Contacts.Where(c => c.LastName.EndsWith(run)).Select(c => c.LastName).ToListAsync()).Order(StringComparer.Ordinal));
            Assert.Equal([2, 3, 4, 5], (await ReportRows(importId)).Select(r => r.Row));
            var import = await db.Imports.Include(i => i.Job).SingleAsync(i => i.Id == importId);
            Assert.Equal((4, 4), (import.Created, import.Job!.Done));
            await db.Imports.Where(i => i.Id == importId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Kind, PeopleImport.KindName));
        }

        // The restarted job (the kind mended) resumes at row 6.
        await host.Services.GetRequiredService<ImportJob>().Run(await Job(jobId), CancellationToken.None);
        await using var after = await app.Db();
        Assert.Equal(6, await after.Contacts.CountAsync(c => c.LastName.EndsWith(run)));
        var report = await ReportRows(importId);
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], report.Select(r => r.Row));
        Assert.Equal((RowOutcome.Skipped, "A person with the same mobile, email or national code exists."), (report[6].Outcome, report[6].Messages));
        var done = await after.Imports.Include(i => i.Job).SingleAsync(i => i.Id == importId);
        Assert.Equal((6, 1, 7), (done.Created, done.Skipped, done.Job!.Done));
    }

    [Fact]
    public async Task A_job_cancelled_mid_run_keeps_whole_batches_only_and_its_resume_imports_every_row_once()
    {
        // Cancelled when the fourth batch is prepared, wherever the writing then is (the reader prepares it only once
        // the second batch was taken, so after the first one committed): every committed batch is there with its
        // people, report rows and progress, no batch is there in part, and the resumed job does the rest.
        using var stop = new CancellationTokenSource();
        await using var host = TwoRowBatches(s => s.AddSingleton<IImportKind>(sp => new HookedPeople(ActivatorUtilities.CreateInstance<PeopleImport>(sp), row =>
        {
            if (row.Row == 8) stop.Cancel();
        })));
        var client = await app.ClientAs("Sales");
        var run = Guid.NewGuid().ToString("N")[..6];
        var mobiles = Enumerable.Range(0, 12).Select(_ => NewMobile()).ToList();
        mobiles[9] = mobiles[2]; // a duplicate three batches later: skipped whether its first row came before the stop or after
        var (importId, jobId) = await Prepared(client, Csv([["نام خانوادگی", "موبایل"], .. mobiles.Select((m, i) => new[] { $"Row{i:D2}x{run}", m })]), JobStatus.Running, 0);
        await using (var db = await app.Db()) await db.Imports.Where(i => i.Id == importId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Kind, HookedPeople.Name));

        var importJob = host.Services.GetRequiredService<ImportJob>();
        var job = await Job(jobId);
        int stoppedAt;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => importJob.Run(job, stop.Token));
        await using (var db = await app.Db())
        {
            var import = await db.Imports.Include(i => i.Job).SingleAsync(i => i.Id == importId);
            var done = stoppedAt = import.Job!.Done;
            Assert.True(done is 2 or 4 or 6, $"{done} rows done"); // the first batch, and at most the two taken before the stop
            Assert.Equal(Enumerable.Range(2, done), (await ReportRows(importId)).Select(r => r.Row));
            var written = await db.Contacts.Where(c => c.LastName.EndsWith(run)).Select(c => c.LastName).ToListAsync();
            Assert.Equal(Enumerable.Range(0, done).Where(i => i != 9).Select(i => $"Row{i:D2}x{run}"), written.Order(StringComparer.Ordinal));
            Assert.Equal((written.Count, done - written.Count), (import.Created, import.Skipped));
        }

        await using (var db = await app.Db()) await db.Imports.Where(i => i.Id == importId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Kind, PeopleImport.KindName));
        await importJob.Run(await Job(jobId), CancellationToken.None);
        await using var after = await app.Db();
        var people = await after.Contacts.Where(c => c.LastName.EndsWith(run)).Select(c => c.LastName).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 12).Where(i => i != 9).Select(i => $"Row{i:D2}x{run}"), people.Order(StringComparer.Ordinal));
        var report = await ReportRows(importId);
        Assert.Equal(Enumerable.Range(2, 12), report.Select(r => r.Row));
        // Row 11 repeats row 4: found among the rows of this run, or in the database when row 4 was written before the stop.
        Assert.Equal((RowOutcome.Skipped, stoppedAt == 2 ? "Same mobile, email or national code as row 4." : "A person with the same mobile, email or national code exists."),
            (report[9].Outcome, report[9].Messages));
        var finished = await after.Imports.Include(i => i.Job).SingleAsync(i => i.Id == importId);
        Assert.Equal((11, 1, 12), (finished.Created, finished.Skipped, finished.Job!.Done));
    }

    // The people import with a hook called for each row its writer prepares (to fail or to cancel at a known row).
    private sealed class HookedPeople(PeopleImport people, Action<MappedRow> onPrepare) : IImportKind
    {
        public const string Name = "people-hooked";

        string IImportKind.Name => Name;

        public IReadOnlyList<ImportField> Fields => people.Fields;

        public IReadOnlyDictionary<string, string> Check(MappedRow row) => people.Check(row);

        public string? MissingMapping(IReadOnlyCollection<string> mapped) => people.MissingMapping(mapped);

        public string Label => people.Label;

        public string Title => people.Title;

        public string ResultsHref => people.ResultsHref;

        public IImportWriter Begin(ImportRun run) => new Writer(people.Begin(run), onPrepare);

        private sealed class Writer(IImportWriter writer, Action<MappedRow> onPrepare) : IImportWriter
        {
            public PreparedBatch Prepare(IReadOnlyList<MappedRow> rows)
            {
                foreach (var row in rows) onPrepare(row);
                return writer.Prepare(rows);
            }

            public Task<List<ReportRow>> Write(PayvandDb db, PreparedBatch batch, CancellationToken ct) => writer.Write(db, batch, ct);
        }
    }
}
