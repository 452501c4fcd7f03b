using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Privacy;

namespace Payvand.Platform.Jobs;

// Runs queued jobs in the background: at start-up every job left Queued, or Running when the process stopped,
// then each job the queue wakes it for. Jobs of one kind run one at a time (an import does not compete with
// another import for the database's one writer); different kinds run side by side.
public sealed class JobRunner(
    IServiceProvider services, JobQueue queue, IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock,
    CurrentUserAccessor currentUser, ILogger<JobRunner> log) : BackgroundService
{
    private readonly Dictionary<string, SemaphoreSlim> perKind = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var id in await Pending(stoppingToken)) queue.Wake(id);
        var runs = new List<Task>();
        try
        {
            await foreach (var id in queue.WakeUps.ReadAllAsync(stoppingToken))
            {
                runs.RemoveAll(t => t.IsCompleted);
                runs.Add(Task.Run(() => RunOne(id, stoppingToken), CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: running jobs see the same token and stop at their next step.
        }

        await Task.WhenAll(runs);
    }

    // Jobs a previous process left behind. A Running one was interrupted: it is queued again and its handler
    // resumes from the progress it had committed.
    private async Task<List<int>> Pending(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Jobs.Where(j => j.Status == JobStatus.Running).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Queued), ct);
        return await db.Jobs.Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.Id).Select(j => j.Id).ToListAsync(ct);
    }

    private SemaphoreSlim KindGate(string kind)
    {
        lock (gate)
        {
            if (!perKind.TryGetValue(kind, out var semaphore)) perKind[kind] = semaphore = new SemaphoreSlim(1, 1);
            return semaphore;
        }
    }

    private async Task RunOne(int id, CancellationToken stopping)
    {
        try
        {
            string? kind;
            await using (var db = await dbFactory.CreateDbContextAsync(stopping))
            {
                kind = await db.Jobs.Where(j => j.Id == id && j.Status == JobStatus.Queued).Select(j => j.Kind).SingleOrDefaultAsync(stopping);
            }

            if (kind is null) return; // cancelled before it started, or already taken
            var kindGate = KindGate(kind);
            await kindGate.WaitAsync(stopping);
            try
            {
                await Run(id, stopping);
            }
            finally
            {
                kindGate.Release();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The job stays Queued or Running and is picked up at the next start.
        }
        catch (Exception e)
        {
            log.LogError(e, "Background job {JobId} could not be run", id);
        }
    }

    private async Task Run(int id, CancellationToken stopping)
    {
        await using var db = await dbFactory.CreateDbContextAsync(stopping);
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await db.Jobs.Where(j => j.Id == id && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Running).SetProperty(j => j.StartedAt, now), stopping);
        if (claimed == 0) return;
        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id, stopping);
        var handler = services.GetServices<IJobHandler>().SingleOrDefault(h => h.Kind == job.Kind);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        queue.Track(id, cts);
        var culture = CultureInfo.GetCultureInfo(job.Culture ?? Localization.Cultures.Persian);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        currentUser.User = job.User(); // the audit trail names the user who started the job
        JobStatus status;
        string? error = null;
        try
        {
            if (handler is null) throw new InvalidOperationException($"No handler for background jobs of kind '{job.Kind}'.");
            if (job.CancelRequested) throw new OperationCanceledException();
            await handler.Run(job, cts.Token);
            status = JobStatus.Succeeded;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw; // left Running: resumed after the restart
        }
        catch (OperationCanceledException)
        {
            status = JobStatus.Cancelled;
        }
        catch (Exception e)
        {
            log.LogError(e, "Background job {JobId} ({Kind}) failed", id, job.Kind);
            status = JobStatus.Failed;
            error = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
        }
        finally
        {
            queue.Untrack(id);
        }

        var finished = clock.GetUtcNow().UtcDateTime;
        await db.Jobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, status).SetProperty(j => j.FinishedAt, finished).SetProperty(j => j.Error, error), CancellationToken.None);
        services.GetRequiredService<Telemetry.PayvandMetrics>().JobCompleted(job.Kind, status);
    }
}

public static class JobsSetup
{
    public static IServiceCollection AddJobs(this IServiceCollection services) => services
        .AddSingleton<JobQueue>()
        .AddHostedService<JobRunner>()
        .AddSingleton<FileRetention>()
        .AddHostedService(sp => sp.GetRequiredService<FileRetention>())
        .AddPersonalData<StoredFilePersonalData>();

    // The handler is also injectable as itself (e.g. an export handler that queues its own jobs).
    public static IServiceCollection AddJobHandler<T>(this IServiceCollection services) where T : class, IJobHandler => services
        .AddSingleton<T>()
        .AddSingleton<IJobHandler>(sp => sp.GetRequiredService<T>());
}
