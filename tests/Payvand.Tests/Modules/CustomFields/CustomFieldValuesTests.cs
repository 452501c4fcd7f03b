using System.Net;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Api;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.CustomFields;

// Custom field values on people through /api/contacts: every type, as typed by people (Persian digits, Jalali
// dates, Arabic letters), list filters cf.<key> (equality and min..max ranges), the export column, field errors.
[Trait("Category", "Integration")]
public sealed class CustomFieldValuesTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private sealed record Fields(string Nick, string Size, string Joined, string Color);

    // Four fields with keys of their own, so every test has fields nobody else fills.
    private static async Task<Fields> DefineFields(HttpClient admin)
    {
        var s = Guid.NewGuid().ToString("N")[..6];
        var fields = new Fields($"nick_{s}", $"size_{s}", $"joined_{s}", $"color_{s}");
        foreach (var (key, type, labelEn, labelFa, choices) in new (string, CustomFieldType, string, string, string[])[]
        {
            (fields.Nick, CustomFieldType.Text, "Nickname", "لقب", Array.Empty<string>()),
            (fields.Size, CustomFieldType.Number, "Shoe size", "سایز کفش", Array.Empty<string>()),
            (fields.Joined, CustomFieldType.Date, "Joined club", "تاریخ عضویت", Array.Empty<string>()),
            (fields.Color, CustomFieldType.Choice, "Favourite colour", "رنگ محبوب", ["قرمز", "آبی", "سبز"]),
        })
        {
            var input = new CustomFieldInput { Key = key, Type = type, LabelEn = $"{labelEn} {s}", LabelFa = $"{labelFa} {s}", Choices = [.. choices] };
            await (await admin.PostJson("/api/custom-fields", input)).Read<CustomFieldDto>(HttpStatusCode.Created);
        }

        return fields;
    }

    private static async Task<ContactDetails> Create(HttpClient client, string lastName, string tag, Dictionary<string, string?> values, DateOnly? birth = null) =>
        await (await client.PostJson("/api/contacts", new ContactInput { LastName = lastName, Tags = [tag], BirthDate = birth, CustomFields = values }))
            .Read<ContactDetails>(HttpStatusCode.Created);

    [Fact]
    public async Task Values_of_every_type_are_stored_as_typed_and_read_back()
    {
        var admin = await app.AdminClient();
        var f = await DefineFields(admin);
        var client = await app.ClientAs("Sales");
        var person = await Create(client, "Typed", "cf-typed", new()
        {
            [f.Nick] = "  Mimi ",
            [f.Size] = "۴۰",              // Persian digits
            [f.Joined] = "۱۴۰۳/۰۱/۰۱",    // a Jalali date
            [f.Color] = "آبي",            // Arabic ي for Persian ی
        });
        Assert.Equal("Mimi", person.CustomFields[f.Nick]);
        Assert.Equal("40", person.CustomFields[f.Size]);
        Assert.Equal("2024-03-20", person.CustomFields[f.Joined]);
        Assert.Equal("آبی", person.CustomFields[f.Color]);

        // An update changes the values it names, clears the empty ones and keeps the rest.
        var input = new ContactInput
        {
            LastName = "Typed",
            Tags = ["cf-typed"],
            Version = person.Version,
            CustomFields = new() { [f.Size] = "1,250.5", [f.Joined] = "2024-12-31", [f.Nick] = "" },
        };
        var changed = await (await client.PutJson($"/api/contacts/{person.Id}", input)).Read<ContactDetails>();
        Assert.Equal("1250.5", changed.CustomFields[f.Size]);
        Assert.Equal("2024-12-31", changed.CustomFields[f.Joined]);
        Assert.Equal("آبی", changed.CustomFields[f.Color]);
        Assert.False(changed.CustomFields.ContainsKey(f.Nick));
        Assert.Equal(changed.CustomFields, (await (await client.GetAsync($"/api/contacts/{person.Id}")).Read<ContactDetails>()).CustomFields);
    }

    // The person is read in one query with phones, tags and custom fields side by side: each is read once, whatever
    // the others hold.
    [Fact]
    public async Task Several_phones_tags_and_fields_are_each_read_once()
    {
        var admin = await app.AdminClient();
        var f = await DefineFields(admin);
        var client = await app.ClientAs("Sales");
        var input = new ContactInput
        {
            LastName = "Many",
            Tags = ["cf-many-b", "cf-many-a", "cf-many-c"],
            Points =
            [
                new ContactPointInput(ContactPointKind.Mobile, "09121110001", IsPrimary: true),
                new ContactPointInput(ContactPointKind.Mobile, "09121110002"),
                new ContactPointInput(ContactPointKind.Email, "many@example.com"),
            ],
            CustomFields = new() { [f.Nick] = "Mo", [f.Size] = "42", [f.Color] = "سبز" },
        };
        var created = await (await client.PostJson("/api/contacts", input)).Read<ContactDetails>(HttpStatusCode.Created);

        var read = await (await client.GetAsync($"/api/contacts/{created.Id}")).Read<ContactDetails>();

        Assert.Equal(["cf-many-a", "cf-many-b", "cf-many-c"], read.Tags);
        Assert.Equal(["+989121110001", "+989121110002", "many@example.com"], read.Points.Select(p => p.NormalizedValue));
        Assert.Equal(new Dictionary<string, string?> { [f.Nick] = "Mo", [f.Size] = "42", [f.Color] = "سبز" }, read.CustomFields);
    }

    [Fact]
    public async Task The_list_filters_by_custom_fields()
    {
        var admin = await app.AdminClient();
        var f = await DefineFields(admin);
        var client = await app.ClientAs("Sales");
        var tag = "cf-filter-" + Guid.NewGuid().ToString("N")[..6];
        var sizes = new[] { 36, 38, 40, 42, 44 };
        var colors = new[] { "قرمز", "آبی", "قرمز", "سبز", "قرمز" };
        var joined = new[] { "2023-05-01", "2024-01-01", "2024-06-30", "2024-07-01", "2025-02-02" };
        var ids = new Dictionary<int, int>();
        for (var i = 0; i < sizes.Length; i++)
        {
            var values = new Dictionary<string, string?> { [f.Size] = sizes[i].ToString(System.Globalization.CultureInfo.InvariantCulture), [f.Color] = colors[i], [f.Joined] = joined[i] };
            ids[sizes[i]] = (await Create(client, "Size" + sizes[i], tag, values)).Id;
        }

        await Create(client, "NoValues", tag, []);

        async Task<string> Sizes(string filter)
        {
            var page = await (await client.GetAsync($"/api/contacts?tag={tag}&pageSize=500&{filter}")).Read<PagedResult<ContactRow>>();
            Assert.Equal(page.Items.Count, page.Total);
            return string.Join(" ", page.Items.Select(r => ids.Single(p => p.Value == r.Id).Key).Order());
        }

        Assert.Equal("38 40 42", await Sizes($"cf.{f.Size}=38..42"));
        Assert.Equal("38 40 42", await Sizes($"cf.{f.Size}=۳۸..۴۲"));
        Assert.Equal("40", await Sizes($"cf.{f.Size}=40"));
        Assert.Equal("42 44", await Sizes($"cf.{f.Size}=41.."));
        Assert.Equal("36", await Sizes($"cf.{f.Size}=..37"));
        Assert.Equal("36 40 44", await Sizes($"cf.{f.Color}=قرمز"));
        Assert.Equal("38 40", await Sizes($"cf.{f.Joined}=2024-01-01..2024-06-30"));
        Assert.Equal("40 42 44", await Sizes($"cf.{f.Joined}=2024-06-30.."));
        Assert.Equal("40 44", await Sizes($"cf.{f.Color}=قرمز&cf.{f.Size}=39..50"));
        Assert.Equal("", await Sizes($"cf.{f.Size}=45..50"));
    }

    [Fact]
    public async Task The_export_has_a_column_per_field()
    {
        var admin = await app.AdminClient();
        var f = await DefineFields(admin);
        var tag = "cf-export-" + Guid.NewGuid().ToString("N")[..6];
        var client = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "en-US");
        await Create(client, "Exported", tag, new() { [f.Nick] = "Mimi", [f.Size] = "41.5", [f.Joined] = "2024-03-20", [f.Color] = "سبز" }, new DateOnly(2000, 1, 2));

        var csv = await ReadCsv(await client.GetAsync($"/api/contacts/export?tag={tag}&format=csv"));
        var suffix = f.Size[^6..];
        var row = Row(csv, 1);
        Assert.Equal("Mimi", row[Column(csv, "Nickname " + suffix)]);
        Assert.Equal("41.5", row[Column(csv, "Shoe size " + suffix)]);
        Assert.Equal("2024-03-20", row[Column(csv, "Joined club " + suffix)]);
        Assert.Equal("سبز", row[Column(csv, "Favourite colour " + suffix)]);

        // In Persian the headers are the Persian labels and dates are Jalali, written like the birth date column.
        var fa = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "fa-IR");
        var faCsv = await ReadCsv(await fa.GetAsync($"/api/contacts/export?tag={tag}&format=csv"));
        var faRow = Row(faCsv, 1);
        Assert.Equal("41.5", faRow[Column(faCsv, "سایز کفش " + suffix)]);
        Assert.Equal("1378/10/12", faRow[Column(faCsv, "تاریخ تولد")]);
        Assert.Equal("1403/01/01", faRow[Column(faCsv, "تاریخ عضویت " + suffix)]);
    }

    [Fact]
    public async Task Invalid_values_are_field_errors_in_the_users_language()
    {
        var admin = await app.AdminClient();
        var f = await DefineFields(admin);
        var s = f.Size[^6..];
        var values = new Dictionary<string, string?> { [f.Size] = "forty", [f.Joined] = "2024-13-45", [f.Color] = "زرد", ["no_such_field"] = "x" };

        var en = await app.ClientAs("Sales");
        var problem = await (await en.PostJson("/api/contacts", new ContactInput { LastName = "Invalid", Tags = ["cf-invalid"], CustomFields = values }))
            .Problem(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal($"Shoe size {s} must be a number.", errors.GetProperty($"customFields.{f.Size}")[0].GetString());
        Assert.Equal($"Joined club {s} must be a date.", errors.GetProperty($"customFields.{f.Joined}")[0].GetString());
        Assert.Equal($"Favourite colour {s} must be one of: قرمز، آبی، سبز.", errors.GetProperty($"customFields.{f.Color}")[0].GetString());
        Assert.Equal("There is no custom field named no_such_field.", errors.GetProperty("customFields.no_such_field")[0].GetString());

        var fa = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "fa-IR");
        var faProblem = await (await fa.PostJson("/api/contacts", new ContactInput { LastName = "Invalid", Tags = ["cf-invalid"], CustomFields = values }))
            .Problem(HttpStatusCode.BadRequest);
        var faErrors = faProblem.GetProperty("errors");
        Assert.Equal($"سایز کفش {s} باید عدد باشد.", faErrors.GetProperty($"customFields.{f.Size}")[0].GetString());
        Assert.Equal($"تاریخ عضویت {s} باید تاریخ باشد.", faErrors.GetProperty($"customFields.{f.Joined}")[0].GetString());
        Assert.Equal("فیلد سفارشی با نام no_such_field وجود ندارد.", faErrors.GetProperty("customFields.no_such_field")[0].GetString());

        var page = await (await en.GetAsync("/api/contacts?tag=cf-invalid")).Read<PagedResult<ContactRow>>();
        Assert.Equal(0, page.Total);
    }

    [Fact]
    public async Task A_field_of_people_takes_no_values_on_companies()
    {
        var admin = await app.AdminClient();
        var f = await DefineFields(admin);
        var companyKey = "tier_" + Guid.NewGuid().ToString("N")[..6];
        await (await admin.PostJson("/api/custom-fields", new CustomFieldInput
        {
            Target = CustomFieldTarget.Company,
            Key = companyKey,
            Type = CustomFieldType.Choice,
            LabelEn = "Tier",
            LabelFa = "سطح",
            Choices = ["طلایی", "نقره‌ای"],
        })).Read<CustomFieldDto>(HttpStatusCode.Created);

        var refused = await (await admin.PostJson("/api/companies", new CompanyInput { Name = "Wrong target", CustomFields = new() { [f.Size] = "40" } }))
            .Problem(HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty($"customFields.{f.Size}", out _));

        var company = await (await admin.PostJson("/api/companies", new CompanyInput { Name = "Right target", CustomFields = new() { [companyKey] = "نقره ای" } }))
            .Read<CompanyDetails>(HttpStatusCode.Created);
        Assert.Equal("نقره‌ای", company.CustomFields[companyKey]);   // a space typed for the half-space still picks the choice
        var listed = await (await admin.GetAsync($"/api/companies?cf.{companyKey}=نقره‌ای")).Read<PagedResult<CompanyRow>>();
        Assert.Equal(company.Id, Assert.Single(listed.Items).Id);
    }

    private static async Task<List<string[]>> ReadCsv(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/csv", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF');
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseLine).ToList();
    }

    private static string[] ParseLine(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                cell.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else if (c != '\r')
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return [.. cells];
    }

    private static int Column(List<string[]> csv, string header)
    {
        var index = Array.IndexOf(csv[0], header);
        Assert.True(index >= 0, $"No column \"{header}\" in: {string.Join(" | ", csv[0])}");
        return index;
    }

    private static string[] Row(List<string[]> csv, int n)
    {
        Assert.True(csv.Count > n, $"Only {csv.Count - 1} rows");
        return csv[n];
    }
}
