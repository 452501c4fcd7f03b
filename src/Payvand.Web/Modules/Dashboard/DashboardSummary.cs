using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Activities;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Modules.Dashboard;

public sealed record DashboardFollowUp(long ActivityId, int? ContactId, string? ContactName, DateTime FollowUpAt, string? Subject);

public sealed record DashboardPerson(int Id, string Name, DateTime CreatedAt);

// CountedAt: when the five counts were taken (they are kept for DashboardCounts.MaxAge); the two lists are read now.
public sealed record DashboardData(
    int People, int Companies, int Customers, int ActivitiesLast7Days, int NewPeopleLast30Days, DateTime CountedAt,
    IReadOnlyList<DashboardFollowUp> MyFollowUps, IReadOnlyList<DashboardPerson> RecentPeople);

// The first screen: how big the book is, what happened this week, and the caller's follow-ups due.
// Everything is limited to what the caller may see.
public sealed class DashboardSummary(IDbContextFactory<PayvandDb> dbFactory, DashboardCounts counts, TimeProvider clock)
{
    public async Task<DashboardData> Handle(UserScope user, CancellationToken ct)
    {
        var counted = await counts.Get(user, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var people = db.Contacts.VisibleTo(user);
        var followUps = await ListTimeline.Visible(db, user)
            .Where(a => a.CreatedById == user.UserId && a.FollowUpAt != null && a.FollowUpAt <= now.AddDays(7))
            .OrderBy(a => a.FollowUpAt).Take(10)
            .Select(a => new DashboardFollowUp(a.Id, a.ContactId,
                db.Contacts.Where(c => c.Id == a.ContactId).Select(c => c.FirstName + " " + c.LastName).FirstOrDefault(),
                a.FollowUpAt!.Value, a.Subject ?? a.Body))
            .ToListAsync(ct);
        var recent = await people.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(8)
            .Select(c => new DashboardPerson(c.Id, (c.FirstName ?? "") + " " + c.LastName, c.CreatedAt)).ToListAsync(ct);
        return new DashboardData(counted.People, counted.Companies, counted.Customers, counted.ActivitiesLast7Days,
            counted.NewPeopleLast30Days, counted.CountedAt, followUps, recent);
    }
}
