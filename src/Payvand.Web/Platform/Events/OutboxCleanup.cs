using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Jobs;

namespace Payvand.Platform.Events;

// Every night (the "outbox-cleanup" schedule) delivered events older than Payvand:Events:KeepDeliveredDays (7) are
// removed; failed ones stay until an administrator retries them.
public sealed class OutboxCleanup(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IConfiguration configuration) : IJobHandler
{
    public const string ScheduleName = "outbox-cleanup";

    public string Kind => ScheduleName;

    public int MaxAttempts => 3;

    public async Task<int> RemoveDelivered(CancellationToken ct)
    {
        var days = Math.Clamp(configuration.GetValue("Payvand:Events:KeepDeliveredDays", 7), 0, 3650);
        var before = clock.GetUtcNow().UtcDateTime.AddDays(-days);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.OutboxMessages.Where(m => m.Status == DeliveryStatus.Delivered && m.DeliveredAt < before).ExecuteDeleteAsync(ct);
    }

    public Task Run(BackgroundJob job, CancellationToken ct) => RemoveDelivered(ct);
}
