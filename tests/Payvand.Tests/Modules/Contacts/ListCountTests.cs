using System.Net;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Contacts;

// A list counts its matches exactly up to PagedCount.CountCap (or up to the requested page when it is further) and
// beyond that says "more than", instead of counting a million rows for every page (docs/benchmarks-log.md).
// Its own database: it adds more than ten thousand people.
[Trait("Category", "Integration")]
public sealed class ListCountTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private const int People = PagedCount.CountCap + 60;

    [Fact]
    public async Task A_broad_list_reports_a_lower_bound_and_a_narrow_or_deep_one_the_exact_total()
    {
        const string city = "شهر شمارش";
        await using (var db = await app.Db())
        {
            db.Contacts.AddRange(Enumerable.Range(1, People).Select(i => new Contact
            {
                LastName = $"Counted {i:D5}",
                SortName = $"counted {i:D5}",
                City = city,
                BranchId = app.MainBranchId,
                Tags = i % 1000 == 0 ? [new ContactTag { Name = "thousandth" }] : [],
            }));
            await db.SaveChangesAsync();
        }

        var client = await app.ClientAs("Sales");
        var broad = await (await client.GetAsync($"/api/contacts?city={Uri.EscapeDataString(city)}&pageSize=50")).Read<PagedResult<ContactRow>>();
        Assert.True(broad.TotalIsLowerBound);
        Assert.Equal(PagedCount.CountCap, broad.Total);
        Assert.Equal("Counted 00001", broad.Items[0].DisplayName);

        // The last page: the count reaches the end, so it is exact again.
        var lastPage = (People + 49) / 50;
        var deep = await (await client.GetAsync($"/api/contacts?city={Uri.EscapeDataString(city)}&pageSize=50&page={lastPage}")).Read<PagedResult<ContactRow>>();
        Assert.False(deep.TotalIsLowerBound);
        Assert.Equal(People, deep.Total);
        Assert.Equal($"Counted {People:D5}", deep.Items[^1].DisplayName);

        // A page past the cap with more after it is not counted: it says "more than" the rows up to its end.
        var pastCap = await (await client.GetAsync($"/api/contacts?city={Uri.EscapeDataString(city)}&pageSize=50&page={PagedCount.CountCap / 50 + 1}")).Read<PagedResult<ContactRow>>();
        Assert.Equal((PagedCount.CountCap + 50, true), (pastCap.Total, pastCap.TotalIsLowerBound));
        Assert.Equal($"Counted {PagedCount.CountCap + 1:D5}", pastCap.Items[0].DisplayName);

        // A page past the end is empty and counts the real total.
        var beyond = await (await client.GetAsync($"/api/contacts?city={Uri.EscapeDataString(city)}&pageSize=50&page={lastPage + 5}")).Read<PagedResult<ContactRow>>();
        Assert.Empty(beyond.Items);
        Assert.Equal((People, false), (beyond.Total, beyond.TotalIsLowerBound));

        var narrow = await (await client.GetAsync("/api/contacts?tag=thousandth")).Read<PagedResult<ContactRow>>();
        Assert.False(narrow.TotalIsLowerBound);
        Assert.Equal(People / 1000, narrow.Total);

        // Keyset paging: after=<last id of page n> gives page n + 1, both ways, without reading the pages before it.
        var escaped = Uri.EscapeDataString(city);
        foreach (var desc in new[] { false, true })
        {
            var order = $"city={escaped}&pageSize=50&desc={desc}";
            var page7 = await (await client.GetAsync($"/api/contacts?{order}&page=7")).Read<PagedResult<ContactRow>>();
            var page8 = await (await client.GetAsync($"/api/contacts?{order}&page=8")).Read<PagedResult<ContactRow>>();
            var next = await (await client.GetAsync($"/api/contacts?{order}&after={page7.Items[^1].Id}")).Read<PagedResult<ContactRow>>();
            Assert.Equal(page8.Items.Select(r => r.Id), next.Items.Select(r => r.Id));
        }

        var wrongSort = await (await client.GetAsync($"/api/contacts?city={escaped}&sort=city&after={broad.Items[0].Id}")).Problem(HttpStatusCode.BadRequest);
        Assert.True(wrongSort.GetProperty("errors").TryGetProperty("after", out _));
        var unknown = await (await client.GetAsync($"/api/contacts?after=999999999")).Problem(HttpStatusCode.BadRequest);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("after", out _));

        // A salesperson of another branch sees none of them, exactly, and cannot page from one of them.
        var stranger = await app.ClientAs("Sales", await app.CreateBranch("Elsewhere"));
        var none = await (await stranger.GetAsync($"/api/contacts?city={Uri.EscapeDataString(city)}")).Read<PagedResult<ContactRow>>();
        Assert.Equal((0, false), (none.Total, none.TotalIsLowerBound));
        await (await stranger.GetAsync($"/api/contacts?after={broad.Items[0].Id}")).Problem(HttpStatusCode.BadRequest);
    }
}
