using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Activities;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Messaging;

// Cancels a message that has not gone to the gateway yet (queued or waiting); audited. A message being sent or
// already sent cannot be called back: 409.
public sealed class CancelMessage(IDbContextFactory<PayvandDb> dbFactory, ListMessages list, TimelineWriter timeline, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public async Task<MessageView?> Handle(long id, UserScope user, CancellationToken ct)
    {
        if (await list.One(id, user, ct) is null) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The claim is taken from any dispatcher holding it: its save then finds the message changed and leaves it.
        var cancelled = await db.Set<Message>().Where(m => m.Id == id && (m.Status == MessageStatus.Queued || m.Status == MessageStatus.Waiting))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Cancelled).SetProperty(m => m.UpdatedAt, now)
                .SetProperty(m => m.LockToken, (Guid?)null).SetProperty(m => m.LockedUntil, (DateTime?)null), ct);
        if (cancelled == 0) throw new DomainRuleException(text["Only a queued or waiting message can be cancelled."]);
        var message = await db.Set<Message>().AsNoTracking().SingleAsync(m => m.Id == id, ct);
        await timeline.Write(db, MessageStates.Entry(message), ct);
        db.Audit.Add(new AuditEntry
        {
            At = now,
            UserId = user.UserId > 0 ? user.UserId : null,
            UserName = user.UserName,
            Action = AuditAction.Update,
            EntityType = nameof(Message),
            EntityId = id.ToString(CultureInfo.InvariantCulture),
            Detail = "Message cancelled",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await list.One(id, user, ct);
    }
}
