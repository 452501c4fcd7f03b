using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Modules.Activities;

// Marks an entry's follow-up done (the dashboard's "my follow-ups", POST /api/activities/{id}/follow-up/done): it leaves
// the list, and the audit trail says who did it and when. Marking it again changes nothing.
public sealed class CompleteFollowUp(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock)
{
    public const string AuditEntity = "Activity";

    // False when the entry does not exist, the caller does not see it, or it has no follow-up.
    public async Task<bool> Handle(long activityId, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entry = await ListTimeline.Visible(db, user).Where(a => a.Id == activityId && a.FollowUpAt != null)
            .Select(a => new { a.Id, a.FollowUpDoneAt }).SingleOrDefaultAsync(ct);
        if (entry is null) return false;
        if (entry.FollowUpDoneAt is not null) return true;

        var now = clock.GetUtcNow().UtcDateTime;
        int? by = user.UserId > 0 ? user.UserId : null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Activities.Where(a => a.Id == activityId && a.FollowUpDoneAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.FollowUpDoneAt, now).SetProperty(a => a.FollowUpDoneById, by), ct);
        db.Audit.Add(new AuditEntry
        {
            At = now,
            UserId = by,
            UserName = user.UserName,
            Action = AuditAction.Update,
            EntityType = AuditEntity,
            EntityId = activityId.ToString(CultureInfo.InvariantCulture),
            Changes = JsonSerializer.Serialize(new[] { new FieldChange(nameof(Activity.FollowUpDoneAt), null, now.ToString("O", CultureInfo.InvariantCulture)) }, AuditJson.Options),
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    internal static void Map(RouteGroupBuilder activities) =>
        activities.MapPost("/{id:long}/follow-up/done", async Task<Results<NoContent, NotFound>> (long id, ClaimsPrincipal me, CompleteFollowUp complete, CancellationToken ct) =>
                await complete.Handle(id, me.Scope(), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Mark an entry's follow-up done: it leaves the follow-ups list (audited)")
            .RequireAuthorization(ActivitiesPermissions.Write);
}
