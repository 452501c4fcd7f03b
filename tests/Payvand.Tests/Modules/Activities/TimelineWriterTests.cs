using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Platform.Api;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Activities;

// TimelineWriter, the way other modules put entries on timelines, and how those entries read: by their type's text
// from their data, in each reader's language and the business's money unit.
[Trait("Category", "Integration")]
public sealed class TimelineWriterTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private TimelineWriter Writer => app.Services.GetRequiredService<TimelineWriter>();

    private async Task<int> Person(int branchId)
    {
        await using var db = await app.Db();
        var person = new Contact { LastName = "Timeline " + Guid.NewGuid().ToString("N")[..6], SortName = "timeline", BranchId = branchId };
        db.Contacts.Add(person);
        await db.SaveChangesAsync();
        return person.Id;
    }

    private static TimelineEntry Entry(int contactId, string sourceId, string subject) => new()
    {
        ContactId = contactId,
        Type = "test.thing",
        OccurredAt = new DateTime(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc),
        Subject = subject,
        SourceType = "Tests.Thing",
        SourceId = sourceId,
        Data = new { count = 3 },
    };

    [Fact]
    public async Task Writing_the_same_entry_again_changes_the_one_entry_in_the_persons_branch()
    {
        var branch = await app.CreateBranch("Timeline " + Guid.NewGuid().ToString("N")[..6]);
        var person = await Person(branch);

        await Writer.Write(Entry(person, "1", "first"), CancellationToken.None);
        await Writer.Write(Entry(person, "1", "again"), CancellationToken.None);
        await Writer.Write(Entry(person, "2", "another"), CancellationToken.None);

        await using var db = await app.Db();
        var entries = await db.Activities.AsNoTracking().Where(a => a.ContactId == person).OrderBy(a => a.SourceId).ToListAsync();
        Assert.Equal(["again", "another"], entries.Select(a => a.Subject!));
        Assert.All(entries, a => Assert.Equal((ActivityKind.External, branch, """{"count":3}"""), (a.Kind, a.BranchId, a.Data)));
    }

    [Fact]
    public async Task Writers_of_one_entry_at_once_leave_one_entry()
    {
        var person = await Person(app.MainBranchId);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Writer.Write(Entry(person, "same", "writer " + i), CancellationToken.None)));

        await using var db = await app.Db();
        Assert.Single(await db.Activities.Where(a => a.ContactId == person).ToListAsync());
    }

    [Fact]
    public async Task An_entry_needs_a_record_and_short_keys_and_data()
    {
        var person = await Person(app.MainBranchId);
        await Assert.ThrowsAsync<ArgumentException>(() => Writer.Write(Entry(person, "1", "x") with { ContactId = null }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Writer.Write(Entry(int.MaxValue, "1", "x"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Writer.Write(Entry(person, new string('9', 51), "x"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Writer.Write(Entry(person, "1", "x") with { Data = new { text = new string('a', 5000) } }, CancellationToken.None));
        await using var db = await app.Db();
        Assert.Empty(await db.Activities.Where(a => a.ContactId == person).ToListAsync());
    }

    [Fact]
    public async Task A_purchase_and_its_refund_read_in_each_readers_language_and_can_be_filtered()
    {
        var admin = await app.AdminClient();
        var person = await Person(app.MainBranchId);
        var purchase = await (await admin.PostJson("/api/purchases", new RecordPurchase.Request
        {
            ContactId = person,
            Lines = [new(Description: "چای", Quantity: 2, UnitPrice: 375_000_000), new(Description: "قند", UnitPrice: 250_000)],
        })).Read<PurchaseDetails>(HttpStatusCode.Created);
        await (await admin.PostJson($"/api/purchases/{purchase.Id}/refunds", new RefundPurchase.Request { Amount = 250_000, Reason = "Broken box" }))
            .Read<PurchaseDetails>(HttpStatusCode.Created);

        await using (var db = await app.Db())
        {
            var stored = await db.Activities.AsNoTracking().SingleAsync(a => a.ContactId == person && a.Type == "purchase");
            Assert.Equal(new PurchaseEntryData(750_250_000, "IRR", 2), JsonSerializer.Deserialize<PurchaseEntryData>(stored.Data!, JsonSerializerOptions.Web));
            Assert.Null(stored.Subject); // no prose in the language of whoever recorded it
        }

        var english = await (await admin.GetAsync($"/api/contacts/{person}/timeline")).Read<PagedResult<TimelineItem>>();
        Assert.Equal([("Refund", "Refund of 25,000 toman"), ("Purchase", "Purchase of 75,025,000 toman · 2 items")],
            english.Items.Select(i => (i.TypeLabel!, i.Subject!)).ToArray());
        Assert.Equal("Broken box", english.Items[0].Body);

        var farsi = await app.ClientFor(await app.CreateUser("Admin"), "fa-IR");
        var persian = await (await farsi.GetAsync($"/api/contacts/{person}/timeline")).Read<PagedResult<TimelineItem>>();
        Assert.Equal([("مرجوعی", "مرجوعی به مبلغ ۲۵٬۰۰۰ تومان"), ("خرید", "خرید به مبلغ ۷۵٬۰۲۵٬۰۰۰ تومان، ۲ قلم")],
            persian.Items.Select(i => (i.TypeLabel!, i.Subject!)).ToArray());

        var purchasesOnly = await (await admin.GetAsync($"/api/contacts/{person}/timeline?types=purchase")).Read<PagedResult<TimelineItem>>();
        Assert.Equal(["purchase"], purchasesOnly.Items.Select(i => i.Type!));
    }
}
