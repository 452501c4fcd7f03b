using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Messaging;

// Sends a failed, suppressed or cancelled message again as a new message (its own local id, ResendOf pointing back),
// under the consent rules of now; audited. A message that went out (sent, delivered) or is still on its way is 409.
public sealed class ResendMessage(IDbContextFactory<PayvandDb> dbFactory, ListMessages list, MessageOutbox outbox, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public async Task<MessageView?> Handle(long id, UserScope user, CancellationToken ct)
    {
        if (await list.One(id, user, ct) is null) return null; // a person's message (the log has no other)
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var original = await db.Set<Message>().AsNoTracking().SingleAsync(m => m.Id == id, ct);
        if (original.Status is not (MessageStatus.Failed or MessageStatus.Suppressed or MessageStatus.Cancelled))
        {
            throw new DomainRuleException(text["Only a failed, suppressed or cancelled message can be sent again."]);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var copy = MessageOutbox.Create(new OutgoingMessage(original.ContactId!.Value, original.Body, original.Source)
        {
            Channel = original.Channel,
            Purpose = original.Purpose,
            SenderLine = original.SenderLine,
            Subject = original.Subject,
            HtmlBody = original.HtmlBody,
            TrackClicks = original.TrackClicks,
            TrackOpens = original.TrackOpens,
            CreatedById = user.UserId > 0 ? user.UserId : null,
        }, now);
        copy.ResendOf = original.Id;
        db.Add(copy);
        db.Audit.Add(new AuditEntry
        {
            At = now,
            UserId = user.UserId > 0 ? user.UserId : null,
            UserName = user.UserName,
            Action = AuditAction.Create,
            EntityType = nameof(Message),
            EntityId = id.ToString(CultureInfo.InvariantCulture),
            Detail = "Message sent again",
        });
        await db.SaveChangesAsync(ct);
        outbox.Wake();
        return await list.One(copy.Id, user, ct);
    }
}
