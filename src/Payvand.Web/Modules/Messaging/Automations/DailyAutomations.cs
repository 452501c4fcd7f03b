using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Jobs;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Messaging.Automations;

// The daily run of the scheduled triggers (birthday, we miss you, and those other modules add): schedule "automations"
// at 09:00 in the business time zone (Payvand:Schedules:automations changes it). Each enabled automation runs in its
// own transaction: its messages and its run entry commit together; a run repeated the same day queues nothing twice
// (same occasions). One automation that fails is recorded on its run log and does not stop the others.
public sealed class DailyAutomations(
    IDbContextFactory<PayvandDb> dbFactory, IEnumerable<IAutomationTrigger> triggers, AutomationRunner runner, PayvandSettings settings,
    TimeProvider clock, ILogger<DailyAutomations> log)
{
    public const string ScheduleName = "automations";
    public const string JobKind = "automations-daily";
    public const string Cause = "schedule";

    // Returns how many messages were queued.
    public async Task<int> Run(CancellationToken ct)
    {
        var scheduled = triggers.OfType<IScheduledAutomationTrigger>().ToDictionary(t => t.Key, StringComparer.Ordinal);
        var keys = scheduled.Keys.ToList();
        List<Automation> automations;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            automations = await db.Automations.AsNoTracking().Where(a => a.Enabled && keys.Contains(a.Trigger)).OrderBy(a => a.Id).ToListAsync(ct);
        }

        var zone = await settings.TimeZone(ct);
        var now = clock.GetUtcNow();
        var day = new AutomationDay(now.UtcDateTime, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime), zone);
        var queued = 0;
        foreach (var automation in automations)
        {
            try
            {
                queued += await RunOne(automation, scheduled[automation.Trigger], day, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Automation {Id} failed", automation.Id);
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                db.AutomationRuns.Add(new AutomationRun
                {
                    AutomationId = automation.Id,
                    At = clock.GetUtcNow().UtcDateTime,
                    Cause = Cause,
                    Error = (e.GetType().Name + ": " + e.Message) is var text && text.Length > AutomationRun.ErrorLength ? text[..AutomationRun.ErrorLength] : text,
                });
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }

        return queued;
    }

    private async Task<int> RunOne(Automation automation, IScheduledAutomationTrigger trigger, AutomationDay day, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await trigger.Find(new AutomationParameters(trigger, automation.ParameterValues()), day, db, ct);
        var outcome = await runner.Run(db, automation, found, Cause, logRun: true, ct);
        await db.SaveChangesAsync(ct); // one transaction: the messages and the run entry
        return outcome.Queued;
    }
}

internal sealed class DailyAutomationsJob(IServiceProvider services) : IJobHandler
{
    public string Kind => DailyAutomations.JobKind;

    public async Task Run(BackgroundJob job, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DailyAutomations>().Run(ct);
    }
}
