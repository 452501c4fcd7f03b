using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Tests.Infrastructure;
using Payvand.Tests.Modules.Contacts;
using static Payvand.Tests.Modules.Purchases.PurchaseTestData;

namespace Payvand.Tests.Modules.Purchases;

// A person's purchases are in the person's branch. A person moved to another branch once left them behind: the new
// branch saw the person's summary but not their purchases. They follow the person (and so does the timeline), in the
// transaction of the move: the person form or PUT, and a merge that takes the other person's branch.
[Trait("Category", "Integration")]
public sealed class PurchasesFollowPersonTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static readonly DateTime Day1 = new(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);

    private static async Task<long> Note(HttpClient client, int contactId) =>
        (await (await client.PostJson($"/api/contacts/{contactId}/timeline", new ActivityInput { Kind = ActivityKind.Note, Subject = "یادداشت", Body = "یادداشت" }))
            .Read<JsonElement>(HttpStatusCode.Created)).GetProperty("id").GetInt64();

    private async Task<(int Purchase, int Activity)> Branches(int purchaseId, long activityId)
    {
        await using var db = await app.Db();
        return (await db.Purchases.Where(p => p.Id == purchaseId).Select(p => p.BranchId).SingleAsync(),
            await db.Activities.Where(a => a.Id == activityId).Select(a => a.BranchId).SingleAsync());
    }

    [Fact]
    public async Task A_person_moved_to_another_branch_takes_their_purchases_and_timeline()
    {
        var admin = await app.AdminClient();
        var north = await app.CreateBranch("شمال " + Guid.NewGuid().ToString("N")[..6]);
        var northSales = await app.ClientAs("Sales", north);
        var personId = await Person(admin, app.MainBranchId);
        var purchase = await Record(admin, Order(personId, Day1));
        var note = await Note(admin, personId);
        Assert.Equal(HttpStatusCode.NotFound, (await northSales.GetAsync($"/api/purchases/{purchase.Id}")).StatusCode);

        var person = await (await admin.GetAsync($"/api/contacts/{personId}")).Read<ContactDetails>();
        var input = new ContactInput { FirstName = person.FirstName, LastName = person.LastName, BranchId = north, Version = person.Version };
        await (await admin.PutJson($"/api/contacts/{personId}", input)).Read<ContactDetails>();

        var seen = await (await northSales.GetAsync($"/api/purchases/{purchase.Id}")).Read<PurchaseDetails>();
        Assert.Equal((north, 750_000L), (seen.BranchId, seen.Total));
        Assert.Equal((north, north), await Branches(purchase.Id, note));
        var summary = (await (await northSales.GetAsync($"/api/contacts/{personId}")).Read<ContactDetails>()).Purchases;
        Assert.Equal(new PurchaseSummary(1, 750_000, Day1, Day1), summary);
    }

    [Fact]
    public async Task A_refused_move_leaves_the_purchases_where_they_were()
    {
        var admin = await app.AdminClient();
        var north = await app.CreateBranch("شمال " + Guid.NewGuid().ToString("N")[..6]);
        var personId = await Person(admin, app.MainBranchId);
        var purchase = await Record(admin, Order(personId, Day1));
        var person = await (await admin.GetAsync($"/api/contacts/{personId}")).Read<ContactDetails>();

        // A stale version: the whole change is refused, the purchases' move with it.
        var stale = new ContactInput { FirstName = person.FirstName, LastName = person.LastName, BranchId = north, Version = person.Version - 1 };
        await (await admin.PutJson($"/api/contacts/{personId}", stale)).Problem(HttpStatusCode.Conflict);

        await using var db = await app.Db();
        Assert.Equal(app.MainBranchId, await db.Purchases.Where(p => p.Id == purchase.Id).Select(p => p.BranchId).SingleAsync());
        Assert.Equal(app.MainBranchId, await db.Contacts.Where(c => c.Id == personId).Select(c => c.BranchId).SingleAsync());
    }

    [Fact]
    public async Task A_merge_that_takes_the_other_persons_branch_moves_every_purchase_there()
    {
        var admin = await app.AdminClient();
        var north = await app.CreateBranch("شمال " + Guid.NewGuid().ToString("N")[..6]);
        var northSales = await app.ClientAs("Sales", north);
        var survivorId = await Person(admin, app.MainBranchId);
        var otherId = await Person(admin, north);
        var kept = await Record(admin, Order(survivorId, Day1));
        var moved = await Record(admin, Order(otherId, Day1.AddDays(1)));
        var note = await Note(admin, survivorId);
        Assert.Equal((app.MainBranchId, north), (kept.BranchId, moved.BranchId));

        var survivor = await (await admin.GetAsync($"/api/contacts/{survivorId}")).Read<ContactDetails>();
        var other = await (await admin.GetAsync($"/api/contacts/{otherId}")).Read<ContactDetails>();
        var merge = new MergeContacts.Request(otherId, survivor.Version, other.Version, new() { ["branchId"] = MergeSide.Other });
        await (await admin.PostJson($"/api/contacts/{survivorId}/merge", merge)).Expect(HttpStatusCode.NoContent);

        foreach (var id in new[] { kept.Id, moved.Id })
        {
            var seen = await (await northSales.GetAsync($"/api/purchases/{id}")).Read<PurchaseDetails>();
            Assert.Equal((north, survivorId), (seen.BranchId, seen.ContactId));
        }

        Assert.Equal((north, north), await Branches(kept.Id, note));
        var merged = await (await northSales.GetAsync($"/api/contacts/{survivorId}")).Read<ContactDetails>();
        Assert.Equal((2, 1_500_000L), (merged.Purchases.PurchaseCount, merged.Purchases.NetSpent));
    }
}
