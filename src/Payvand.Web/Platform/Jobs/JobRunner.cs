using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Notifications;
using Payvand.Platform.Privacy;

namespace Payvand.Platform.Jobs;

// Runs due jobs in the background, on any number of instances over one database: a job is claimed by a conditional
// update (Queued and due, or Running with an expired claim), so exactly one process runs it; the claim is a lease the
// runner renews while the job works, so a job whose process was killed is taken up again once the lease ends. Jobs of
// one kind run one at a time in a process (an import does not compete with another import for SQLite's one writer);
// different kinds run side by side. A failed job is retried with back-off up to its handler's MaxAttempts.
public sealed class JobRunner(
    IServiceProvider services, JobQueue queue, IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock,
    JobOptions options, CurrentUserAccessor currentUser, ILogger<JobRunner> log) : BackgroundService
{
    private readonly HashSet<string> busyKinds = new(StringComparer.Ordinal);

    // Only kinds this process can run are claimed: during a rolling upgrade an older instance leaves a new kind of job
    // to the instances that know it.
    private readonly string[] knownKinds = services.GetServices<IJobHandler>().Select(h => h.Kind).Distinct().ToArray();
    private readonly Lock gate = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runs = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                runs.RemoveAll(t => t.IsCompleted);
                while (await ClaimNext(stoppingToken) is { } job) runs.Add(Task.Run(() => Run(job, stoppingToken), CancellationToken.None));
                using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                poll.CancelAfter(options.PollInterval);
                try
                {
                    await queue.WakeUps.ReadAsync(poll.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The poll interval passed without a wake-up: look for due jobs anyway.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: running jobs see the same token and stop at their next step; their claims expire.
        }
        catch (Exception e)
        {
            log.LogError(e, "The job runner stopped");
        }

        await Task.WhenAll(runs);
    }

    private sealed record Claimed(BackgroundJob Job, Guid Token);

    // Claims the oldest due job of a kind this process is not running; null when there is none.
    private async Task<Claimed?> ClaimNext(CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            for (var tries = 0; tries < 10; tries++)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                string[] busy;
                lock (gate) busy = [.. busyKinds];
                var candidate = await Due(db.Jobs, now).Where(j => knownKinds.Contains(j.Kind) && !busy.Contains(j.Kind)).OrderBy(j => j.Id)
                    .Select(j => new { j.Id, j.Kind }).FirstOrDefaultAsync(ct);
                if (candidate is null) return null;
                var token = Guid.NewGuid();
                var until = now + options.Lease;
                var claimed = await Due(db.Jobs.Where(j => j.Id == candidate.Id), now).ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Status, JobStatus.Running)
                    .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now)
                    .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                    .SetProperty(j => j.LockToken, token)
                    .SetProperty(j => j.LockedUntil, until), ct);
                if (claimed == 0) continue; // another process took it first
                lock (gate) busyKinds.Add(candidate.Kind); // claims run one at a time, so the kind was free

                return new Claimed(await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == candidate.Id, ct), token);
            }

            return null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            log.LogError(e, "Looking for due background jobs failed");
            return null;
        }
    }

    private static IQueryable<BackgroundJob> Due(IQueryable<BackgroundJob> jobs, DateTime now) => jobs.Where(j =>
        (j.Status == JobStatus.Queued && (j.NotBefore == null || j.NotBefore <= now))
        || (j.Status == JobStatus.Running && (j.LockedUntil == null || j.LockedUntil < now)));

    private async Task Run(Claimed claimed, CancellationToken stopping)
    {
        var (job, token) = claimed;
        var handler = services.GetServices<IJobHandler>().First(h => h.Kind == job.Kind);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        queue.Track(job.Id, cts);
        using var renewal = Renew(job.Id, token, cts);
        var culture = CultureInfo.GetCultureInfo(job.Culture ?? Localization.Cultures.Persian);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        currentUser.User = job.User(); // the audit trail names the user who started the job
        JobStatus status;
        string? error = null;
        try
        {
            if (job.CancelRequested) throw new OperationCanceledException();
            await handler.Run(job, cts.Token);
            status = JobStatus.Succeeded;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested || renewal.Lost)
        {
            // Shutting down, or the claim went to another process: the job stays Running under its claim, which
            // expires and is taken up again (here after the restart, or there already).
            Release(job.Kind);
            return;
        }
        catch (OperationCanceledException)
        {
            status = JobStatus.Cancelled;
        }
        catch (Exception e)
        {
            log.LogError(e, "Background job {JobId} ({Kind}) failed, attempt {Attempt}", job.Id, job.Kind, job.Attempts);
            status = JobStatus.Failed;
            error = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
        }
        finally
        {
            queue.Untrack(job.Id);
        }

        try
        {
            await Finish(handler, job, token, status, error);
            services.GetRequiredService<Telemetry.PayvandMetrics>().JobCompleted(job.Kind, status);
        }
        finally
        {
            Release(job.Kind);
            queue.Wake(0); // a job of this kind may be waiting for the kind to be free
        }
    }

    private void Release(string kind)
    {
        lock (gate) busyKinds.Remove(kind);
    }

    private async Task Finish(IJobHandler handler, BackgroundJob job, Guid token, JobStatus status, string? error)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var now = clock.GetUtcNow().UtcDateTime;
        var mine = db.Jobs.Where(j => j.Id == job.Id && j.LockToken == token);
        if (status == JobStatus.Failed && job.Attempts < handler.MaxAttempts)
        {
            var next = now + new Backoff(options.RetryFirst, options.RetryLongest).After(job.Attempts);
            await mine.ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Queued).SetProperty(j => j.NotBefore, next).SetProperty(j => j.Error, error)
                .SetProperty(j => j.LockToken, (Guid?)null).SetProperty(j => j.LockedUntil, (DateTime?)null), CancellationToken.None);
            return;
        }

        // The end and what its user is told commit together: a job ends once (under its claim), so it tells once.
        await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var ended = await mine.ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, status).SetProperty(j => j.FinishedAt, now).SetProperty(j => j.Error, error)
            .SetProperty(j => j.LockToken, (Guid?)null).SetProperty(j => j.LockedUntil, (DateTime?)null), CancellationToken.None);
        if (ended == 1 && job.CreatedById is { } user)
        {
            job.Status = status;
            job.Error = error;
            job.FinishedAt = now;
            if (await handler.Finished(db, job, status, CancellationToken.None) is { } note)
            {
                await services.GetRequiredService<Notifier>().Notify(db, [user], note with { Key = note.Key ?? $"job:{job.Id}" }, CancellationToken.None);
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }

        await tx.CommitAsync(CancellationToken.None);
    }

    // Renews the claim every third of the lease while the job runs. When the claim is gone (another process took the
    // job after this one stalled past its lease) or a cancel was asked for from another process, the job is stopped.
    private Renewal Renew(int jobId, Guid token, CancellationTokenSource job)
    {
        var renewal = new Renewal();
        var every = options.Lease / 3;
        renewal.Loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(every, clock);
            try
            {
                while (await timer.WaitForNextTickAsync(renewal.Stop.Token))
                {
                    await using var db = await dbFactory.CreateDbContextAsync(renewal.Stop.Token);
                    var until = clock.GetUtcNow().UtcDateTime + options.Lease;
                    var kept = await db.Jobs.Where(j => j.Id == jobId && j.LockToken == token)
                        .ExecuteUpdateAsync(s => s.SetProperty(j => j.LockedUntil, until), renewal.Stop.Token);
                    if (kept == 0)
                    {
                        renewal.Lost = true;
                        await job.CancelAsync();
                        return;
                    }

                    if (await db.Jobs.AnyAsync(j => j.Id == jobId && j.CancelRequested, renewal.Stop.Token)) await job.CancelAsync();
                }
            }
            catch (OperationCanceledException)
            {
                // The job ended.
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Renewing the claim on job {JobId} failed", jobId);
            }
        });
        return renewal;
    }

    private sealed class Renewal : IDisposable
    {
        public CancellationTokenSource Stop { get; } = new();

        public Task Loop { get; set; } = Task.CompletedTask;

        public volatile bool Lost;

        public void Dispose()
        {
            Stop.Cancel();
            Stop.Dispose();
        }
    }
}

public static class JobsSetup
{
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration) => services
        .AddSingleton(configuration.GetSection(JobOptions.Section).Get<JobOptions>() ?? new JobOptions())
        .AddSingleton<JobQueue>()
        .AddHostedService<JobRunner>()
        .AddSingleton<Scheduler>()
        .AddHostedService(sp => sp.GetRequiredService<Scheduler>())
        .AddJobHandler<FileRetention>()
        .AddSchedule(FileRetention.ScheduleName, "0 * * * *", FileRetention.JobKind)
        .AddPersonalData<StoredFilePersonalData>();

    // The handler is also injectable as itself (e.g. an export handler that queues its own jobs).
    public static IServiceCollection AddJobHandler<T>(this IServiceCollection services) where T : class, IJobHandler => services
        .AddSingleton<T>()
        .AddSingleton<IJobHandler>(sp => sp.GetRequiredService<T>());
}
