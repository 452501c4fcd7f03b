using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Modules.Activities;

// Overdue: the follow-up time has passed.
public sealed record FollowUp(long ActivityId, int? ContactId, string? ContactName, DateTime FollowUpAt, string? Subject, bool Overdue);

// The caller's open follow-ups (not marked done: CompleteFollowUp) due within the next 7 days, the overdue ones of the last 30 days first (older ones are taken
// as dropped), on records the caller still sees. The dashboard shows them; GET /api/activities/follow-ups lists them.
public sealed class MyFollowUps(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock)
{
    public const int Limit = 10;

    public async Task<List<FollowUp>> Handle(UserScope user, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ListTimeline.Visible(db, user)
            .Where(a => a.CreatedById == user.UserId && a.FollowUpAt != null && a.FollowUpDoneAt == null && a.FollowUpAt >= now.AddDays(-30) && a.FollowUpAt <= now.AddDays(7))
            .OrderBy(a => a.FollowUpAt).Take(Limit)
            .Select(a => new FollowUp(a.Id, a.ContactId,
                db.Contacts.Where(c => c.Id == a.ContactId).Select(c => c.FirstName + " " + c.LastName).FirstOrDefault(),
                a.FollowUpAt!.Value, a.Subject ?? a.Body, a.FollowUpAt < now))
            .ToListAsync(ct);
    }
}
