using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Extensions;

namespace Payvand.Modules.Dashboard;

// The dashboard's numbers (the figures modules register, IDashboardFigure) are exact but not counted on every visit:
// over a million people each one reads every row the caller may see. They are counted once for everyone who sees the
// same records (all branches, or one set of branches: what RecordAccess.VisibleTo goes by) and shown, with the time
// they were counted, for MaxAge. Visitors who arrive while a count runs wait for that one count instead of starting
// their own. Every figure is counted; which ones a visitor is shown depends on their permissions.
public sealed class DashboardCounts(IDbContextFactory<PayvandDb> dbFactory, IEnumerable<IDashboardFigure> figures, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    // Values by figure key.
    public sealed record Figures(IReadOnlyDictionary<string, long> Values, DateTime CountedAt)
    {
        public long this[string key] => Values[key];
    }

    private readonly List<IDashboardFigure> all = [.. figures.OrderBy(f => f.Order).ThenBy(f => f.Key, StringComparer.Ordinal)];
    private readonly ConcurrentDictionary<string, Lazy<Task<Figures>>> counted = new(StringComparer.Ordinal);

    public IReadOnlyList<IDashboardFigure> All => all;

    public async Task<Figures> Get(UserScope user, CancellationToken ct)
    {
        var key = user.SeesAllBranches ? "all" : string.Join(',', user.BranchIds.Order());
        while (true)
        {
            var entry = counted.GetOrAdd(key, _ => new Lazy<Task<Figures>>(() => Count(user)));
            var task = entry.Value;
            if (task.IsCompletedSuccessfully)
            {
                var result = await task; // already there: no wait
                if (clock.GetUtcNow().UtcDateTime - result.CountedAt < MaxAge) return result;
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
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var figure in all) values[figure.Key] = await figure.Count(db, user, now, ct);
        return new Figures(values, now);
    }
}
