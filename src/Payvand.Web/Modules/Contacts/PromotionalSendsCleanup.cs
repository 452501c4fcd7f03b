using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Jobs;

namespace Payvand.Modules.Contacts;

// Every night (the "promotional-sends-cleanup" schedule) the records of promotional sends older than the weekly cap's
// window (and a day of margin for a clock or zone change) are removed: they exist only for the cap, and every
// eligibility count reads the window's rows, so the table holds about a week, not the whole history.
public sealed class PromotionalSendsCleanup(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock) : IJobHandler
{
    public const string ScheduleName = "promotional-sends-cleanup";

    public static readonly TimeSpan Keep = Reachability.CapWindow + TimeSpan.FromDays(1);

    public string Kind => ScheduleName;

    public int MaxAttempts => 3;

    public async Task<int> RemoveOld(CancellationToken ct)
    {
        var before = clock.GetUtcNow().UtcDateTime - Keep;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PromotionalContacts.Where(s => s.SentAt < before).ExecuteDeleteAsync(ct);
    }

    public Task Run(BackgroundJob job, CancellationToken ct) => RemoveOld(ct);
}
