using System.Net;
using System.Text.Json;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Contacts;

[Trait("Category", "Integration")]
public sealed class ContactsApiTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static ContactInput Maryam(string mobile = "۰۹۱۲ ۱۲۳ ۴۵۶۷") => new()
    {
        FirstName = "مريم",
        LastName = "كاظمی",
        NationalCode = "0499370899",
        BirthDate = new DateOnly(1990, 3, 21),
        City = "تهران",
        Points = [new ContactPointInput(ContactPointKind.Mobile, mobile), new ContactPointInput(ContactPointKind.Email, " Maryam@Example.COM ")],
        Tags = ["VIP", "vip "],
    };

    [Fact]
    public async Task Create_normalizes_and_reads_back()
    {
        var client = await app.ClientAs("Sales");
        var created = await (await client.PostJson("/api/contacts", Maryam())).Read<ContactDetails>(HttpStatusCode.Created);

        Assert.Equal("مریم", created.FirstName);      // Arabic ي stored as Persian ی
        Assert.Equal("کاظمی", created.LastName);      // Arabic ك stored as Persian ک
        Assert.Equal("+989121234567", created.Points.Single(p => p.Kind == ContactPointKind.Mobile).NormalizedValue);
        Assert.Equal("maryam@example.com", created.Points.Single(p => p.Kind == ContactPointKind.Email).NormalizedValue);
        Assert.Equal(["vip"], created.Tags);
        Assert.Equal(RecordSource.Api, created.Source);
        Assert.Equal(app.MainBranchId, created.BranchId);

        var fetched = await (await client.GetAsync($"/api/contacts/{created.Id}")).Read<ContactDetails>();
        Assert.Equal(created.Id, fetched.Id);
        Assert.Equal(new DateOnly(1990, 3, 21), fetched.BirthDate);
    }

    [Fact]
    public async Task Invalid_input_gives_field_errors_in_the_users_language()
    {
        var client = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "fa-IR");
        var bad = Maryam("12345") with { LastName = " ", NationalCode = "1234567890" };
        var problem = await (await client.PostJson("/api/contacts", bad)).Problem(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Contains("الزامی", errors.GetProperty("lastName")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("کد ملی معتبر نیست.", errors.GetProperty("nationalCode")[0].GetString());
        Assert.Equal("شماره تلفن معتبر نیست.", errors.GetProperty("points[0].value")[0].GetString());
    }

    [Fact]
    public async Task Stale_update_is_refused_with_409()
    {
        var client = await app.ClientAs("Sales");
        var created = await (await client.PostJson("/api/contacts", Maryam("09121112233"))).Read<ContactDetails>(HttpStatusCode.Created);
        var input = Maryam("09121112233") with { City = "شیراز", Version = created.Version };
        var updated = await (await client.PutJson($"/api/contacts/{created.Id}", input)).Read<ContactDetails>();
        Assert.Equal("شیراز", updated.City);
        Assert.True(updated.Version > created.Version);

        var stale = input with { City = "اصفهان" }; // still carries the old version
        await (await client.PutJson($"/api/contacts/{created.Id}", stale)).Problem(HttpStatusCode.Conflict);
        var after = await (await client.GetAsync($"/api/contacts/{created.Id}")).Read<ContactDetails>();
        Assert.Equal("شیراز", after.City);
    }

    [Fact]
    public async Task List_filters_sorts_pages_and_counts()
    {
        var branch = await app.CreateBranch("List branch " + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.ClientAs("Sales", branch);
        foreach (var (first, city) in new[] { ("علی", "کرج"), ("بهرام", "کرج"), ("ژاله", "رشت") })
        {
            var input = new ContactInput { FirstName = first, LastName = "تست", City = city, BranchId = branch, Tags = ["list-test"] };
            await (await client.PostJson("/api/contacts", input)).Read<ContactDetails>(HttpStatusCode.Created);
        }

        var page = await (await client.GetAsync("/api/contacts?city=کرج&sort=name&pageSize=1&page=2")).Read<PagedResult<ContactRow>>();
        Assert.Equal(2, page.Total);
        Assert.Single(page.Items);
        Assert.Equal("علی تست", page.Items[0].DisplayName);

        var bad = await (await client.GetAsync("/api/contacts?sort=shoeSize&pageSize=9999")).Problem(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("sort", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("pageSize", out _));
    }

    [Fact]
    public async Task Changes_are_audited_field_by_field()
    {
        var client = await app.ClientAs("Sales");
        var created = await (await client.PostJson("/api/contacts", Maryam("09125556677"))).Read<ContactDetails>(HttpStatusCode.Created);
        await (await client.PutJson($"/api/contacts/{created.Id}", Maryam("09125556677") with { City = "یزد", Version = created.Version })).Read<ContactDetails>();

        await using var db = await app.Db();
        var entries = db.Audit.Where(a => a.EntityType == "Contact" && a.EntityId == created.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .OrderBy(a => a.Id).ToList();
        Assert.Equal(Payvand.Platform.Audit.AuditAction.Create, entries[0].Action);
        Assert.Contains("+989125556677", entries[0].Changes, StringComparison.Ordinal); // the new person's phones are in its creation entry
        var update = entries.Single(e => e.Action == Payvand.Platform.Audit.AuditAction.Update && e.Changes!.Contains("City", StringComparison.Ordinal));
        var changes = JsonSerializer.Deserialize<List<Payvand.Platform.Audit.FieldChange>>(update.Changes!, HttpExtensions.Json)!;
        var city = changes.Single(c => c.Field == "City");
        Assert.Equal("تهران", city.From);
        Assert.Equal("یزد", city.To);
        Assert.NotNull(update.UserId);
    }
}
