using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Platform.Audit;

// Writes audit entries that are not record changes: sign-ins, failed sign-ins, refused authorizations, tokens.
public sealed class AuditLog(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, CurrentUserAccessor currentUser)
{
    public async Task Write(AuditAction action, string? entityType, string? entityId, string? detail, CancellationToken ct,
        int? userId = null, string? userName = null)
    {
        var user = currentUser.User;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Audit.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            UserId = userId ?? (user is { UserId: > 0 } ? user.UserId : null),
            UserName = userName ?? user?.UserName,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Detail = detail is { Length: > 1000 } ? detail[..1000] : detail,
            IpAddress = currentUser.IpAddress,
        });
        await db.SaveChangesAsync(ct);
    }
}
