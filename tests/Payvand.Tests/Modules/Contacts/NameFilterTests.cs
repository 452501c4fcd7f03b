using System.Net;
using Payvand.Modules.Contacts;
using Payvand.Modules.Segments;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Segments;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Contacts;

// Issue 11: the people list's and segments' first- and last-name filters (is / starts with), compared Persian-normalized
// (ی/ي, ک/ك, half-spaces, digits in any script, Latin case), on people of a branch of their own.
[Trait("Category", "Integration")]
public sealed class NameFilterTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private async Task<HttpClient> Setup()
    {
        var branch = await app.CreateBranch("Names " + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.ClientFor(await app.CreateUser(Roles.Sales, branch));
        foreach (var (first, last) in new[] { ("كيميا", "ملک‌زاده"), ("کیمیا", "ملکی"), ("علی", "کیمیایی"), ("Kim", "Smith-۰۷"), (null, "ملک") })
        {
            await (await client.PostJson("/api/contacts", new ContactInput { FirstName = first, LastName = last, BranchId = branch })).Read<ContactDetails>(HttpStatusCode.Created);
        }

        return client;
    }

    private static async Task<List<string>> Names(HttpClient client, string query) =>
        (await (await client.GetAsync("/api/contacts?pageSize=100&" + query)).Read<PagedResult<ContactRow>>()).Items.Select(r => r.DisplayName).ToList();

    private static List<string> Sorted(params string[] names) => [.. names.Order(StringComparer.Ordinal)];

    private static string P(string name, string value) => name + "=" + Uri.EscapeDataString(value);

    [Fact]
    public async Task The_list_filters_first_and_last_name_by_equality_or_prefix()
    {
        var client = await Setup();
        Assert.Equal(["کیمیا ملک‌زاده", "کیمیا ملکی"], await Names(client, P("firstName", "كيميا")));   // Arabic ي and ك
        Assert.Equal(["کیمیا ملک‌زاده", "کیمیا ملکی"], await Names(client, P("firstNameStartsWith", "کیم")));
        Assert.StartsWith("Kim Smith-", Assert.Single(await Names(client, P("firstNameStartsWith", "KI"))), StringComparison.Ordinal);
        Assert.Equal(["کیمیا ملک‌زاده"], await Names(client, P("lastName", "ملکزاده")));                  // without the half-space
        Assert.Equal(["کیمیا ملک‌زاده"], await Names(client, P("lastName", "ملک زاده")));                 // or with a space
        Assert.Equal(["ملک"], await Names(client, P("lastName", "ملک")));                                 // equal, not a prefix
        Assert.Equal(["ملک", "کیمیا ملک‌زاده", "کیمیا ملکی"], await Names(client, P("lastNameStartsWith", "ملك")));
        Assert.StartsWith("Kim Smith-", Assert.Single(await Names(client, P("lastName", "smith-07"))), StringComparison.Ordinal); // digits in any script
        Assert.Equal(["کیمیا ملکی"], await Names(client, P("firstName", "کیمیا") + "&" + P("lastNameStartsWith", "ملکی")));
        Assert.Empty(await Names(client, P("firstName", "کیمیای")));
        Assert.Empty(await Names(client, P("lastName", "\u200C")));                                     // nothing left to compare
        Assert.Equal(5, (await Names(client, P("firstName", " "))).Count);                              // blank: no filter
        Assert.Empty(await Names(client, P("lastNameStartsWith", new string('ک', 5000))));             // long input: no error
    }

    [Fact]
    public async Task Segments_select_by_first_and_last_name_with_equals_and_starts_with()
    {
        var client = await Setup();
        async Task<List<string>> Select(params SegmentCondition[] conditions)
        {
            var preview = await (await client.PostJson("/api/segments/preview", new SegmentRule(SegmentMatch.All, conditions))).Read<SegmentPreview>();
            return [.. preview.Sample.Select(s => s.Name).Order(StringComparer.Ordinal)];
        }

        Assert.Equal(Sorted("کیمیا ملک‌زاده", "کیمیا ملکی"), await Select(new SegmentCondition("contacts.firstName", SegmentOperator.Equals, ["كيميا"])));
        Assert.StartsWith("Kim Smith-", Assert.Single(await Select(new SegmentCondition("contacts.firstName", SegmentOperator.StartsWith, ["k"]))), StringComparison.Ordinal);
        Assert.Equal(Sorted("ملک", "کیمیا ملک‌زاده", "کیمیا ملکی"), await Select(new SegmentCondition("contacts.lastName", SegmentOperator.StartsWith, ["ملک"])));
        Assert.Equal(["کیمیا ملک‌زاده"], await Select(new SegmentCondition("contacts.lastName", SegmentOperator.Equals, ["ملک‌زاده"]),
            new SegmentCondition("contacts.firstName", SegmentOperator.StartsWith, ["كي"])));

        var problem = await (await client.PostJson("/api/segments/preview", new SegmentRule(SegmentMatch.All,
            [new SegmentCondition("contacts.lastName", SegmentOperator.IsSet)]))).Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("conditions[0].operator", out _));
    }
}
