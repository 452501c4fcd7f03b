using System.Net;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Audit;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Contacts;

// "Not a duplicate": two people marked as different people are no longer paired on the duplicates list, for every
// reason; the mark is audited on both and can be taken back.
[Trait("Category", "Integration")]
public sealed class NotDuplicatesTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static async Task<ContactDetails> Create(HttpClient client, ContactInput input) =>
        await (await client.PostJson("/api/contacts", input)).Read<ContactDetails>(HttpStatusCode.Created);

    [Fact]
    public async Task A_pair_marked_as_different_people_leaves_the_duplicates_list_until_the_mark_is_taken_back()
    {
        var branch = await app.CreateBranch("NotDup " + Guid.NewGuid().ToString("N")[..6]);
        var sales = await app.ClientAs("Sales", branch);
        var twin = UniquePerson.Create();
        // The same mobile, and the same name with the same birth date and city: three reasons to pair them.
        var first = await Create(sales, twin.Input(branch) with { NationalCode = null, Points = [new ContactPointInput(ContactPointKind.Mobile, twin.Mobile)] });
        var second = await Create(sales, twin.Input(branch) with { NationalCode = null, Points = [new ContactPointInput(ContactPointKind.Mobile, twin.Mobile)] });
        var other = UniquePerson.Create();
        var third = await Create(sales, other.Input(branch) with { Points = [new ContactPointInput(ContactPointKind.Mobile, other.Mobile)] });
        var fourth = await Create(sales, UniquePerson.Create().Input(branch) with { Points = [new ContactPointInput(ContactPointKind.Mobile, other.Mobile)] });

        async Task<List<DuplicateGroup>> Groups() => (await (await sales.GetAsync("/api/contacts/duplicates?pageSize=100")).Read<PagedResult<DuplicateGroup>>()).Items.ToList();
        Assert.Equal(4, (await Groups()).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await sales.PostJson("/api/contacts/duplicates/dismissed", new { contactId = second.Id, otherId = first.Id })).StatusCode);
        var left = await Groups();
        Assert.Equal([third.Id, fourth.Id], Assert.Single(left).People.Select(p => p.Id).Order());
        Assert.Equal(1, (await (await sales.GetAsync("/api/contacts/duplicates?pageSize=100")).Read<PagedResult<DuplicateGroup>>()).Total);

        // Marking again changes nothing; the mark is audited on both people.
        Assert.Equal(HttpStatusCode.NoContent, (await sales.PostJson("/api/contacts/duplicates/dismissed", new { contactId = first.Id, otherId = second.Id })).StatusCode);
        await using (var db = await app.Db())
        {
            var ids = new[] { first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), second.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            Assert.Equal(2, await db.Audit.CountAsync(a => a.EntityType == nameof(Contact) && ids.Contains(a.EntityId!) && a.Detail!.StartsWith("Not the same person")));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await sales.DeleteAsync($"/api/contacts/duplicates/dismissed/{first.Id}/{second.Id}")).StatusCode);
        Assert.Equal(4, (await Groups()).Count);
        Assert.Equal(HttpStatusCode.NotFound, (await sales.DeleteAsync($"/api/contacts/duplicates/dismissed/{first.Id}/{second.Id}")).StatusCode);
    }

    [Fact]
    public async Task Marking_needs_two_different_people_the_caller_sees()
    {
        var sales = await app.ClientAs("Sales", app.MainBranchId);
        var person = await Create(sales, UniquePerson.Create().Input(app.MainBranchId));
        var same = await (await sales.PostJson("/api/contacts/duplicates/dismissed", new { contactId = person.Id, otherId = person.Id })).Problem(HttpStatusCode.BadRequest);
        Assert.True(same.GetProperty("errors").TryGetProperty("otherId", out _));
        var missing = await (await sales.PostJson("/api/contacts/duplicates/dismissed", new { contactId = person.Id, otherId = 987654321 })).Problem(HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("otherId", out _));
    }
}
