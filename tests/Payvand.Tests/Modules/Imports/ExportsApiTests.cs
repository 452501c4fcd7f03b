using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Payvand.Modules.Contacts;
using Payvand.Modules.Imports;
using Payvand.Platform.Api;
using Payvand.Platform.Jobs;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Imports;

// Background exports through the API: the list of one's exports, what a finished, failed and expired export answers.
[Trait("Category", "Integration")]
public sealed class ExportsApiTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    internal static Task<ExportStatus> Finished(HttpClient client, int id) => Waiting.Until(
        async () => await (await client.GetAsync($"/api/exports/{id}")).Read<ExportStatus>(),
        status => status.Status is not (JobStatus.Queued or JobStatus.Running), $"Export {id}");

    internal static async Task<ExportStatus> Exported(HttpClient client, string list, string query) =>
        await Finished(client, (await (await client.PostAsync($"/api/exports/{list}?{query}", null)).Read<ExportStatus>(HttpStatusCode.Accepted)).Id);

    private static async Task<string> NewPerson(HttpClient client, string city)
    {
        var name = "Export" + Guid.NewGuid().ToString("N")[..10];
        await (await client.PostJson("/api/contacts", new ContactInput { LastName = name, City = city })).Read<ContactDetails>(HttpStatusCode.Created);
        return name;
    }

    [Fact]
    public async Task My_exports_are_listed_newest_first_with_their_filters_and_paged()
    {
        var sales = await app.ClientAs("Sales");
        var other = await app.ClientAs("Sales");
        var city = "City" + Guid.NewGuid().ToString("N")[..8];
        var mine = await NewPerson(sales, city);
        var elsewhere = await NewPerson(sales, "Elsewhere");

        var first = await Exported(sales, "contacts", $"city={city}&sort=createdAt&desc=true&format=xlsx");
        var second = await Exported(sales, "companies", "q=nothing-matches-this&format=csv");
        var theirs = await Exported(other, "contacts", "format=csv");

        var page = await (await sales.GetAsync("/api/exports")).Read<PagedResult<ExportStatus>>();
        Assert.Equal([second.Id, first.Id], page.Items.Select(e => e.Id).ToArray());
        Assert.Equal(2, page.Total);
        var listed = page.Items[1];
        Assert.Equal(("Contacts", ExportFormat.Xlsx, JobStatus.Succeeded, false, 1), (listed.List, listed.Format, listed.Status, listed.Expired, listed.Rows));
        Assert.Equal($"city={city}&sort=createdAt&desc=true", listed.Query);
        Assert.Equal($"/api/exports/{first.Id}/download", listed.DownloadUrl);
        Assert.True(listed.Size > 0);
        Assert.NotNull(listed.FinishedAt);

        // The file holds the view: the person of that city, not the other one.
        var file = await sales.GetAsync(listed.DownloadUrl);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        using var book = new ClosedXML.Excel.XLWorkbook(await file.Content.ReadAsStreamAsync());
        var cells = book.Worksheet(1).CellsUsed().Select(c => c.GetString()).ToList();
        Assert.Contains(mine, cells);
        Assert.DoesNotContain(elsewhere, cells);

        var paged = await (await sales.GetAsync("/api/exports?page=2&pageSize=1")).Read<PagedResult<ExportStatus>>();
        Assert.Equal((2, 1, first.Id), (paged.Total, paged.Items.Count, paged.Items[0].Id));

        // An administrator sees everyone's, with who asked.
        var all = await (await (await app.AdminClient()).GetAsync("/api/exports?pageSize=500")).Read<PagedResult<ExportStatus>>();
        Assert.Contains(all.Items, e => e.Id == theirs.Id && e.CreatedBy != null);
        Assert.Contains(all.Items, e => e.Id == first.Id);

        var problem = await (await sales.GetAsync("/api/exports?pageSize=abc")).Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("pageSize", out _), problem.ToString());
    }

    [Fact]
    public async Task An_expired_export_says_so_and_its_download_is_gone_with_a_localized_problem()
    {
        var sales = await app.ClientAs("Sales");
        var name = await NewPerson(sales, "Expiring");
        var export = await Exported(sales, "contacts", "city=Expiring&format=csv");
        Assert.Contains(name, await (await sales.GetAsync(export.DownloadUrl)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddDays(FileRetention.DefaultDays + 1));
        Assert.True(await ActivatorUtilities.CreateInstance<FileRetention>(app.Services, (TimeProvider)clock).Sweep(CancellationToken.None) > 0);

        var expired = await (await sales.GetAsync($"/api/exports/{export.Id}")).Read<ExportStatus>();
        Assert.Equal((JobStatus.Succeeded, true, null, null), (expired.Status, expired.Expired, expired.DownloadUrl, expired.Size));
        var gone = await (await sales.GetAsync($"/api/exports/{export.Id}/download")).Problem(HttpStatusCode.Gone);
        Assert.Contains("30 days", gone.GetProperty("title").GetString(), StringComparison.Ordinal);

        sales.DefaultRequestHeaders.AcceptLanguage.Clear();
        sales.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fa-IR");
        var persian = await (await sales.GetAsync($"/api/exports/{export.Id}/download")).Problem(HttpStatusCode.Gone);
        Assert.Contains("حذف شده", persian.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_export_has_no_file_and_shows_its_error()
    {
        var user = await app.CreateUser("Support", app.MainBranchId);
        var client = await app.ClientFor(user);
        int id;
        await using (var db = await app.Db())
        {
            var job = app.Services.GetRequiredService<JobQueue>().Create(ExportJob.JobKind, new ExportJob.Payload("companies", ExportFormat.Csv, "?tag=x"), Payvand.Platform.Auth.UserScope.System);
            job.CreatedById = user.Id;
            job.Status = JobStatus.Failed;
            job.Error = "The database went away.";
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
            id = job.Id;
        }

        var status = await (await client.GetAsync($"/api/exports/{id}")).Read<ExportStatus>();
        Assert.Equal((JobStatus.Failed, "The database went away.", false, "tag=x"), (status.Status, status.Error, status.Expired, status.Query));
        var problem = await (await client.GetAsync($"/api/exports/{id}/download")).Problem(HttpStatusCode.Conflict);
        Assert.Equal("This export did not finish, so it has no file.", problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ClientAs("Support")).GetAsync($"/api/exports/{id}/download")).StatusCode);
    }

    // Before lists were named by their modules, a payload held the number of an ExportList (0 people, 1 companies): a
    // job queued then and run after an upgrade still exports its list.
    [Theory]
    [InlineData(0, "Contacts", "contacts.csv")]
    [InlineData(1, "Companies", "companies.csv")]
    public async Task A_job_queued_with_the_old_numbered_list_still_runs(int number, string list, string fileName)
    {
        var user = await app.CreateUser("Sales", app.MainBranchId);
        var client = await app.ClientFor(user);
        var queue = app.Services.GetRequiredService<JobQueue>();
        int id;
        await using (var db = await app.Db())
        {
            var job = queue.Create(ExportJob.JobKind, new { }, Payvand.Platform.Auth.UserScope.System);
            job.Payload = $$"""{"List":{{number}},"Format":0,"Query":"?q=nothing-matches-this"}""";
            job.CreatedById = user.Id;
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
            id = job.Id;
        }

        queue.Wake(id);
        var status = await Finished(client, id);
        Assert.Equal((list, JobStatus.Succeeded, "q=nothing-matches-this", 0), (status.List, status.Status, status.Query, status.Rows));
        var file = await client.GetAsync(status.DownloadUrl);
        Assert.Equal(fileName, file.Content.Headers.ContentDisposition?.FileName);
        Assert.StartsWith("Id,", (await file.Content.ReadAsStringAsync()).TrimStart('\uFEFF'), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_lists_and_bad_filters_are_refused()
    {
        var client = await app.ClientAs("Sales");
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/exports/invoices?format=csv", null)).StatusCode);
        var problem = await (await client.PostAsync("/api/exports/companies?format=pdf", null)).Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("format", out _), problem.ToString());
        await using var db = await app.Db();
        Assert.False(await db.Jobs.AnyAsync(j => j.Kind == ExportJob.JobKind && j.Payload.Contains("pdf")));
    }
}
