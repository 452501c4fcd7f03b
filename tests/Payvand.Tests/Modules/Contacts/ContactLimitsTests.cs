using System.Net;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Contacts;

// The collections of one request have bounds (ContactInput.MaxPoints, MaxTags ...): 10,000 phones or tags were once
// accepted after 15-20 seconds of work.
[Trait("Category", "Integration")]
public sealed class ContactLimitsTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static List<ContactPointInput> Phones(int n) =>
        Enumerable.Range(0, n).Select(i => new ContactPointInput(ContactPointKind.Mobile, $"0912{i:D7}")).ToList();

    private static List<string> Tags(int n) => Enumerable.Range(0, n).Select(i => "tag" + i).ToList();

    [Fact]
    public async Task Ten_thousand_phones_or_tags_are_refused_at_once_with_field_errors()
    {
        var client = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "fa-IR");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var problem = await (await client.PostJson("/api/contacts", new ContactInput { LastName = "Many", Points = Phones(10_000), Tags = Tags(10_000) }))
            .Problem(HttpStatusCode.BadRequest);
        Assert.InRange(started.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        var errors = problem.GetProperty("errors");
        Assert.Equal("حداکثر 20 مورد پذیرفته می‌شود.", errors.GetProperty("points")[0].GetString());
        Assert.Equal("حداکثر 50 مورد پذیرفته می‌شود.", errors.GetProperty("tags")[0].GetString());
    }

    [Fact]
    public async Task The_bounds_themselves_are_accepted_for_people_and_refused_past_them_for_companies()
    {
        var client = await app.ClientAs("Sales");
        var created = await (await client.PostJson("/api/contacts", new ContactInput { LastName = "Full", Points = Phones(ContactInput.MaxPoints), Tags = Tags(ContactInput.MaxTags) }))
            .Read<ContactDetails>(HttpStatusCode.Created);
        Assert.Equal(ContactInput.MaxPoints, created.Points.Count);
        Assert.Equal(ContactInput.MaxTags, created.Tags.Count);

        var company = await (await client.PostJson("/api/companies", new CompanyInput { Name = "Many", Points = Phones(21), Tags = Tags(51) })).Problem(HttpStatusCode.BadRequest);
        Assert.True(company.GetProperty("errors").TryGetProperty("points", out _));
        Assert.True(company.GetProperty("errors").TryGetProperty("tags", out _));
    }

    [Fact]
    public async Task A_bulk_change_of_more_ids_than_allowed_is_refused()
    {
        var client = await app.ClientAs("Manager");
        var ids = Enumerable.Range(1, BulkUpdate.MaxRecords + 1).ToList();
        var problem = await (await client.PostJson("/api/contacts/bulk", new BulkUpdateContacts.Request(BulkAction.AddTag, ids, Tag: "x"))).Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("ids", out _));
    }
}
