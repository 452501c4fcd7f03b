using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Modules.Imports;
using Payvand.Platform.Api;
using Payvand.Platform.Imports;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Imports.ImportFiles;

namespace Payvand.Tests.Modules.Imports;

[Trait("Category", "Integration")]
public sealed class ImportsApiTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static async Task<List<ContactDetails>> Find(HttpClient client, string q)
    {
        var page = await (await client.GetAsync($"/api/contacts?q={Uri.EscapeDataString(q)}")).Read<PagedResult<ContactRow>>();
        var people = new List<ContactDetails>();
        foreach (var row in page.Items) people.Add(await (await client.GetAsync($"/api/contacts/{row.Id}")).Read<ContactDetails>());
        return people;
    }

    [Fact]
    public async Task Utf8_csv_with_persian_headers_messy_phones_and_jalali_dates()
    {
        var client = await app.ClientAs("Sales");
        var (m1, m2, m3, code) = (NewMobile(), NewMobile(), NewMobile(), NewNationalCode());
        var persianM1 = PersianDigits($"{m1[..4]} {m1[4..7]} {m1[7..9]} {m1[9..]}");
        var csv = Csv(
            ["نام", "نام خانوادگی", "موبايل", "ایمیل", "کد ملی", "تاریخ تولد", "شهر", "برچسب", "یادداشت"],
            ["علي", "رضايي", persianM1, $"Ali{m1}@Example.com", PersianDigits(code), "۱۳۷۰/۰۵/۱۲", "تهران", "وی‌آی‌پی، خرید حضوری", "x"],
            ["مريم", "كريمي", $"+98 {m2[1..4]}-{m2[4..7]}-{m2[7..]}", "", "", "1991-08-03", "شيراز", "", ""],
            ["سارا", "احمدی", m3[1..], "", "", "", "", "", ""],
            ["", "", "0912123", "not-an-email", "1234567890", "1370/13/40", "", "", ""]);

        var preview = await Uploaded(client, Utf8(csv, bom: false), "people.csv");

        Assert.Equal("utf-8", preview.Import.Encoding);
        Assert.Equal(4, preview.Import.TotalRows);
        Assert.Equal(["firstName", "lastName", "mobile", "email", "nationalCode", "birthDate", "city", "tags", null], preview.Import.Settings.Mapping);
        Assert.Empty(preview.Rows[0].CellProblems);
        var bad = preview.Rows[3];
        Assert.Equal(5, bad.Row);
        Assert.Contains(2, bad.CellProblems.Keys); // mobile
        Assert.Contains(3, bad.CellProblems.Keys); // email
        Assert.Contains(5, bad.CellProblems.Keys); // birth date

        var done = await Run(client, preview, preview.Import.Settings with { Tags = ["نمایشگاه ۱۴۰۳"] });

        Assert.Equal(ImportStatus.Succeeded, done.Status);
        Assert.Equal((3, 0, 0, 1), (done.Created, done.Updated, done.Skipped, done.Invalid));
        Assert.Equal(4, done.Done);

        var ali = Assert.Single(await Find(client, "رضايي علي")); // found by name typed with Arabic ي
        Assert.Equal(("علی", "رضایی"), (ali.FirstName, ali.LastName));
        Assert.Equal(RecordSource.Import, ali.Source);
        Assert.Equal(code, ali.NationalCode);
        Assert.Equal(new DateOnly(1991, 8, 3), ali.BirthDate); // 12 Mordad 1370
        Assert.Contains(ali.Points, p => p.NormalizedValue == "+98" + m1[1..] && p.Kind == ContactPointKind.Mobile);
        Assert.Contains(ali.Points, p => p.NormalizedValue == $"ali{m1}@example.com");
        Assert.Equal(["خرید حضوری", "نمایشگاه 1403", "وی آی پی"], ali.Tags.Order(StringComparer.Ordinal));
        Assert.Equal(app.MainBranchId, ali.BranchId);

        var maryam = Assert.Single(await Find(client, m2));
        Assert.Equal(("مریم", "کریمی", "شیراز"), (maryam.FirstName, maryam.LastName, maryam.City));
        Assert.Equal(new DateOnly(1991, 8, 3), maryam.BirthDate);
        Assert.Single(await Find(client, m3[1..]));

        var report = await Report(client, done.Id);
        Assert.Equal(["Row", "Outcome", "Messages", "Record id"], report[0]);
        Assert.Equal(["2", "Added", "", ali.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], report[1]);
        Assert.Equal("Invalid", report[4][1]);
        Assert.Contains("Mobile: The phone number is not valid.", report[4][2], StringComparison.Ordinal);
        Assert.Contains("Email: The email address is not valid.", report[4][2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Utf8_with_bom_is_read_without_the_bom_in_the_first_header()
    {
        var client = await app.ClientAs("Sales");
        var mobile = NewMobile();
        var preview = await Uploaded(client, Utf8(Csv(["نام", "نام خانوادگی", "تلفن همراه"], ["بهرام", "بيضايي", mobile]), bom: true), "bom.csv");

        Assert.Equal("utf-8", preview.Import.Encoding);
        Assert.Equal(["firstName", "lastName", "mobile"], preview.Import.Settings.Mapping);
        var done = await Run(client, preview);
        Assert.Equal(1, done.Created);
        Assert.Equal("بیضایی", Assert.Single(await Find(client, mobile)).LastName);
    }

    [Fact]
    public async Task Windows_1256_csv_from_persian_excel_is_detected_and_normalized()
    {
        var client = await app.ClientAs("Sales");
        var mobile = NewMobile();
        var csv = Csv(["نام", "نام خانوادگي", "تلفن همراه", "شهر"], ["علي", "كريمي", mobile, "كرمان"]);
        var preview = await Uploaded(client, Windows1256(csv), "excel.csv");

        Assert.Equal("windows-1256", preview.Import.Encoding);
        Assert.Equal(["نام", "نام خانوادگي", "تلفن همراه", "شهر"], preview.Import.Headers);
        Assert.Equal(["firstName", "lastName", "mobile", "city"], preview.Import.Settings.Mapping);
        Assert.Equal(1, (await Run(client, preview)).Created);
        var person = Assert.Single(await Find(client, "كريمي"));
        Assert.Equal(("علی", "کریمی", "کرمان"), (person.FirstName, person.LastName, person.City));
    }

    [Fact]
    public async Task Xlsx_with_full_names_numeric_mobiles_and_date_cells()
    {
        var client = await app.ClientAs("Sales");
        var mobile = NewMobile();
        var preview = await Uploaded(client, Xlsx([
            ["نام و نام خانوادگی", "Mobile", "Birth Date", "Gender"],
            ["محمد علي حسيني", double.Parse(mobile[1..], System.Globalization.CultureInfo.InvariantCulture), new DateTime(1985, 1, 2, 0, 0, 0, DateTimeKind.Unspecified), "مرد"],
        ]), "people.xlsx");

        Assert.Equal(SheetFormat.Xlsx, preview.Import.Format);
        Assert.Null(preview.Import.Encoding);
        Assert.Equal(["fullName", "mobile", "birthDate", "gender"], preview.Import.Settings.Mapping);
        Assert.Equal(1, (await Run(client, preview)).Created);
        var person = Assert.Single(await Find(client, mobile));
        Assert.Equal(("محمد", "علی حسینی", Gender.Male), (person.FirstName, person.LastName, person.Gender));
        Assert.Equal(new DateOnly(1985, 1, 2), person.BirthDate);
    }

    [Theory]
    [InlineData(DedupeMode.Skip)]
    [InlineData(DedupeMode.Update)]
    [InlineData(DedupeMode.Create)]
    public async Task Duplicates_in_the_database_and_inside_the_file(DedupeMode mode)
    {
        var client = await app.ClientAs("Sales");
        var (known, fresh) = (NewMobile(), NewMobile());
        var existing = await (await client.PostJson("/api/contacts", new ContactInput
        {
            FirstName = "نادر",
            LastName = "قدیمی",
            City = "قم",
            Points = [new(ContactPointKind.Mobile, known), new(ContactPointKind.Email, $"old{known}@example.com")],
        })).Read<ContactDetails>(HttpStatusCode.Created);

        var csv = Csv(
            ["نام", "نام خانوادگی", "موبایل", "ایمیل", "شهر"],
            ["نادر", "قدیمی", known, "", "یزد"],               // row 2: the existing person
            ["تازه", "وارد", fresh, "", "اراک"],                // row 3: new
            ["", "وارد", fresh, $"new{fresh}@example.com", ""]); // row 4: same mobile as row 3
        var preview = await Uploaded(client, Utf8(csv, bom: false), "dupes.csv");
        var done = await Run(client, preview, preview.Import.Settings with { Dedupe = mode });
        var report = await Report(client, done.Id);
        var after = await (await client.GetAsync($"/api/contacts/{existing.Id}")).Read<ContactDetails>();
        var newcomers = await Find(client, fresh);
        var newcomer = Assert.Single(newcomers); // the file's own duplicate never makes a second person
        var newcomerId = newcomer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        switch (mode)
        {
            case DedupeMode.Skip:
                Assert.Equal((1, 0, 2), (done.Created, done.Updated, done.Skipped));
                Assert.Equal(["2", "Skipped", "A person with the same mobile, email or national code exists.", existing.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], report[1]);
                Assert.Equal(["4", "Skipped", "Same mobile, email or national code as row 3.", newcomerId], report[3]);
                Assert.Equal("قم", after.City);
                Assert.Equal(existing.Version, after.Version);
                break;
            case DedupeMode.Update:
                Assert.Equal((1, 2, 0), (done.Created, done.Updated, done.Skipped));
                Assert.Equal("یزد", after.City);                        // the file's value wins
                Assert.Contains(after.Points, p => p.NormalizedValue == $"old{known}@example.com"); // nothing erased
                Assert.Equal(RecordSource.Api, after.Source);           // an update keeps where the person came from
                Assert.Equal(["4", "Updated", "Merged with row 3.", newcomerId], report[3]);
                Assert.Contains(newcomer.Points, p => p.NormalizedValue == $"new{fresh}@example.com");
                Assert.Equal("اراک", newcomer.City);
                // Created and merged in one batch: his search terms and creation entry are those of the merged person.
                Assert.Equal(newcomer.Id, Assert.Single(await Find(client, $"new{fresh}@example.com")).Id);
                await using (var db = await app.Db())
                {
                    var created = await db.Audit.SingleAsync(x => x.EntityType == nameof(Contact) && x.EntityId == newcomerId);
                    Assert.Contains($"new{fresh}@example.com", created.Changes, StringComparison.Ordinal);
                }

                break;
            case DedupeMode.Create:
                Assert.Equal((2, 0, 1), (done.Created, done.Updated, done.Skipped));
                Assert.Equal(2, (await Find(client, known)).Count);
                Assert.Equal("قم", after.City);
                Assert.Equal(["4", "Skipped", "Same mobile, email or national code as row 3.", newcomerId], report[3]);
                break;
        }
    }

    [Fact]
    public async Task Invalid_rows_are_reported_in_the_users_language()
    {
        var user = await app.CreateUser("Sales", app.MainBranchId);
        var client = await app.ClientFor(user, "fa-IR");
        var preview = await Uploaded(client, Utf8(Csv(["نام", "نام خانوادگی", "موبایل"], ["رضا", "", "123"]), bom: false), "bad.csv");
        Assert.Equal("شماره تلفن معتبر نیست.", preview.Rows[0].CellProblems[2]);

        var done = await Run(client, preview);
        Assert.Equal(1, done.Invalid);
        var report = await Report(client, done.Id);
        Assert.Equal(["ردیف", "نتیجه", "پیام‌ها", "شناسه رکورد"], report[0]);
        Assert.Equal("نامعتبر", report[1][1]);
        Assert.Contains("موبایل: شماره تلفن معتبر نیست.", report[1][2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_reaches_the_total_over_several_batches()
    {
        var client = await app.ClientAs("Sales");
        List<string[]> rows = [["first name", "last name", "mobile"]];
        var mobiles = Enumerable.Range(0, 1_203).Select(_ => NewMobile()).ToList();
        rows.AddRange(mobiles.Select((m, i) => new[] { "Person", $"Number{i}", m }));
        var preview = await Uploaded(client, Utf8(Csv([.. rows]), bom: false), "many.csv");
        var done = await Run(client, preview);

        Assert.Equal((ImportStatus.Succeeded, 1_203, 1_203, 1_203), (done.Status, done.TotalRows, done.Done, done.Created));
        Assert.Equal(1_204, (await Report(client, done.Id)).Count);
        Assert.Single(await Find(client, mobiles[^1]));
        await using var db = await app.Db();
        Assert.Equal(1_203, await db.Contacts.CountAsync(c => c.LastName.StartsWith("Number") && c.Source == RecordSource.Import));
    }

    [Fact]
    public async Task Mapping_is_checked_and_records_go_only_to_the_users_branches()
    {
        var other = await app.CreateBranch("Imports elsewhere " + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.ClientAs("Sales");
        var preview = await Uploaded(client, Utf8(Csv(["a", "b"], ["1", "2"]), bom: false), "unknown.csv");
        Assert.Equal([null, null], preview.Import.Settings.Mapping);

        var errors = (await (await client.PutJson($"/api/imports/{preview.Import.Id}/mapping", new ImportSettings { Mapping = ["mobile", "mobile"], BranchId = other }))
            .Problem(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("mapping", out _));
        Assert.True(errors.TryGetProperty("branchId", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/imports/{preview.Import.Id}/start", null)).StatusCode); // no name mapped
    }

    [Fact]
    public async Task An_import_is_its_authors_and_its_branch_managers()
    {
        var author = await app.ClientAs("Sales");
        var preview = await Uploaded(author, Utf8(Csv(["نام خانوادگی"], ["تست"]), bom: false), "mine.csv");
        var id = preview.Import.Id;

        var colleague = await app.ClientAs("Sales");
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync($"/api/imports/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.PostAsync($"/api/imports/{id}/start", null)).StatusCode);
        Assert.DoesNotContain((await (await colleague.GetAsync("/api/imports")).Read<PagedResult<ImportDetails>>()).Items, i => i.Id == id);

        var manager = await app.ClientAs("Manager");
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/imports/{id}")).StatusCode);
        var otherManager = await app.ClientAs("Manager", await app.CreateBranch("Imports far " + Guid.NewGuid().ToString("N")[..6]));
        Assert.Equal(HttpStatusCode.NotFound, (await otherManager.GetAsync($"/api/imports/{id}")).StatusCode);

        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/imports")).StatusCode);
    }

    [Fact]
    public async Task A_large_export_runs_as_a_job_and_is_downloaded()
    {
        var client = await app.ClientAs("Sales");
        var mobile = NewMobile();
        await (await client.PostJson("/api/contacts", new ContactInput { LastName = "صادراتی", City = "ساری", Points = [new(ContactPointKind.Mobile, mobile)] })).Read<ContactDetails>(HttpStatusCode.Created);

        var queued = await (await client.PostAsync("/api/exports/contacts?format=csv&city=ساری", null)).Read<ExportStatus>(HttpStatusCode.Accepted);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var status = queued;
        while (status.Status is not (Payvand.Platform.Jobs.JobStatus.Succeeded or Payvand.Platform.Jobs.JobStatus.Failed) && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
            status = await (await client.GetAsync($"/api/exports/{queued.Id}")).Read<ExportStatus>();
        }

        Assert.Equal(Payvand.Platform.Jobs.JobStatus.Succeeded, status.Status);
        var body = await (await client.GetAsync(status.DownloadUrl)).Content.ReadAsStringAsync();
        Assert.Contains("صادراتی", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ClientAs("Sales")).GetAsync($"/api/exports/{queued.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/exports/contacts?lifecycle=nonsense", null)).StatusCode);
    }

    private static string PersianDigits(string s) => Payvand.Platform.Persian.PersianText.ToPersianDigits(s);
}
