using System.Net;
using System.Text.Json;
using Payvand.Modules.Contacts;
using Payvand.Modules.Segments;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Segments;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Segments;

// Saved segments through /api/segments: CRUD and its field errors, counts and members among the people the caller
// sees, freezing into static lists, and who may use and change whose segment.
[Trait("Category", "Integration")]
public sealed class SegmentsApiTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    // People tagged with a tag of their own (so counts are exact), in two branches: a city and a spend each.
    private async Task<World> Setup()
    {
        var tag = "seg" + Guid.NewGuid().ToString("N")[..8];
        var north = await app.CreateBranch("North " + tag);
        var south = await app.CreateBranch("South " + tag);
        var people = new Dictionary<string, int>();
        await using var db = await app.Db();
        foreach (var (name, city, branch) in new[] { ("Sara", "شیراز", north), ("Reza", "شیراز", south), ("Mina", "تهران", north), ("Ali", "تهران", south) })
        {
            var c = new Contact { FirstName = name, LastName = tag, SortName = name, City = city, BranchId = branch, Tags = [new ContactTag { Name = tag }] };
            db.Contacts.Add(c);
            await db.SaveChangesAsync();
            people[name] = c.Id;
        }

        return new World(tag, north, south, people);
    }

    private sealed record World(string Tag, int North, int South, Dictionary<string, int> People)
    {
        public SegmentRule Tagged(params SegmentCondition[] more) =>
            new(SegmentMatch.All, [new SegmentCondition("contacts.tag", SegmentOperator.HasAny, [Tag]), .. more]);

        public SegmentInput Input(string name, SegmentRule rule, SegmentKind kind = SegmentKind.Dynamic, bool shared = false) =>
            new() { Name = name + " " + Tag, Rule = rule, Kind = kind, IsShared = shared };

        public string[] Names(PagedResult<ContactRow> page) => [.. People.Where(p => page.Items.Any(r => r.Id == p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal)];
    }

    private static SegmentCondition City(string city) => new("contacts.city", SegmentOperator.Equals, [city]);

    private static async Task<int> Count(HttpClient client, int id) => (await (await client.GetAsync($"/api/segments/{id}/count")).Read<SegmentCount>()).Count;

    [Fact]
    public async Task A_segment_is_created_read_listed_changed_and_deleted()
    {
        var w = await Setup();
        var admin = await app.AdminClient();
        var created = await (await admin.PostJson("/api/segments", w.Input("Shiraz", w.Tagged(City("شیراز"))) with { Description = "  in Shiraz  " }))
            .Read<SegmentDto>(HttpStatusCode.Created);
        Assert.Equal(SegmentKind.Dynamic, created.Kind);
        Assert.Equal("in Shiraz", created.Description);
        Assert.True(created.IsMine);
        Assert.Equal("contacts.city", created.Rule!.Conditions![1].Field);
        Assert.Equal(2, await Count(admin, created.Id));

        var listed = await (await admin.GetAsync("/api/segments")).Read<List<SegmentDto>>();
        Assert.Contains(listed, s => s.Id == created.Id && s.Name == "Shiraz " + w.Tag);

        var changed = await (await admin.PutJson($"/api/segments/{created.Id}", w.Input("Tehran", w.Tagged(City("تهران"))))).Read<SegmentDto>();
        Assert.Equal("Tehran " + w.Tag, changed.Name);
        Assert.Equal(["Ali", "Mina"], w.Names(await (await admin.GetAsync($"/api/segments/{created.Id}/members")).Read<PagedResult<ContactRow>>()));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/segments/{created.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/segments/{created.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/segments/{created.Id}/count")).StatusCode);
    }

    [Fact]
    public async Task Bad_input_gets_field_errors_in_the_callers_language()
    {
        var w = await Setup();
        var admin = await app.AdminClient();
        await (await admin.PostJson("/api/segments", w.Input("Taken", w.Tagged()))).Read<SegmentDto>(HttpStatusCode.Created);

        var bad = new SegmentInput
        {
            Name = " ",
            Description = new string('x', Segment.DescriptionLength + 1),
            Rule = new SegmentRule(Conditions: [new SegmentCondition("contacts.nope", SegmentOperator.Equals, ["x"])],
                Groups: [new SegmentRule(Conditions: [new SegmentCondition("purchases.netSpent", SegmentOperator.AtLeast, ["many"])])]),
        };
        var errors = (await (await admin.PostJson("/api/segments", bad)).Problem(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(["description", "name", "rule.conditions[0].field", "rule.groups[0].conditions[0].values"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));

        var taken = await (await admin.PostJson("/api/segments", w.Input("Taken", w.Tagged()))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("Another segment is already called this.", taken.GetProperty("errors").GetProperty("name")[0].GetString());

        var persian = await app.ClientFor(await app.CreateUser(Roles.Marketing), "fa-IR");
        var fa = await (await persian.PostJson("/api/segments", w.Input("Taken", w.Tagged()))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("بخش دیگری با همین نام هست.", fa.GetProperty("errors").GetProperty("name")[0].GetString());

        var created = await (await admin.PostJson("/api/segments", w.Input("Kind", w.Tagged()))).Read<SegmentDto>(HttpStatusCode.Created);
        var kind = await (await admin.PutJson($"/api/segments/{created.Id}", w.Input("Kind", w.Tagged(), SegmentKind.Static))).Problem(HttpStatusCode.BadRequest);
        Assert.True(kind.GetProperty("errors").TryGetProperty("kind", out _));
    }

    [Fact]
    public async Task Counts_and_members_hold_only_the_people_the_caller_sees()
    {
        var w = await Setup();
        var marketing = await app.ClientFor(await app.CreateUser(Roles.Marketing));
        var segment = await (await marketing.PostJson("/api/segments", w.Input("Everyone", w.Tagged(), shared: true))).Read<SegmentDto>(HttpStatusCode.Created);
        Assert.Equal(4, await Count(marketing, segment.Id));

        var northSales = await app.ClientFor(await app.CreateUser(Roles.Sales, w.North));
        Assert.Equal(2, await Count(northSales, segment.Id));
        Assert.Equal(["Mina", "Sara"], w.Names(await (await northSales.GetAsync($"/api/segments/{segment.Id}/members")).Read<PagedResult<ContactRow>>()));

        // Pages in id order, by number or after the last id of the previous page.
        var first = await (await marketing.GetAsync($"/api/segments/{segment.Id}/members?pageSize=3")).Read<PagedResult<ContactRow>>();
        Assert.Equal(4, first.Total);
        Assert.Equal(3, first.Items.Count);
        var next = await (await marketing.GetAsync($"/api/segments/{segment.Id}/members?pageSize=3&after={first.Items[^1].Id}")).Read<PagedResult<ContactRow>>();
        Assert.Equal([w.People["Ali"]], next.Items.Select(r => r.Id));

        // Support holds no segments permission by default.
        var support = await app.ClientFor(await app.CreateUser(Roles.Support, w.North));
        Assert.Equal(HttpStatusCode.Forbidden, (await support.GetAsync($"/api/segments/{segment.Id}/members")).StatusCode);
    }

    [Fact]
    public async Task A_private_segment_is_its_creators_and_a_shared_one_is_changed_only_by_them()
    {
        var w = await Setup();
        var owner = await app.ClientFor(await app.CreateUser(Roles.Marketing));
        var other = await app.ClientFor(await app.CreateUser(Roles.Marketing));
        var mine = await (await owner.PostJson("/api/segments", w.Input("Mine", w.Tagged()))).Read<SegmentDto>(HttpStatusCode.Created);
        var shared = await (await owner.PostJson("/api/segments", w.Input("Ours", w.Tagged(), shared: true))).Read<SegmentDto>(HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/segments/{mine.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/segments/{mine.Id}/members")).StatusCode);
        var list = await (await other.GetAsync("/api/segments")).Read<List<SegmentDto>>();
        Assert.DoesNotContain(list, s => s.Id == mine.Id);
        Assert.Contains(list, s => s.Id == shared.Id && !s.IsMine);

        Assert.Equal(4, await Count(other, shared.Id));
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PutJson($"/api/segments/{shared.Id}", w.Input("Theirs", w.Tagged()))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync($"/api/segments/{shared.Id}")).StatusCode);
        var admin = await app.AdminClient();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/segments/{mine.Id}")).StatusCode);
    }

    [Fact]
    public async Task Freezing_keeps_todays_people_while_the_dynamic_segment_moves_on()
    {
        var w = await Setup();
        var admin = await app.AdminClient();
        var dynamic = await (await admin.PostJson("/api/segments", w.Input("Shiraz", w.Tagged(City("شیراز"))))).Read<SegmentDto>(HttpStatusCode.Created);
        var frozen = await (await admin.PostAsync($"/api/segments/{dynamic.Id}/freeze", null)).Read<SegmentDto>(HttpStatusCode.Created);
        Assert.Equal(SegmentKind.Static, frozen.Kind);
        Assert.StartsWith("Shiraz " + w.Tag + " (frozen ", frozen.Name, StringComparison.Ordinal);
        Assert.Equal(2, await Count(admin, frozen.Id));

        // Mina moves to Shiraz: the dynamic segment has her, the frozen list does not.
        await using (var db = await app.Db())
        {
            var mina = await db.Contacts.FindAsync(w.People["Mina"]);
            mina!.City = "شیراز";
            await db.SaveChangesAsync();
        }

        Assert.Equal(3, await Count(admin, dynamic.Id));
        Assert.Equal(["Reza", "Sara"], w.Names(await (await admin.GetAsync($"/api/segments/{frozen.Id}/members")).Read<PagedResult<ContactRow>>()));

        // A static list from a rule at once, named; the people a branch user sees only when one of theirs froze it.
        var northSales = await app.ClientFor(await app.CreateUser(Roles.Manager, w.North));
        var fromRule = await (await northSales.PostJson("/api/segments", w.Input("North now", w.Tagged(), SegmentKind.Static))).Read<SegmentDto>(HttpStatusCode.Created);
        Assert.Equal(["Mina", "Sara"], w.Names(await (await admin.GetAsync($"/api/segments/{fromRule.Id}/members")).Read<PagedResult<ContactRow>>()));
        var refrozen = await (await northSales.PostJson($"/api/segments/{fromRule.Id}/freeze", new FreezeInput("Copy " + w.Tag))).Read<SegmentDto>(HttpStatusCode.Created);
        Assert.Equal(2, await Count(admin, refrozen.Id));
    }

    [Fact]
    public async Task A_static_list_is_made_from_a_people_list_view()
    {
        var w = await Setup();
        var admin = await app.AdminClient();
        var list = await (await admin.PostJson("/api/segments/from-list", new ListFreezeInput("View " + w.Tag, $"tag={w.Tag}&city=تهران"))).Read<SegmentDto>(HttpStatusCode.Created);
        Assert.Equal(SegmentKind.Static, list.Kind);
        Assert.Equal(["Ali", "Mina"], w.Names(await (await admin.GetAsync($"/api/segments/{list.Id}/members")).Read<PagedResult<ContactRow>>()));

        var bad = await (await admin.PostJson("/api/segments/from-list", new ListFreezeInput("Bad " + w.Tag, "minSpent=lots"))).Problem(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("minSpent", out _));
    }

    [Fact]
    public async Task The_people_list_its_export_and_reach_counts_filter_by_a_segment()
    {
        var w = await Setup();
        var marketing = await app.ClientFor(await app.CreateUser(Roles.Marketing));
        var segment = await (await marketing.PostJson("/api/segments", w.Input("Shiraz", w.Tagged(City("شیراز")), shared: true))).Read<SegmentDto>(HttpStatusCode.Created);

        var listed = await (await marketing.GetAsync($"/api/contacts?segment={segment.Id}&pageSize=50")).Read<PagedResult<ContactRow>>();
        Assert.Equal(["Reza", "Sara"], w.Names(listed));
        var north = await app.ClientFor(await app.CreateUser(Roles.Sales, w.North));
        Assert.Equal(["Sara"], w.Names(await (await north.GetAsync($"/api/contacts?segment={segment.Id}")).Read<PagedResult<ContactRow>>()));

        var csv = await (await marketing.GetAsync($"/api/contacts/export?format=csv&segment={segment.Id}")).Content.ReadAsStringAsync();
        Assert.Contains("Sara", csv, StringComparison.Ordinal);
        Assert.Contains("Reza", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Mina", csv, StringComparison.Ordinal);

        // The list's other filters still apply, with the segment.
        var both = await (await marketing.GetAsync($"/api/contacts?segment={segment.Id}&branchId={w.South}")).Read<PagedResult<ContactRow>>();
        Assert.Equal(["Reza"], w.Names(both));

        // A static list filters the same way; someone else's private segment or none is a field error.
        var frozen = await (await marketing.PostAsync($"/api/segments/{segment.Id}/freeze", null)).Read<SegmentDto>(HttpStatusCode.Created);
        Assert.Equal(["Reza", "Sara"], w.Names(await (await marketing.GetAsync($"/api/contacts?segment={frozen.Id}")).Read<PagedResult<ContactRow>>()));
        var problem = await (await north.GetAsync($"/api/contacts?segment={frozen.Id}")).Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("segment", out _));
    }
}
