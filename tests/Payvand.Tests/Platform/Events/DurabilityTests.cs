using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Platform.Api;
using Payvand.Platform.Data;
using Payvand.Platform.Events;
using Payvand.Platform.Jobs;
using Payvand.Tests.Infrastructure;
using Payvand.Tests.Modules.Purchases;

namespace Payvand.Tests.Platform.Events;

// Nothing is lost and nothing happens twice, shown with real processes: Payvand killed with SIGKILL between writing
// events and delivering them, and in the middle of delivering them; two instances over one PostgreSQL delivering
// the same events and starting the same scheduled occurrences. The reaction watched is a real one: a recorded
// purchase makes its buyer a customer (Purchases.BuyersBecomeCustomers), audited once per person.
[Trait("Category", "Integration")]
public sealed class DurabilityTests
{
    private static readonly Dictionary<string, string> NoDispatch = new() { ["Payvand__Events__Dispatch"] = "false" };

    // Short leases and polls, so a killed process's claims expire within the test.
    private static Dictionary<string, string> Fast(Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Payvand__Events__Lease"] = "00:00:03",
            ["Payvand__Events__PollInterval"] = "00:00:00.200",
            ["Payvand__Jobs__Lease"] = "00:00:03",
            ["Payvand__Jobs__PollInterval"] = "00:00:00.200",
        };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return settings;
    }

    private static PayvandDb Db(TestDatabase database)
    {
        var options = new DbContextOptionsBuilder<PayvandDb>();
        DataSetup.Configure(options, Enum.Parse<DatabaseProvider>(database.Provider), AppProcess.ConnectionFor(database));
        return new PayvandDb(options.Options);
    }

    // Creates `count` people (leads, eight requests at a time), then records a purchase of each through the batch API.
    private static async Task Purchases(HttpClient client, int count)
    {
        var branch = (await client.GetFromJsonAsync<List<JsonElement>>("/api/branches"))![0].GetProperty("id").GetInt32();
        var people = new List<int>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(8))
        {
            people.AddRange(await Task.WhenAll(chunk.Select(_ => PurchaseTestData.Person(client, branch))));
        }

        foreach (var chunk in people.Chunk(RecordPurchaseBatch.MaxPurchases))
        {
            var request = new RecordPurchaseBatch.Request
            {
                Purchases = chunk.Select(id => new RecordPurchase.Request
                {
                    ContactId = id,
                    BranchId = branch,
                    Channel = PurchaseChannel.InStore,
                    Lines = [new RecordPurchase.LineInput(Description: "چای", Quantity: 1, UnitPrice: 10_000)],
                }).ToList(),
            };
            var answer = await (await client.PostJson("/api/purchases/batch", request)).Read<JsonElement>(HttpStatusCode.OK);
            Assert.Equal(chunk.Length, answer.GetProperty("created").GetInt32());
        }
    }

    // The deliveries counted are the lifecycle reaction's (other modules react to the same events with their own rows).
    private static async Task<(int Pending, int Delivered, int Customers, int LifecycleAudits)> State(TestDatabase database)
    {
        await using var db = Db(database);
        var lifecycle = db.OutboxMessages.Where(m => m.Handler == "Purchases." + nameof(BuyersBecomeCustomers));
        var pending = await lifecycle.CountAsync(m => m.Status == DeliveryStatus.Pending);
        var delivered = await lifecycle.CountAsync(m => m.Status == DeliveryStatus.Delivered);
        var customers = await db.Contacts.CountAsync(c => c.Lifecycle == LifecycleStage.Customer);
        var audits = await db.Audit.CountAsync(a => a.EntityType == nameof(Contact) && a.UserId == null && a.Changes!.Contains("\"Lifecycle\""));
        return (pending, delivered, customers, audits);
    }

    // Each person's lifecycle move is audited exactly once: the reaction ran once per event, never twice.
    private static async Task AssertEachPersonMovedOnce(TestDatabase database, int people)
    {
        await using var db = Db(database);
        var perPerson = await db.Audit.Where(a => a.EntityType == nameof(Contact) && a.UserId == null && a.Changes!.Contains("\"Lifecycle\""))
            .GroupBy(a => a.EntityId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(people, perPerson.Count);
        Assert.All(perPerson, n => Assert.Equal(1, n));
        Assert.Equal(people, await db.Contacts.CountAsync(c => c.Lifecycle == LifecycleStage.Customer));
        Assert.Equal(0, await db.OutboxMessages.CountAsync(m => m.Status != DeliveryStatus.Delivered));
    }

    [Fact]
    public async Task Events_committed_before_a_kill_are_delivered_after_the_restart_once_each()
    {
        await using var database = await TestDatabase.Create();
        await using (var writer = await AppProcess.Start(database, NoDispatch))
        {
            await Purchases(await writer.AdminClient(), 120);
            await writer.Kill();
        }

        Assert.Equal((120, 0, 0, 0), await State(database)); // committed, not delivered: the writer dispatched nothing

        await using var restarted = await AppProcess.Start(database, Fast());
        await Waiting.Until(() => State(database), s => s.Pending == 0, "Delivery after the restart");
        await AssertEachPersonMovedOnce(database, 120);
    }

    [Fact]
    public async Task A_kill_in_the_middle_of_delivering_loses_nothing_and_repeats_nothing()
    {
        await using var database = await TestDatabase.Create();
        await using (var writer = await AppProcess.Start(database, NoDispatch))
        {
            await Purchases(await writer.AdminClient(), 600);
            await writer.Kill();
        }

        // Small claims, one at a time: the kill lands while claims are out and deliveries half done.
        var slow = Fast(new() { ["Payvand__Events__BatchSize"] = "5", ["Payvand__Events__Concurrency"] = "1" });
        await using (var first = await AppProcess.Start(database, slow))
        {
            await Waiting.Until(() => State(database), s => s.Delivered >= 100, "The first deliveries");
            await first.Kill();
        }

        var killedAt = await State(database);
        Assert.True(killedAt.Pending > 0, $"Everything was delivered before the kill: {killedAt}");
        await using (var second = await AppProcess.Start(database, Fast()))
        {
            await Waiting.Until(() => State(database), s => s.Pending == 0, "Delivery after the kill");
        }

        await AssertEachPersonMovedOnce(database, 600);
    }

    [PostgresFact]
    public async Task Two_instances_on_one_database_deliver_each_event_once()
    {
        await using var database = await TestDatabase.Create();
        await using var a = await AppProcess.Start(database, Fast());
        await using var b = await AppProcess.Start(database, Fast());
        // Both write and both deliver, at the same time.
        var clientA = await a.AdminClient();
        var clientB = await b.AdminClient();
        await Task.WhenAll(Purchases(clientA, 400), Purchases(clientB, 400));
        await Waiting.Until(() => State(database), s => s.Pending == 0, "Delivery by two instances");
        await AssertEachPersonMovedOnce(database, 800);
    }

    [PostgresFact]
    public async Task Two_instances_start_each_scheduled_occurrence_once()
    {
        await using var database = await TestDatabase.Create();
        var everySecond = Fast(new()
        {
            ["Payvand__Schedules__idempotency-cleanup"] = "* * * * * *",
            ["Payvand__Jobs__ScheduleInterval"] = "00:00:00.250",
        });
        await using var a = await AppProcess.Start(database, everySecond);
        await using var b = await AppProcess.Start(database, everySecond);
        await Waiting.Until(async () =>
        {
            await using var db = Db(database);
            return await db.ScheduledOccurrences.CountAsync(o => o.Schedule == IdempotencyCleanup.ScheduleName);
        }, n => n >= 8, "Eight occurrences of a schedule of every second");
        await a.Kill();
        await b.Kill();

        await using var after = Db(database);
        var occurrences = await after.ScheduledOccurrences.Where(o => o.Schedule == IdempotencyCleanup.ScheduleName).ToListAsync();
        var jobs = await after.Jobs.Where(j => j.Kind == IdempotencyCleanup.ScheduleName).ToListAsync();
        Assert.Equal(occurrences.Count, occurrences.Select(o => o.DueAt).Distinct().Count());
        Assert.All(occurrences, o => Assert.Equal(0, o.DueAt.Millisecond)); // whole seconds, as the cron says
        // One job per occurrence, none started twice.
        Assert.Equal(occurrences.Select(o => o.JobId!.Value).Order(), jobs.Select(j => j.Id).Order());
        Assert.All(jobs.Where(j => j.Status == JobStatus.Succeeded), j => Assert.Equal(1, j.Attempts));
    }
}
