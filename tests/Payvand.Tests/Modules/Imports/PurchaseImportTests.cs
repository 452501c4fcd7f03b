using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Payvand.Modules.Contacts;
using Payvand.Modules.Imports;
using Payvand.Modules.Purchases;
using Payvand.Platform.Auth;
using Payvand.Platform.Events;
using Payvand.Platform.Imports;
using Payvand.Platform.Jobs;
using Payvand.Platform.Persian;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Imports.ImportFiles;

namespace Payvand.Tests.Modules.Imports;

// Purchase history through the import pipeline: files as shops have them, orders of several rows, the
// person's summary, timeline and PurchaseRecorded as for the API, and nothing recorded twice.
[Trait("Category", "Integration")]
public sealed class PurchaseImportTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static int orderCounter = Random.Shared.Next(100_000, 900_000);

    private static string NewOrder() => "F-" + Interlocked.Increment(ref orderCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<ImportPreview> UploadPurchases(HttpClient client, byte[] content, string fileName)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", fileName }, { new StringContent(PurchaseImport.KindName), "kind" } };
        return await (await client.PostAsync("/api/imports", form)).Read<ImportPreview>(HttpStatusCode.Created);
    }

    private static async Task<int> Person(HttpClient client, params ContactPointInput[] points) => await Person(client, null, points);

    private static async Task<int> Person(HttpClient client, string? nationalCode, params ContactPointInput[] points)
    {
        var input = new ContactInput { FirstName = "نگار", LastName = "مشتری " + Guid.NewGuid().ToString("N")[..6], NationalCode = nationalCode, Points = [.. points] };
        return (await (await client.PostJson("/api/contacts", input)).Read<ContactDetails>(HttpStatusCode.Created)).Id;
    }

    private static async Task<ProductDto> Product(HttpClient client, string name, long price) =>
        await (await client.PostJson("/api/products", new ProductInput("SKU-" + Guid.NewGuid().ToString("N")[..8], name + " " + Guid.NewGuid().ToString("N")[..4], null, price)))
            .Read<ProductDto>(HttpStatusCode.Created);

    private static async Task<PurchaseSummary> Summary(HttpClient client, int contactId) =>
        (await (await client.GetAsync($"/api/contacts/{contactId}")).Read<ContactDetails>()).Purchases;

    // Noon in Tehran (UTC+3:30) of a Jalali day: what a date without a time stands for.
    private static DateTime Noon(int year, int month, int day) => Jalali.ToGregorian(year, month, day).ToDateTime(new TimeOnly(8, 30), DateTimeKind.Utc);

    [Fact]
    public async Task Utf8_csv_with_persian_headers_digits_and_jalali_dates_groups_orders_and_reports_every_row()
    {
        var client = await app.ClientAs("Sales");
        var (mobileA, mobileB) = (NewMobile(), NewMobile());
        var a = await Person(client, new ContactPointInput(ContactPointKind.Mobile, mobileA));
        var b = await Person(client, new ContactPointInput(ContactPointKind.Mobile, mobileB));
        var tea = await Product(client, "چای", 150_000);
        var coffee = await Product(client, "قهوه", 500_000);
        var (o1, o2, o3, o4, o5) = (NewOrder(), NewOrder(), NewOrder(), NewOrder(), NewOrder());
        var csv = Csv(
            ["شماره سفارش", "تاريخ", "موبايل", "کد کالا", "نام کالا", "تعداد", "قیمت واحد", "تخفیف", "کانال", "واحد پول"],
            [o1, "۱۴۰۳/۰۵/۱۲", PersianText.ToPersianDigits(mobileA), tea.Sku, "", "۲", "۱۵۰٬۰۰۰", "۱۰٬۰۰۰", "حضوری", ""],
            [o1, "", "", "", coffee.Name.Replace('ی', 'ي'), "1", "500000", "0", "", ""],
            [o2, "1403/06/01", mobileB, coffee.Sku, "", "3", "", "1000", "آنلاین", "تومان"],
            [o3, "1403/06/02", NewMobile(), tea.Sku, "", "1", "150000", "", "", ""],
            [o3, "", "", tea.Sku, "", "1", "150000", "", "", ""],
            [o4, "1403/06/03", mobileA, "NO-SUCH-SKU", "", "1", "1000", "", "", ""],
            [o5, "1403/06/04", mobileA, tea.Sku, "", "abc", "1000", "", "", ""],
            [o1, "1403/05/12", mobileA, tea.Sku, "", "1", "150000", "", "", ""]);
        var file = Utf8(csv, bom: true);

        var preview = await UploadPurchases(client, file, "orders.csv");

        Assert.Equal(PurchaseImport.KindName, preview.Import.Kind);
        Assert.Equal(["orderId", "date", "mobile", "sku", "product", "quantity", "unitPrice", "discount", "channel", "currency"], preview.Import.Settings.Mapping);
        Assert.Contains(preview.Fields, f => f.Key == "orderId" && f.Label == "Order number");
        Assert.Empty(preview.Rows[0].CellProblems);
        Assert.Equal("Quantity must be more than zero.", preview.Rows[6].CellProblems[5]);

        var done = await Run(client, preview);

        Assert.Equal(ImportStatus.Succeeded, done.Status);
        Assert.Equal((3, 0, 1, 4), (done.Created, done.Updated, done.Skipped, done.Invalid));
        await using var db = await app.Db();
        var first = await db.Purchases.Include(p => p.Lines).SingleAsync(p => p.SourceSystem == PurchaseImport.DefaultSource && p.ExternalOrderId == o1);
        Assert.Equal((a, 790_000L, PurchaseChannel.InStore, Noon(1403, 5, 12)), (first.ContactId, first.Total, first.Channel, first.OccurredAt));
        Assert.Equal([(tea.Id, 2m, 290_000L), (coffee.Id, 1m, 500_000L)], first.Lines.OrderBy(l => l.Id).Select(l => ((int)l.ProductId!, l.Quantity, l.LineTotal)));
        var second = await db.Purchases.Include(p => p.Lines).SingleAsync(p => p.ExternalOrderId == o2);
        // Three at the product's price, less 1,000 toman = 10,000 rials.
        Assert.Equal((b, 1_490_000L, PurchaseChannel.Online, "IRR"), (second.ContactId, second.Total, second.Channel, second.Currency));
        Assert.False(await db.Purchases.AnyAsync(p => p.ExternalOrderId == o3 || p.ExternalOrderId == o4 || p.ExternalOrderId == o5));
        Assert.True(await db.Activities.AnyAsync(x => x.ContactId == a && x.SourceType == "Purchase" && x.SourceId == first.Id.ToString()));

        foreach (var (contactId, total, at) in new[] { (a, 790_000L, Noon(1403, 5, 12)), (b, 1_490_000L, Noon(1403, 6, 1)) })
        {
            var summary = await Summary(client, contactId);
            Assert.Equal(new PurchaseSummary(1, total, at, at), summary);
            Assert.Equal(summary.NetSpent, await db.Purchases.Where(p => p.ContactId == contactId).SumAsync(p => p.Total - p.Refunded));
        }

        var report = await Report(client, done.Id);
        Assert.Equal(["2", "Added", "", first.Id.ToString()], report[1]);
        Assert.Equal(["3", "Added", "Line of the purchase of row 2.", first.Id.ToString()], report[2]);
        Assert.Equal("Invalid", report[4][1]);
        Assert.Equal("Mobile: The person was not found.", report[4][2]);
        Assert.Equal(["6", "Invalid", "The order is not imported: row 5 has a problem.", ""], report[5]);
        Assert.Equal("SKU: The product was not found.", report[6][2]);
        Assert.Equal("Quantity: Quantity must be more than zero.", report[7][2]);
        Assert.Equal(["9", "Skipped", $"Order {o1} already appears at row 2.", ""], report[8]);

        // The same file again records nothing and leaves the summaries as they were.
        var again = await Run(client, await UploadPurchases(client, file, "orders.csv"));
        Assert.Equal((0, 0, 4, 4), (again.Created, again.Updated, again.Skipped, again.Invalid));
        Assert.Equal($"Order {o1} is already recorded.", (await Report(client, again.Id))[1][2]);
        Assert.Equal(1, await db.Purchases.CountAsync(p => p.ExternalOrderId == o1));
        Assert.Equal(new PurchaseSummary(1, 790_000, Noon(1403, 5, 12), Noon(1403, 5, 12)), await Summary(client, a));
    }

    [Fact]
    public async Task Windows_1256_csv_skips_orders_the_api_recorded_and_finds_people_by_national_code()
    {
        var client = await app.ClientAs("Sales");
        var code = NewNationalCode();
        var person = await Person(client, code);
        var (posOrder, newOrder) = (NewOrder(), NewOrder());
        var recorded = await (await client.PostJson("/api/purchases", new RecordPurchase.Request
        {
            ContactId = person,
            SourceSystem = "pos",
            ExternalOrderId = posOrder,
            OccurredAt = new DateTime(2024, 8, 1, 9, 0, 0, DateTimeKind.Utc),
            Lines = [new RecordPurchase.LineInput(Description: "نان", UnitPrice: 40_000)],
        })).Read<PurchaseDetails>(HttpStatusCode.Created);
        var csv = Csv(
            ["شماره فاكتور", "منبع", "تاريخ", "كد ملي", "شرح", "قيمت", "شعبه"],
            [posOrder, "pos", "1403/05/10", code, "نان", "40000", ""],
            [newOrder, "pos", "2024-08-05 18:45", code, "كيك شكلاتي", "250,000", app.MainBranchId.ToString()]);

        var preview = await UploadPurchases(client, Windows1256(csv), "excel.csv");

        Assert.Equal("windows-1256", preview.Import.Encoding);
        Assert.Equal(["orderId", "source", "date", "nationalCode", "description", "unitPrice", "branch"], preview.Import.Settings.Mapping);
        var done = await Run(client, preview);
        Assert.Equal((1, 1, 0), (done.Created, done.Skipped, done.Invalid));
        var report = await Report(client, done.Id);
        Assert.Equal(["2", "Skipped", $"Order {posOrder} is already recorded.", recorded.Id.ToString()], report[1]);

        await using var db = await app.Db();
        var added = await db.Purchases.Include(p => p.Lines).SingleAsync(p => p.SourceSystem == "pos" && p.ExternalOrderId == newOrder);
        Assert.Equal("کیک شکلاتی", Assert.Single(added.Lines).Description);
        Assert.Equal(new DateTime(2024, 8, 5, 15, 15, 0, DateTimeKind.Utc), added.OccurredAt); // 18:45 in Tehran
        Assert.Equal((person, app.MainBranchId, 250_000L), (added.ContactId, added.BranchId, added.Total));
        Assert.Equal(new PurchaseSummary(2, 290_000, recorded.OccurredAt, added.OccurredAt), await Summary(client, person));
    }

    [Fact]
    public async Task Xlsx_with_english_headers_date_cells_and_numbers_finds_people_by_email()
    {
        var client = await app.ClientAs("Sales");
        var email = $"buyer{NewMobile()}@example.com";
        var person = await Person(client, new ContactPointInput(ContactPointKind.Email, email));
        var cake = await Product(client, "کیک", 90_000);
        var order = NewOrder();
        var preview = await UploadPurchases(client, Xlsx([
            ["Order", "Date", "E-mail", "Product", "Qty", "Price"],
            [order, new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Unspecified), email.ToUpperInvariant(), cake.Name, 2.5, 90000.0],
        ]), "orders.xlsx");

        Assert.Equal(["orderId", "date", "email", "product", "quantity", "unitPrice"], preview.Import.Settings.Mapping);
        var done = await Run(client, preview);

        Assert.Equal(1, done.Created);
        await using var db = await app.Db();
        var added = await db.Purchases.Include(p => p.Lines).SingleAsync(p => p.ExternalOrderId == order);
        Assert.Equal((person, 225_000L, new DateTime(2024, 3, 1, 8, 30, 0, DateTimeKind.Utc)), (added.ContactId, added.Total, added.OccurredAt));
        Assert.Equal((cake.Id, 2.5m), ((int)added.Lines[0].ProductId!, added.Lines[0].Quantity));
    }

    [Fact]
    public async Task Upload_refuses_an_unknown_kind_and_mapping_needs_the_order_date_person_and_product()
    {
        var client = await app.ClientAs("Sales");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Utf8(Csv(["a"], ["b"]), bom: false)), "file", "x.csv" }, { new StringContent("boats"), "kind" } };
        var problem = await (await client.PostAsync("/api/imports", form)).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("Unknown import kind.", problem.GetProperty("errors").GetProperty("kind")[0].GetString());

        var preview = await UploadPurchases(client, Utf8(Csv(["شماره سفارش", "تاریخ", "موبایل", "کد کالا"], [NewOrder(), "1403/01/01", NewMobile(), "X"]), bom: false), "p.csv");
        var response = await client.PutJson($"/api/imports/{preview.Import.Id}/mapping", preview.Import.Settings with { Mapping = ["orderId", "date", null, "sku"] });
        var errors = (await response.Problem(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal("Map a column to the person: mobile, email, national code or person id.", errors.GetProperty("mapping")[0].GetString());
    }

    // Stops the import as its second batch saves its purchases: the process "ends" right after the first batch.
    private sealed class StopAtSecondBatch : SaveChangesInterceptor
    {
        private int batches;

        public CancellationTokenSource Stop { get; } = new();

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (eventData.Context!.ChangeTracker.Entries<Purchase>().Any(e => e.State == EntityState.Added) && Interlocked.Increment(ref batches) == 2)
            {
                Stop.Cancel();
                throw new OperationCanceledException(Stop.Token);
            }

            return ValueTask.FromResult(result);
        }
    }

    [Fact]
    public async Task An_order_across_two_batches_is_written_whole_once_and_a_resumed_job_reports_its_rest()
    {
        var stopper = new StopAtSecondBatch();
        // A host whose batches are three rows and whose own job runner is off: this test plays the runner.
        await using var host = app.WithWebHostBuilder(b => b.UseSetting("Payvand:Imports:BatchSize", "3").ConfigureServices(s =>
        {
            s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(JobRunner)));
            s.AddSingleton<IInterceptor>(stopper);
        }));
        var client = await app.ClientAs("Sales");
        var mobile = NewMobile();
        var person = await Person(client, new ContactPointInput(ContactPointKind.Mobile, mobile));
        var (a, b, c) = (NewOrder(), NewOrder(), NewOrder());
        string[] Line(string order, long price) => [order, "1403/02/01", mobile, "قلم", price.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var preview = await UploadPurchases(client, Utf8(Csv(["شماره سفارش", "تاریخ", "موبایل", "شرح", "قیمت"],
            Line(a, 1), Line(a, 2), Line(b, 10), Line(b, 20), Line(b, 30), Line(c, 100), Line(c, 200)), bom: false), "batches.csv");

        // The job as JobRunner runs it (Running, acting as the user), in a host whose batches are three rows.
        BackgroundJob job;
        await using (var db = await app.Db())
        {
            var import = await db.Imports.SingleAsync(i => i.Id == preview.Import.Id);
            var user = await db.Users.SingleAsync(u => u.Id == import.CreatedById);
            var scope = new UserScope(user.Id, user.UserName!, new HashSet<string> { Roles.Sales }, new HashSet<int> { app.MainBranchId });
            job = app.Services.GetRequiredService<JobQueue>().Create(ImportJob.JobKind, new ImportJob.Payload(import.Id), scope);
            job.Status = JobStatus.Running;
            (job.LockToken, job.LockedUntil) = (Guid.NewGuid(), TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(1)); // claimed: this test is its runner
            job.Total = import.TotalRows;
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
            import.JobId = job.Id;
            await db.SaveChangesAsync();
        }

        var importJob = host.Services.GetRequiredService<ImportJob>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => importJob.Run(job, stopper.Stop.Token));
        await using (var db = await app.Db())
        {
            Assert.Equal(3, await db.Jobs.Where(j => j.Id == job.Id).Select(j => j.Done).SingleAsync());
            Assert.Equal([(a, 3L), (b, 60L)], (await db.Purchases.Where(p => p.ContactId == person).OrderBy(p => p.Id).Select(p => new { p.ExternalOrderId, p.Total }).ToListAsync())
                .Select(p => (p.ExternalOrderId!, p.Total)));
        }

        // The restarted process resumes after the committed batch with a new writer.
        await using (var db = await app.Db()) job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Id);
        await importJob.Run(job, CancellationToken.None);

        await using var after = await app.Db();
        var purchases = await after.Purchases.Include(p => p.Lines).Where(p => p.ContactId == person).OrderBy(p => p.Id).ToListAsync();
        Assert.Equal([(a, 2, 3L), (b, 3, 60L), (c, 2, 300L)], purchases.Select(p => (p.ExternalOrderId!, p.Lines.Count, p.Total)));
        // Each purchase raised PurchaseRecorded once, in the batch that wrote it (the rolled-back batch raised nothing).
        // (One delivery row per handler: the lifecycle move's rows count the events.)
        var events = await after.OutboxMessages.Where(m => m.EventType == nameof(PurchaseRecorded) && m.Handler == "Purchases.BuyersBecomeCustomers").Select(m => m.Payload).ToListAsync();
        Assert.Equal(purchases.Select(p => (p.Id, p.Total)).Order(), events.Select(e => JsonSerializer.Deserialize<PurchaseRecorded>(e, JsonSerializerOptions.Web)!)
            .Where(e => e.ContactId == person).Select(e => (e.PurchaseId, e.Total)).Order());
        Assert.Equal(new PurchaseSummary(3, 363, purchases[0].OccurredAt, purchases[0].OccurredAt), await Summary(client, person));
        var import2 = await after.Imports.SingleAsync(i => i.Id == preview.Import.Id);
        Assert.Equal((7, 0, 0), (import2.Created, import2.Skipped, import2.Invalid));
        var rows = (await after.ImportReportChunks.Where(x => x.ImportId == import2.Id).OrderBy(x => x.FirstRow).Select(x => x.Rows).ToListAsync())
            .SelectMany(r => JsonSerializer.Deserialize<List<ReportRow>>(r)!).ToList();
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], rows.Select(r => r.Row));
        Assert.Equal((RowOutcome.Created, purchases[1].Id, "Part of the order of row 4."), (rows[3].Outcome, rows[3].RecordId, rows[3].Messages));
    }
    // The job streams the file from its chunks (a megabyte each); an order running past its batch is read ahead in a pass
    // of its own through the writer's connection, across a chunk's end too (the tests' PostgreSQL pool has one connection).
    [Fact]
    public async Task An_order_running_past_its_batch_and_a_chunk_is_read_ahead_and_written_whole()
    {
        await using var host = app.WithWebHostBuilder(b => b.UseSetting("Payvand:Imports:BatchSize", "40").ConfigureServices(s =>
            s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(JobRunner)))));
        var client = await app.ClientAs("Sales");
        var mobile = NewMobile();
        var person = await Person(client, new ContactPointInput(ContactPointKind.Mobile, mobile));
        var (big, small) = (NewOrder(), NewOrder());
        var pad = new string('ن', 3000); // an unmapped column: 6 KB a row, so the big order's 200 rows span two chunks
        string[] Line(string order, int price) => [order, "1403/02/01", mobile, "قلم", price.ToString(System.Globalization.CultureInfo.InvariantCulture), pad];
        var content = Utf8(Csv([["شماره سفارش", "تاریخ", "موبایل", "شرح", "قیمت", "توضیح انبار"], Line(small, 5), .. Enumerable.Range(1, 200).Select(i => Line(big, i)), Line(small, 7)]), bom: false);
        Assert.True(content.Length > StoredFileChunk.Size + 100_000);
        var preview = await UploadPurchases(client, content, "chunks.csv");
        Assert.Null(preview.Import.Settings.Mapping[5]);

        BackgroundJob job;
        await using (var db = await app.Db())
        {
            var import = await db.Imports.SingleAsync(i => i.Id == preview.Import.Id);
            var user = await db.Users.SingleAsync(u => u.Id == import.CreatedById);
            var scope = new UserScope(user.Id, user.UserName!, new HashSet<string> { Roles.Sales }, new HashSet<int> { app.MainBranchId });
            job = app.Services.GetRequiredService<JobQueue>().Create(ImportJob.JobKind, new ImportJob.Payload(import.Id), scope);
            job.Status = JobStatus.Running;
            (job.LockToken, job.LockedUntil) = (Guid.NewGuid(), TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(1)); // claimed: this test is its runner
            job.Total = import.TotalRows;
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
            import.JobId = job.Id;
            await db.SaveChangesAsync();
        }

        await host.Services.GetRequiredService<ImportJob>().Run(job, CancellationToken.None);

        await using var after = await app.Db();
        var purchases = await after.Purchases.Include(p => p.Lines).Where(p => p.ContactId == person).OrderBy(p => p.Id).ToListAsync();
        Assert.Equal([(small, 1, 5L), (big, 200, 20_100L)], purchases.Select(p => (p.ExternalOrderId!, p.Lines.Count, p.Total)));
        var rows = (await after.ImportReportChunks.Where(x => x.ImportId == preview.Import.Id).OrderBy(x => x.FirstRow).Select(x => x.Rows).ToListAsync())
            .SelectMany(r => JsonSerializer.Deserialize<List<ReportRow>>(r)!).ToList();
        Assert.Equal(Enumerable.Range(2, 202), rows.Select(r => r.Row));
        Assert.All(rows.Skip(1).Take(200), r => Assert.Equal((RowOutcome.Created, purchases[1].Id), (r.Outcome, r.RecordId)));
        Assert.Equal((RowOutcome.Skipped, "Order " + small + " already appears at row 2."), (rows[^1].Outcome, rows[^1].Messages));
    }
}
