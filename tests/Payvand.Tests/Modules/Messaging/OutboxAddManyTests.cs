using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Messaging;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Messaging;

// Many messages written at once (a campaign's recipients): in the caller's transaction, at most once per person and
// occasion, and sent like any other; a rolled-back transaction leaves none.
[Trait("Category", "Integration")]
public sealed class OutboxAddManyTests(MessagingApp app) : IClassFixture<MessagingApp>
{
    [Fact]
    public async Task Many_messages_are_written_once_per_occasion_in_the_callers_transaction_and_sent_once_each()
    {
        app.MoveTo(12);
        var people = new List<int>();
        for (var i = 0; i < 5; i++) people.Add((await app.Person()).Id);
        var outbox = app.Services.GetRequiredService<MessageOutbox>();
        var occasion = "bulk:" + Guid.NewGuid().ToString("N")[..8];
        OutgoingMessage To(int id) => new(id, "کد شما ۱۲۳۴", "bulk-test") { Occasion = occasion };

        // Rolled back: nothing stays.
        await using (var db = await app.Db())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            Assert.Equal(5, await outbox.AddMany(db, [.. people.Select(To)], CancellationToken.None));
            await tx.RollbackAsync();
        }

        await using (var db = await app.Db())
        {
            Assert.Equal(0, await db.Set<Message>().CountAsync(m => m.Occasion == occasion));
        }

        // The first three, then all five with one twice: only the two new people are added.
        await using (var db = await app.Db())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            Assert.Equal(3, await outbox.AddMany(db, [.. people.Take(3).Select(To)], CancellationToken.None));
            await tx.CommitAsync();
        }

        await using (var db = await app.Db())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            Assert.Equal(2, await outbox.AddMany(db, [.. people.Select(To), To(people[4])], CancellationToken.None));
            await tx.CommitAsync();
        }

        await app.Dispatch();
        await using var check = await app.Db();
        var messages = await check.Set<Message>().Where(m => m.Occasion == occasion).ToListAsync();
        Assert.Equal(people.Order(), messages.Select(m => m.ContactId!.Value).Order());
        Assert.All(messages, m => Assert.Equal(MessageStatus.Sent, m.Status));
        Assert.Equal(5, messages.Select(m => m.LocalId).Distinct().Count());
        var sent = (await app.Gateway.SentMessages()).Where(s => messages.Any(m => m.LocalId == s.LocalId)).ToList();
        Assert.Equal(5, sent.Count);
    }
}
