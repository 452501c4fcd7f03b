using Cronos;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Settings;

namespace Payvand.Platform.Jobs;

// A recurring job: a cron expression (5 fields, or 6 with seconds) read in the business time zone, so "0 9 * * *"
// is 09:00 in Tehran whatever the server's zone. Payvand:Schedules:<Name> replaces the expression, "off" turns it off.
public sealed record ScheduleDefinition(string Name, string Cron, string JobKind);

// One occurrence of a schedule that was started: the unique (Schedule, DueAt) lets one instance of any number start it.
public sealed class ScheduledOccurrence
{
    public long Id { get; set; }

    public required string Schedule { get; set; }

    public DateTime DueAt { get; set; }

    public DateTime StartedAt { get; set; }

    public int? JobId { get; set; }
}

internal sealed class ScheduledOccurrenceConfiguration : IEntityTypeConfiguration<ScheduledOccurrence>
{
    public void Configure(EntityTypeBuilder<ScheduledOccurrence> b)
    {
        b.Property(o => o.Schedule).HasMaxLength(100);
        b.HasIndex(o => new { o.Schedule, o.DueAt }).IsUnique();
        b.HasOne<BackgroundJob>().WithMany().HasForeignKey(o => o.JobId).OnDelete(DeleteBehavior.SetNull);
    }
}

// Turns schedules into jobs. Every ScheduleInterval it takes, for each schedule, the latest occurrence that came due
// since the schedule's last started one (or since this process started, the first time) and queues its job together
// with the occurrence row. Occurrences missed while no instance ran are not made up one by one: the latest of them
// runs once (a sweep or a digest needs one run, not twelve). The job's payload names the schedule and the occurrence.
public sealed class Scheduler(
    IEnumerable<ScheduleDefinition> definitions, IDbContextFactory<PayvandDb> dbFactory, JobQueue queue, TimeProvider clock,
    JobOptions options, PayvandSettings settings, IConfiguration configuration, ILogger<Scheduler> log) : BackgroundService
{
    public sealed record Occurrence(string Schedule, DateTime DueAt);

    private readonly DateTime startedAt = clock.GetUtcNow().UtcDateTime;

    // The expression in force for a schedule, or null when it is turned off.
    public CronExpression? Expression(ScheduleDefinition schedule)
    {
        var text = configuration[$"Payvand:Schedules:{schedule.Name}"] ?? schedule.Cron;
        if (string.Equals(text.Trim(), "off", StringComparison.OrdinalIgnoreCase)) return null;
        var format = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        return CronExpression.Parse(text, format);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ScheduleInterval, clock);
        do
        {
            try
            {
                await RunDue(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "Starting scheduled jobs failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    // Starts what came due as of the clock's now; returns the occurrences this process started.
    public async Task<List<Occurrence>> RunDue(CancellationToken ct)
    {
        var started = new List<Occurrence>();
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = await settings.TimeZone(ct);
        foreach (var schedule in definitions)
        {
            var cron = Expression(schedule);
            if (cron is null) continue;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var last = await db.ScheduledOccurrences.Where(o => o.Schedule == schedule.Name).MaxAsync(o => (DateTime?)o.DueAt, ct);
            var from = last ?? startedAt;
            if (from >= now) continue;
            var due = cron.GetOccurrences(from, now, zone, fromInclusive: false, toInclusive: true).LastOrDefault();
            if (due == default) continue;
            if (await Start(db, schedule, due, now, ct)) started.Add(new Occurrence(schedule.Name, due));
        }

        return started;
    }

    // The occurrence row and its job in one transaction; false when another instance started the occurrence first.
    private async Task<bool> Start(PayvandDb db, ScheduleDefinition schedule, DateTime due, DateTime now, CancellationToken ct)
    {
        var job = queue.Create(schedule.JobKind, new Occurrence(schedule.Name, due), UserScope.System);
        db.Jobs.Add(job);
        db.ScheduledOccurrences.Add(new ScheduledOccurrence { Schedule = schedule.Name, DueAt = due, StartedAt = now });
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await db.ScheduledOccurrences.Where(o => o.Schedule == schedule.Name && o.DueAt == due)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.JobId, job.Id), ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return false;
        }

        queue.Wake(job.Id);
        log.LogInformation("Started {Schedule} for {Due:o} as job {JobId}", schedule.Name, due, job.Id);
        return true;
    }
}

public static class ScheduleRegistration
{
    public static IServiceCollection AddSchedule(this IServiceCollection services, string name, string cron, string jobKind) =>
        services.AddSingleton(new ScheduleDefinition(name, cron, jobKind));
}
