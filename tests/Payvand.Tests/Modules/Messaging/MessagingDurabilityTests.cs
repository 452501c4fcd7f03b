using System.Net;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging;
using Payvand.Platform.Data;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Messaging;

// Never a message twice, never one lost, shown with real processes and the fake Kavenegar process's log of what it
// was asked to send: Payvand killed with SIGKILL in the middle of sending 2,000 messages and started again, and two
// instances sending the same outbox over one PostgreSQL. Each recipient gets exactly one message, and the gateway is
// never asked to send a local id it already has (the restarted dispatcher looks unsure messages up first).
[Trait("Category", "Integration")]
public sealed class MessagingDurabilityTests(FakeKavenegarProcess fake) : IClassFixture<FakeKavenegarProcess>
{
    private const int Count = 2000;
    private static readonly string[] Lines = ["10004346"];
    private static readonly MessageStatus[] SentOrDelivered = [MessageStatus.Sent, MessageStatus.Delivered];

    // One key folder for every process of a test: the channel's API key is protected with these keys.
    private readonly string keys = Directory.CreateTempSubdirectory("payvand-sms-keys-").FullName;

    private Dictionary<string, string> Settings(bool dispatch = true) => new()
    {
        ["Payvand__DataProtectionPath"] = keys,
        ["Payvand__Messaging__Dispatch"] = dispatch ? "true" : "false",
        ["Payvand__Messaging__Lease"] = "00:00:03",
        ["Payvand__Messaging__PollInterval"] = "00:00:00.200",
        ["Payvand__Messaging__BatchSize"] = "200",
        ["Payvand__Messaging__RetryFirst"] = "00:00:01",
        ["Payvand__Schedules__sms-status"] = "off",
        ["Payvand__Schedules__sms-inbound"] = "off",
    };

    private static PayvandDb Db(TestDatabase database)
    {
        var options = new DbContextOptionsBuilder<PayvandDb>();
        DataSetup.Configure(options, Enum.Parse<DatabaseProvider>(database.Provider), AppProcess.ConnectionFor(database));
        return new PayvandDb(options.Options);
    }

    private async Task AddChannel(AppProcess app)
    {
        var client = await app.AdminClient();
        var response = await client.PostJson("/api/channels", new
        {
            key = "main",
            name = "Kavenegar",
            provider = "kavenegar",
            baseUrl = fake.Address.ToString(),
            apiKey = FakeKavenegarProcess.ApiKey,
            lines = Lines,
            ratePerSecond = 1000,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    // Count people with new mobiles and a transactional message to each, written straight to the outbox.
    private static async Task<HashSet<string>> Messages(TestDatabase database)
    {
        var prefix = Random.Shared.Next(100, 999);
        var numbers = Enumerable.Range(0, Count).Select(i => $"+98935{prefix}{i:D4}").ToList();
        await using var db = Db(database);
        var branch = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(-1);
        foreach (var chunk in numbers.Chunk(500))
        {
            var people = chunk.Select(n => new Contact
            {
                LastName = "گیرنده " + n[^4..],
                BranchId = branch,
                Points = [new ContactPoint { Kind = ContactPointKind.Mobile, Value = n, NormalizedValue = n, IsPrimary = true }],
            }).ToList();
            db.Contacts.AddRange(people);
            await db.SaveChangesAsync();
            db.Messages.AddRange(people.Select(p => MessageOutbox.Create(new OutgoingMessage(p.Id, "کد شما ۱۲۳۴", "test"), now)));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }

        return numbers.Select(FakeKavenegarProcess.Number).ToHashSet();
    }

    private async Task<int> SentTo(HashSet<string> numbers) =>
        (await fake.SentMessages()).Count(s => numbers.Contains(FakeKavenegarProcess.Number(s.Receptor)));

    private static async Task<int> Unsent(TestDatabase database)
    {
        await using var db = Db(database);
        return await db.Messages.CountAsync(m => m.Status != MessageStatus.Sent && m.Status != MessageStatus.Delivered);
    }

    private async Task AssertEachRecipientGotOne(TestDatabase database, HashSet<string> numbers, int duplicatesBefore)
    {
        var sent = (await fake.SentMessages()).Where(s => numbers.Contains(FakeKavenegarProcess.Number(s.Receptor))).ToList();
        var perNumber = sent.GroupBy(s => FakeKavenegarProcess.Number(s.Receptor)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Count, perNumber.Count);
        Assert.All(perNumber, p => Assert.Equal(1, p.Value));
        // No local id was sent a second time: unsure messages were looked up, not sent blind.
        Assert.Equal(duplicatesBefore, (await fake.Statistics()).DuplicateSends);
        await using var db = Db(database);
        var messages = await db.Messages.AsNoTracking().Select(m => new { m.LocalId, m.ProviderMessageId, m.Status }).ToListAsync();
        Assert.All(messages, m => Assert.Contains(m.Status, SentOrDelivered)); // looked up after the kill: already delivered
        var byLocal = sent.ToDictionary(s => s.LocalId!.Value, s => s.MessageId);
        Assert.All(messages, m => Assert.Equal(byLocal[m.LocalId], m.ProviderMessageId));
    }

    [Fact]
    public async Task A_kill_in_the_middle_of_sending_and_a_restart_give_every_recipient_exactly_one_message()
    {
        await using var database = await TestDatabase.Create();
        await using (var writer = await AppProcess.Start(database, Settings(dispatch: false)))
        {
            await AddChannel(writer);
            await writer.Kill();
        }

        var numbers = await Messages(database);
        var duplicatesBefore = (await fake.Statistics()).DuplicateSends;
        // Each call of 200 takes a while after the gateway took it, so the kill lands between "taken" and "marked".
        await fake.Delay(400);
        await using (var first = await AppProcess.Start(database, Settings()))
        {
            await Waiting.Until(() => SentTo(numbers), n => n >= 600, "The first sends");
            await first.Kill();
        }

        Assert.True(await Unsent(database) > 0, "Everything was sent before the kill");
        await fake.Delay(0);
        await using (var second = await AppProcess.Start(database, Settings()))
        {
            await Waiting.Until(() => Unsent(database), n => n == 0, "Sending after the restart");
        }

        await AssertEachRecipientGotOne(database, numbers, duplicatesBefore);
    }

    [PostgresFact]
    public async Task Two_instances_on_one_database_send_nothing_twice()
    {
        await using var database = await TestDatabase.Create();
        await using var a = await AppProcess.Start(database, Settings());
        await AddChannel(a);
        await using var b = await AppProcess.Start(database, Settings());
        var duplicatesBefore = (await fake.Statistics()).DuplicateSends;
        await fake.Delay(50);
        var numbers = await Messages(database);
        await Waiting.Until(() => Unsent(database), n => n == 0, "Sending by two instances");
        await fake.Delay(0);
        await AssertEachRecipientGotOne(database, numbers, duplicatesBefore);
    }
}
