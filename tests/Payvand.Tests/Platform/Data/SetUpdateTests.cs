using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Messaging;
using Payvand.Platform.Data;
using Payvand.Tests.Infrastructure;
using Payvand.Tests.Modules.Messaging;

namespace Payvand.Tests.Platform.Data;

// SetUpdate writes what SaveChanges would, with one statement for many rows: each row's own changed columns and no
// other, its concurrency token checked (a row claimed by another meanwhile fails the whole write), and the entries
// unchanged afterwards so a later SaveChanges writes only what changes after.
[Trait("Category", "Integration")]
public sealed class SetUpdateTests(MessagingApp app) : IClassFixture<MessagingApp>
{
    private async Task<List<long>> Messages(int count, string source)
    {
        var outbox = app.Services.GetRequiredService<MessageOutbox>();
        var people = new List<int>();
        for (var i = 0; i < count; i++) people.Add((await app.Person()).Id);
        await using var db = await app.Db();
        await using var tx = await db.Database.BeginTransactionAsync();
        await outbox.AddMany(db, [.. people.Select(id => new OutgoingMessage(id, "سلام " + id, source) { NotBefore = app.Clock.GetUtcNow().UtcDateTime.AddDays(30) })], CancellationToken.None);
        await tx.CommitAsync();
        return await db.Set<Message>().Where(m => m.Source == source).OrderBy(m => m.Id).Select(m => m.Id).ToListAsync();
    }

    [Fact]
    public async Task Each_row_gets_its_own_changed_columns_and_nothing_else()
    {
        var source = "set-" + Guid.NewGuid().ToString("N")[..8];
        var ids = await Messages(5, source);
        await using (var db = await app.Db())
        {
            var rows = await db.Set<Message>().Where(m => ids.Contains(m.Id)).OrderBy(m => m.Id).ToListAsync();
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i].Status = MessageStatus.Sent;
                rows[i].ProviderMessageId = 1000 + i;
                if (i % 2 == 0) rows[i].LastError = "خطای " + i; // a second group of rows with another set of columns
            }

            // Changed under it by another writer, in a column this save does not change: kept.
            await using (var other = await app.Db())
            {
                await other.Set<Message>().Where(m => m.Id == ids[1]).ExecuteUpdateAsync(s => s.SetProperty(m => m.Clicks, 7));
            }

            await using var tx = await db.Database.BeginTransactionAsync();
            Assert.Equal(5, await SetUpdate.Modified<Message>(db, CancellationToken.None));
            Assert.All(db.ChangeTracker.Entries<Message>(), e => Assert.Equal(EntityState.Unchanged, e.State));

            // Later changes are saved as usual, from the written values.
            rows[0].Attempts = 3;
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        await using var check = await app.Db();
        var stored = await check.Set<Message>().Where(m => ids.Contains(m.Id)).OrderBy(m => m.Id).ToListAsync();
        Assert.All(stored, m => Assert.Equal(MessageStatus.Sent, m.Status));
        Assert.Equal([1000L, 1001, 1002, 1003, 1004], stored.Select(m => m.ProviderMessageId!.Value));
        Assert.Equal(["خطای 0", null, "خطای 2", null, "خطای 4"], stored.Select(m => m.LastError));
        Assert.Equal([0, 7, 0, 0, 0], stored.Select(m => m.Clicks));
        Assert.Equal([3, 0, 0, 0, 0], stored.Select(m => m.Attempts));
        Assert.All(stored, m => Assert.StartsWith("سلام ", m.Body));
    }

    [Fact]
    public async Task A_row_whose_token_changed_meanwhile_fails_the_write_and_nothing_is_kept()
    {
        var source = "set-" + Guid.NewGuid().ToString("N")[..8];
        var ids = await Messages(3, source);
        await using (var db = await app.Db())
        {
            var rows = await db.Set<Message>().Where(m => ids.Contains(m.Id)).ToListAsync();
            foreach (var m in rows) m.Status = MessageStatus.Failed;

            // Another dispatcher claims one of them (LockToken is the concurrency token).
            await using (var other = await app.Db())
            {
                await other.Set<Message>().Where(m => m.Id == ids[2]).ExecuteUpdateAsync(s => s.SetProperty(m => m.LockToken, Guid.NewGuid()));
            }

            await using var tx = await db.Database.BeginTransactionAsync();
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => SetUpdate.Modified<Message>(db, CancellationToken.None));
            await tx.RollbackAsync();
        }

        await using var check = await app.Db();
        Assert.Equal(0, await check.Set<Message>().CountAsync(m => ids.Contains(m.Id) && m.Status == MessageStatus.Failed));
    }

    [Fact]
    public async Task Outside_a_transaction_or_for_an_audited_record_it_refuses()
    {
        var ids = await Messages(1, "set-" + Guid.NewGuid().ToString("N")[..8]);
        await using var db = await app.Db();
        var row = await db.Set<Message>().SingleAsync(m => m.Id == ids[0]);
        row.Status = MessageStatus.Cancelled;
        await Assert.ThrowsAsync<InvalidOperationException>(() => SetUpdate.Modified<Message>(db, CancellationToken.None));

        var person = await db.Contacts.FirstAsync();
        person.City = "یزد";
        await using var tx = await db.Database.BeginTransactionAsync();
        await Assert.ThrowsAsync<NotSupportedException>(() => SetUpdate.Modified<Payvand.Modules.Contacts.Contact>(db, CancellationToken.None));
    }
}
