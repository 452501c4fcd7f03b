using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Modules.Dashboard;

// The dashboard's numbers are exact but not counted on every visit: over a million people each one reads every row
// the caller may see. They are counted once for everyone who sees the same records (all branches, or one set of
// branches: what RecordAccess.VisibleTo goes by) and shown, with the time they were counted, for MaxAge.
// Visitors who arrive while a count runs wait for that one count instead of starting their own.
public sealed class DashboardCounts(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    public sealed record Figures(int People, int Companies, int Customers, int ActivitiesLast7Days, int NewPeopleLast30Days, DateTime CountedAt);

    private readonly ConcurrentDictionary<string, Lazy<Task<Figures>>> counted = new(StringComparer.Ordinal);

    public async Task<Figures> Get(UserScope user, CancellationToken ct)
    {
        var key = user.SeesAllBranches ? "all" : string.Join(',', user.BranchIds.Order());
        while (true)
        {
            var entry = counted.GetOrAdd(key, _ => new Lazy<Task<Figures>>(() => Count(user)));
            var task = entry.Value;
            if (task.IsCompletedSuccessfully)
            {
                var figures = await task; // already there: no wait
                if (clock.GetUtcNow().UtcDateTime - figures.CountedAt < MaxAge) return figures;
            }

            if (task.IsCompleted)
            {
                // Too old, or the count failed: the next visitor counts again (this one too, when it was too old).
                counted.TryRemove(new KeyValuePair<string, Lazy<Task<Figures>>>(key, entry));
                if (task.IsCompletedSuccessfully) continue;
            }

            return await task.WaitAsync(ct); // a visitor who leaves stops waiting; the count goes on for the others
        }
    }

    // Not cancelled by the visitor who started it: others may be waiting for the same count.
    private async Task<Figures> Count(UserScope user)
    {
        var ct = CancellationToken.None;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var people = db.Contacts.VisibleTo(user);
        var peopleCount = await people.CountAsync(ct);
        var customers = await people.CountAsync(c => c.Lifecycle == LifecycleStage.Customer, ct);
        var newPeople = await people.CountAsync(c => c.CreatedAt >= now.AddDays(-30), ct);
        var companies = await db.Companies.VisibleTo(user).CountAsync(ct);
        var activities = await ListTimeline.Visible(db, user).CountAsync(a => a.OccurredAt >= now.AddDays(-7), ct);
        return new Figures(peopleCount, companies, customers, activities, newPeople, now);
    }
}
