using System.Net;
using System.Text.Json;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Modules.Segments;
using Payvand.Platform.Auth;
using Payvand.Platform.Segments;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform.Segments;

// Rules over the fields modules contribute, compiled to one SQL statement and counted through /api/segments/preview,
// on people of a branch of their own so the counts are exact.
[Trait("Category", "Integration")]
public sealed class SegmentCompilerTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static readonly DateTime Now = TimeProvider.System.GetUtcNow().UtcDateTime;

    private async Task<(HttpClient Client, Dictionary<string, int> People)> Setup()
    {
        var branch = await app.CreateBranch("Segment " + Guid.NewGuid().ToString("N")[..6]);
        var people = new Dictionary<string, int>();
        await using (var db = await app.Db())
        {
            Contact Person(string name, string? city, LifecycleStage stage, long spent, int count, DateTime? last, params string[] tags) => new()
            {
                FirstName = name,
                LastName = "Segment",
                SortName = name,
                City = city,
                Lifecycle = stage,
                BranchId = branch,
                NetSpent = spent,
                PurchaseCount = count,
                LastPurchaseAt = last,
                Tags = [.. tags.Select(t => new ContactTag { Name = t })],
            };
            var all = new[]
            {
                Person("Sara", "شیراز", LifecycleStage.Customer, 5_000_000, 3, Now.AddDays(-10), "vip"),
                Person("Reza", "شیراز", LifecycleStage.Customer, 500_000, 1, Now.AddDays(-200)),
                Person("Mina", "تهران", LifecycleStage.Lead, 0, 0, null, "vip", "newsletter"),
                Person("Ali", null, LifecycleStage.Customer, 20_000_000, 9, Now.AddDays(-1)),
            };
            // The summary columns read back as their stored defaults after the insert, so the figures are taken before it.
            var figures = all.Select(p => (p.PurchaseCount, p.NetSpent, p.LastPurchaseAt)).ToArray();
            db.Contacts.AddRange(all);
            await db.SaveChangesAsync();
            // The summary columns are written only through PurchaseFigures; set them as purchases would have.
            foreach (var (p, i) in all.Select((p, i) => (p, i)))
            {
                var (count, spent, last) = figures[i];
                if (count > 0) await PurchaseFigures.Add(db, [new PurchaseFiguresChange(p.Id, count, spent, last!.Value, last.Value)], default);
                people[p.FirstName!] = p.Id;
            }
        }

        await using (var check = await app.Db())
        {
            var sara = people["Sara"];
            Assert.Equal(5_000_000, check.Contacts.Where(c => c.Id == sara).Select(c => c.NetSpent).Single());
        }

        return (await app.ClientFor(await app.CreateUser(Roles.Sales, branch)), people);
    }

    private static async Task<string[]> Select(HttpClient client, Dictionary<string, int> people, SegmentRule rule)
    {
        var preview = await (await client.PostJson("/api/segments/preview", rule)).Read<SegmentPreview>();
        Assert.Equal(preview.Count, preview.Sample.Count);
        return [.. people.Where(p => preview.Sample.Any(s => s.Id == p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal)];
    }

    private static SegmentRule All(params SegmentCondition[] conditions) => new(SegmentMatch.All, conditions);

    [Fact]
    public async Task Each_kind_of_field_selects_by_its_operators()
    {
        var (client, people) = await Setup();
        Assert.Equal(["Ali", "Mina", "Reza", "Sara"], await Select(client, people, new SegmentRule()));
        Assert.Equal(["Reza", "Sara"], await Select(client, people, All(new SegmentCondition("contacts.city", SegmentOperator.Equals, ["شيراز"])))); // Arabic ي
        Assert.Equal(["Ali"], await Select(client, people, All(new SegmentCondition("contacts.city", SegmentOperator.IsNotSet))));
        Assert.Equal(["Ali", "Sara"], await Select(client, people, All(new SegmentCondition("purchases.netSpent", SegmentOperator.AtLeast, ["۱٬۰۰۰٬۰۰۰"]))));
        Assert.Equal(["Reza", "Sara"], await Select(client, people, All(new SegmentCondition("purchases.count", SegmentOperator.Between, ["1", "3"]))));
        Assert.Equal(["Ali", "Sara"], await Select(client, people, All(new SegmentCondition("purchases.last", SegmentOperator.InLastDays, ["30"]))));
        Assert.Equal(["Reza"], await Select(client, people, All(new SegmentCondition("purchases.last", SegmentOperator.MoreThanDaysAgo, ["90"]))));
        Assert.Equal(["Mina"], await Select(client, people, All(new SegmentCondition("purchases.last", SegmentOperator.IsNotSet))));
        Assert.Equal(["Mina"], await Select(client, people, All(new SegmentCondition("contacts.lifecycle", SegmentOperator.NotIn, ["Customer"]))));
        Assert.Equal(["Mina", "Sara"], await Select(client, people, All(new SegmentCondition("contacts.tag", SegmentOperator.HasAny, ["vip"]))));
        Assert.Equal(["Ali", "Reza"], await Select(client, people, All(new SegmentCondition("contacts.tag", SegmentOperator.HasNone, ["vip"]))));
    }

    [Fact]
    public async Task All_any_and_nested_groups_combine()
    {
        var (client, people) = await Setup();
        // Customers in Shiraz who spent at least 1,000,000 rials, or anyone tagged newsletter.
        var rule = new SegmentRule(SegmentMatch.Any, Groups:
        [
            All(new SegmentCondition("contacts.lifecycle", SegmentOperator.In, ["Customer"]), new SegmentCondition("contacts.city", SegmentOperator.Equals, ["شیراز"]), new SegmentCondition("purchases.netSpent", SegmentOperator.AtLeast, ["1000000"])),
            All(new SegmentCondition("contacts.tag", SegmentOperator.HasAny, ["newsletter"])),
        ]);
        Assert.Equal(["Mina", "Sara"], await Select(client, people, rule));
    }

    [Fact]
    public async Task A_bad_rule_gets_field_errors_where_it_is_wrong()
    {
        var (client, _) = await Setup();
        var rule = new SegmentRule(Conditions:
        [
            new SegmentCondition("contacts.nope", SegmentOperator.Equals, ["x"]),
            new SegmentCondition("purchases.netSpent", SegmentOperator.StartsWith, ["1"]),
            new SegmentCondition("purchases.netSpent", SegmentOperator.Between, ["1"]),
            new SegmentCondition("purchases.last", SegmentOperator.Before, ["yesterday"]),
            new SegmentCondition("contacts.lifecycle", SegmentOperator.In, ["Royalty"]),
        ]);
        var problem = await (await client.PostJson("/api/segments/preview", rule)).Problem(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["conditions[0].field", "conditions[1].operator", "conditions[2].values", "conditions[3].values", "conditions[4].values"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task The_fields_come_from_the_modules_with_their_names_in_the_callers_language()
    {
        var farsi = await app.ClientFor(await app.CreateUser(Roles.Sales, app.MainBranchId), "fa-IR");
        var fields = await (await farsi.GetAsync("/api/segments/fields")).Read<List<JsonElement>>();
        var keys = fields.Select(f => f.GetProperty("key").GetString()).ToList();
        Assert.Contains("contacts.city", keys);
        Assert.Contains("purchases.netSpent", keys);
        var spent = fields.Single(f => f.GetProperty("key").GetString() == "purchases.netSpent");
        Assert.Equal(("خالص خرید", "Money"), (spent.GetProperty("label").GetString(), spent.GetProperty("type").GetString()));
    }
}
