using System.Net;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform.Api;

// A page past the last is empty and says which page it is; a page number no list could reach is a field error.
// Both once wrapped round an int (page × page size) to page 1's rows under the requested number.
[Trait("Category", "Integration")]
public sealed class PagingTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private async Task<(HttpClient Client, string Tag)> ThreePeople()
    {
        var client = await app.ClientAs("Sales");
        var tag = "page" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 3; i++)
        {
            await (await client.PostJson("/api/contacts", new ContactInput { LastName = "Paged " + i, Tags = [tag] })).Read<ContactDetails>(HttpStatusCode.Created);
        }

        return (client, tag);
    }

    [Theory]
    [InlineData(2, 50)]
    [InlineData(42_949_673, 100)] // (page - 1) × 100 wraps to a negative offset in an int
    [InlineData(1_000_000, 500)]
    public async Task A_page_past_the_last_is_empty_and_labelled_with_its_true_number(int page, int pageSize)
    {
        var (client, tag) = await ThreePeople();
        var response = await client.GetAsync($"/api/contacts?tag={tag}&page={page}&pageSize={pageSize}");
        if (page > PageRequest.MaxPage)
        {
            var problem = await response.Problem(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("page", out _));
            return;
        }

        var result = await response.Read<PagedResult<ContactRow>>();
        Assert.Empty(result.Items);
        Assert.Equal(page, result.Page);
        Assert.Equal(3, result.Total);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1_000_001)]
    public async Task A_page_number_out_of_range_is_a_field_error(int page)
    {
        var (client, tag) = await ThreePeople();
        var problem = await (await client.GetAsync($"/api/contacts?tag={tag}&page={page}")).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("page must be between 1 and 1000000.", problem.GetProperty("errors").GetProperty("page")[0].GetString());

        var admin = await app.AdminClient();
        await (await admin.GetAsync($"/api/admin/events?page={page}")).Problem(HttpStatusCode.BadRequest);
    }

    // The pagers of the UI (duplicates, exports) whose list shrank under them show the last page, labelled as such.
    [Fact]
    public void A_pager_past_the_end_moves_to_the_last_page()
    {
        Assert.Equal(3, PageNumbers.Instead(new PagedResult<int>([], 45, 5, 20)));
        Assert.Null(PageNumbers.Instead(new PagedResult<int>([1], 45, 3, 20)));
        Assert.Null(PageNumbers.Instead(new PagedResult<int>([], 0, 2, 20)));
        Assert.Null(PageNumbers.Instead(new PagedResult<int>([], 10_000, 600, 20, TotalIsLowerBound: true)));
    }

    [Fact]
    public void The_rows_skipped_for_the_last_allowed_page_fit_in_an_int()
    {
        var last = new PageRequest(int.MaxValue, int.MaxValue);
        Assert.Equal((PageRequest.MaxPage - 1) * PageRequest.MaxPageSize, last.Skip);
        Assert.True(last.Skip + last.ReadSize > 0);
    }
}
