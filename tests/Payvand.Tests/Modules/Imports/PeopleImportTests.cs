using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Modules.Imports;
using Payvand.Modules.Organization;
using Payvand.Platform.Api;
using Payvand.Platform.Audit;
using Payvand.Platform.Data;
using Payvand.Platform.Imports;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Imports.ImportFiles;

namespace Payvand.Tests.Modules.Imports;

// The import writes new people with multi-row INSERTs instead of SaveChanges: what it stores must be exactly what
// the person form and the API store, row for row and column for column, on both databases.
[Trait("Category", "Integration")]
public sealed partial class PeopleImportTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [Fact]
    public async Task An_imported_person_is_stored_like_one_saved_through_the_api()
    {
        var user = await app.CreateUser("Sales", app.MainBranchId);
        var client = await app.ClientFor(user);
        var (mobile, code) = (NewMobile(), NewNationalCode());
        var typedMobile = Persian($"{mobile[..4]} {mobile[4..7]} {mobile[7..]}");
        var email = $"Karimi.{mobile}@Example.com";
        var tag = "مشتري " + mobile[^4..];

        // The same person twice: typed into the API, and as a spreadsheet row (Create mode imports him again).
        var typed = await (await client.PostJson("/api/contacts", new ContactInput
        {
            FirstName = "علي",
            LastName = "كريمي",
            NationalCode = Persian(code),
            BirthDate = new DateOnly(1991, 8, 3),
            Gender = Gender.Female,
            JobTitle = "مدير فروش",
            Address = "خيابان  ولي‌عصر، پلاك ۱۲",
            City = "كرمان",
            Province = "كرمان",
            PostalCode = Persian("7616913111"),
            Source = RecordSource.Import,
            Points = [new(ContactPointKind.Mobile, typedMobile, null, true), new(ContactPointKind.Email, email, null, true)],
            Tags = [tag, "نمایشگاه ۱۴۰۳"],
        })).Read<ContactDetails>(HttpStatusCode.Created);
        var csv = Csv(
            ["نام", "نام خانوادگی", "موبايل", "ایمیل", "کد ملی", "تاریخ تولد", "جنسیت", "سمت", "آدرس", "شهر", "استان", "کد پستی", "برچسب"],
            ["علي", "كريمي", typedMobile, email, Persian(code), "۱۳۷۰/۰۵/۱۲", "زن", "مدير فروش", "خيابان  ولي‌عصر، پلاك ۱۲", "كرمان", "كرمان", Persian("7616913111"), tag]);
        var preview = await Uploaded(client, Utf8(csv, bom: true), "same-person.csv");
        var done = await Run(client, preview, preview.Import.Settings with { Dedupe = DedupeMode.Create, Tags = ["نمایشگاه ۱۴۰۳"] });
        Assert.Equal(1, done.Created);
        var importedId = int.Parse((await Report(client, done.Id))[1][3], CultureInfo.InvariantCulture);
        Assert.NotEqual(typed.Id, importedId);

        // Every column of the person, his phones and emails and his tags, as the database holds them.
        var (person, imported) = (await Row("Contacts", "Id", typed.Id), await Row("Contacts", "Id", importedId));
        Assert.Equal(Without(person, "Id", "CreatedAt", "UpdatedAt"), Without(imported, "Id", "CreatedAt", "UpdatedAt"));
        Assert.Equal(Shape(person["CreatedAt"]), Shape(imported["CreatedAt"]));
        Assert.Equal(imported["CreatedAt"], imported["UpdatedAt"]);
        Assert.Equal(("کریمی", "علی", 0L), ((string)imported["LastName"]!, (string)imported["FirstName"]!, Convert.ToInt64(imported["Version"], CultureInfo.InvariantCulture)));
        Assert.Equal(
            (await Rows("ContactPoints", "ContactId", typed.Id)).Select(p => Without(p, "Id", "ContactId")),
            (await Rows("ContactPoints", "ContactId", importedId)).Select(p => Without(p, "Id", "ContactId")));
        Assert.Equal(
            (await Rows("ContactTags", "ContactId", typed.Id)).Select(t => Without(t, "Id", "ContactId")),
            (await Rows("ContactTags", "ContactId", importedId)).Select(t => Without(t, "Id", "ContactId")));

        await using var db = await app.Db();
        // The same search terms, so the global search and the people list find him the same ways.
        async Task<List<string>> Terms(int id) =>
            await db.SearchTerms.Where(t => t.Entity == SaveContact.SearchEntity && t.RecordId == id).Select(t => t.Term).OrderBy(t => t).ToListAsync();
        Assert.Equal(await Terms(typed.Id), await Terms(importedId));

        // One creation entry each, field for field the same, by the same user.
        async Task<AuditEntry> Created(int id) =>
            await db.Audit.AsNoTracking().SingleAsync(a => a.EntityType == nameof(Contact) && a.EntityId == id.ToString(CultureInfo.InvariantCulture));
        var (typedAudit, importedAudit) = (await Created(typed.Id), await Created(importedId));
        Assert.Equal(AuditAction.Create, importedAudit.Action);
        Assert.Equal((typedAudit.Changes, typedAudit.UserId, typedAudit.UserName), (importedAudit.Changes, importedAudit.UserId, importedAudit.UserName));
        Assert.Contains("\"Tags.Name\"", importedAudit.Changes, StringComparison.Ordinal);
        Assert.Contains($"\"{mobile[1..]}", importedAudit.Changes!.Replace("+98", "", StringComparison.Ordinal), StringComparison.Ordinal);

        // Found through the API by his name typed with Arabic letters, by his mobile and by the tag.
        Assert.Contains(importedId, await Found(client, "كريمي علي"));
        Assert.Contains(importedId, await Found(client, mobile));
        Assert.Contains(importedId, await Found(client, "+98" + mobile[1..]));
        var details = await (await client.GetAsync($"/api/contacts/{importedId}")).Read<ContactDetails>();
        Assert.Equal(["مشتری " + mobile[^4..], "نمایشگاه 1403"], details.Tags.Order(StringComparer.Ordinal));
        Assert.Equal(typed.Tags.Order(StringComparer.Ordinal), details.Tags.Order(StringComparer.Ordinal));
        Assert.Equal(typed.Points.Select(p => (p.Kind, p.Value, p.NormalizedValue, p.IsPrimary)), details.Points.Select(p => (p.Kind, p.Value, p.NormalizedValue, p.IsPrimary)));
        Assert.Equal((RecordSource.Import, app.MainBranchId, user.Id), (details.Source, details.BranchId, details.OwnerId));
        async Task<AuditRow> History(int id) =>
            Assert.Single((await (await client.GetAsync($"/api/audit/record/contact/{id}")).Read<PagedResult<AuditRow>>()).Items);
        var (typedHistory, importedHistory) = (await History(typed.Id), await History(importedId));
        Assert.Equal(AuditAction.Create, importedHistory.Action);
        Assert.Equal(typedHistory.Changes, importedHistory.Changes);
        Assert.Contains(importedHistory.Changes, c => c.Field == nameof(Contact.LastName) && c.To == "کریمی");
    }

    [Fact]
    public async Task Every_row_of_a_large_file_lands_on_its_own_person()
    {
        // Enough rows for two batches and many INSERT statements per table: each person must get his own phones,
        // tags, audit entry and search terms, and the report must name his id.
        var client = await app.ClientAs("Sales");
        var run = Guid.NewGuid().ToString("N")[..6];
        List<string[]> rows = [["first name", "last name", "mobile", "email", "tags"]];
        var mobiles = Enumerable.Range(0, 730).Select(_ => NewMobile()).ToList();
        rows.AddRange(mobiles.Select((m, i) => new[] { i % 3 == 0 ? "" : "Person", $"Row{run}x{i}", m, i % 2 == 0 ? $"p{m}@example.com" : "", $"t{run}x{i}" }));
        var preview = await Uploaded(client, Utf8(Csv([.. rows]), bom: false), "many-people.csv");
        var done = await Run(client, preview);
        Assert.Equal((730, 730), (done.Created, done.Done));

        var report = await Report(client, done.Id);
        await using var db = await app.Db();
        var people = await db.Contacts.AsNoTracking().Include(c => c.Points).Include(c => c.Tags)
            .Where(c => c.LastName.StartsWith("Row" + run)).ToDictionaryAsync(c => c.Id);
        Assert.Equal(730, people.Count);
        var audited = await db.Audit.AsNoTracking().Where(a => a.EntityType == nameof(Contact) && a.Action == AuditAction.Create && a.Changes!.Contains("Row" + run))
            .ToDictionaryAsync(a => a.EntityId!);
        var terms = (await db.SearchTerms.AsNoTracking().Where(t => t.Entity == SaveContact.SearchEntity && t.Term.StartsWith("row" + run)).ToListAsync())
            .ToDictionary(t => t.Term, t => t.RecordId);
        for (var i = 0; i < 730; i++)
        {
            var id = int.Parse(report[i + 1][3], CultureInfo.InvariantCulture);
            var person = people[id];
            Assert.Equal(($"Row{run}x{i}", i % 3 == 0 ? null : "Person"), (person.LastName, person.FirstName));
            Assert.Equal(["+98" + mobiles[i][1..], .. i % 2 == 0 ? new[] { $"p{mobiles[i]}@example.com" } : []], person.Points.OrderBy(p => p.Kind).Select(p => p.NormalizedValue));
            Assert.Equal($"t{run}x{i}", Assert.Single(person.Tags).Name);
            Assert.Contains($"\"Row{run}x{i}\"", audited[id.ToString(CultureInfo.InvariantCulture)].Changes, StringComparison.Ordinal);
            Assert.Equal(id, terms[$"row{run}x{i}".ToLowerInvariant()]);
        }
    }

    private static string Persian(string s) => Payvand.Platform.Persian.PersianText.ToPersianDigits(s);

    private static async Task<List<int>> Found(HttpClient client, string q) =>
        (await (await client.GetAsync($"/api/contacts?q={Uri.EscapeDataString(q)}")).Read<PagedResult<ContactRow>>()).Items.Select(r => r.Id).ToList();

    private static Dictionary<string, object?> Without(Dictionary<string, object?> row, params string[] columns) =>
        row.Where(c => !columns.Contains(c.Key)).ToDictionary();

    // A stored instant's format (digits as 9, the fraction's length aside: SQLite's text drops its trailing zeros),
    // so both ways of writing keep SQLite's text layout alike.
    private static string Shape(object? value) =>
        value is string s ? Fraction().Replace(Digits().Replace(s, "9"), ".9") : value?.GetType().Name ?? "null";

    private async Task<Dictionary<string, object?>> Row(string table, string column, int id) => Assert.Single(await Rows(table, column, id));

    // The rows of a table as the database returns them (no EF conversion), columns by name.
    private async Task<List<Dictionary<string, object?>>> Rows(string table, string column, int id)
    {
        await using var db = await app.Db();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" WHERE \"{column}\" = @id ORDER BY \"Id\"";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = id;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        }

        return rows;
    }

    [GeneratedRegex("[0-9]")]
    private static partial Regex Digits();

    [GeneratedRegex(@"\.9+")]
    private static partial Regex Fraction();
}
