using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Notifications;

namespace Payvand.Platform.Jobs;

// Runs one kind of background job. Handlers resume from job.Done when a job was interrupted (a restart, a killed
// process), so a handler that commits its progress with its work never does a piece twice.
public interface IJobHandler
{
    string Kind { get; }

    // Attempts before a failing job stays Failed; the ones before it are retried with back-off (JobOptions).
    int MaxAttempts => 1;

    Task Run(BackgroundJob job, CancellationToken ct);

    // What the user who queued the job is told (the bell) when it ends with this status, read with the job's final
    // state saved in db; null tells nothing (schedules, clean-ups). Written in one transaction with the job's end.
    Task<NotificationRequest?> Finished(PayvandDb db, BackgroundJob job, JobStatus status, CancellationToken ct) => Task.FromResult<NotificationRequest?>(null);
}

// Payvand:Jobs settings.
public sealed class JobOptions
{
    public const string Section = "Payvand:Jobs";

    // How often the runner looks for due jobs when nothing woke it (delayed jobs, jobs queued by another instance).
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    // How long a claim on a running job holds; the runner renews it every third of that while the job works.
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryFirst { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryLongest { get; set; } = TimeSpan.FromHours(1);

    // How often the scheduler checks for occurrences that came due.
    public TimeSpan ScheduleInterval { get; set; } = TimeSpan.FromSeconds(15);
}

// Puts jobs on the durable queue (the BackgroundJob table) and wakes the runner, so a new job starts at once instead
// of at the next poll. Also cancels queued and running jobs.
public sealed class JobQueue(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock)
{
    private readonly Channel<int> wakeUps = Channel.CreateBounded<int>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<int, CancellationTokenSource> running = new();

    internal ChannelReader<int> WakeUps => wakeUps.Reader;

    // A new queued job; the caller saves it (possibly with its own rows, in one transaction), then calls Wake.
    // notBefore (UTC) delays it.
    public BackgroundJob Create(string kind, object payload, UserScope user, DateTime? notBefore = null) => new()
    {
        Kind = kind,
        Status = JobStatus.Queued,
        CreatedById = user.UserId > 0 ? user.UserId : null,
        Scope = BackgroundJob.Snapshot(user),
        Culture = CultureInfo.CurrentUICulture.Name,
        CreatedAt = clock.GetUtcNow().UtcDateTime,
        NotBefore = notBefore,
        Payload = JsonSerializer.Serialize(payload),
    };

    public void Wake(int jobId) => wakeUps.Writer.TryWrite(jobId);

    public async Task<int> Enqueue(string kind, object payload, UserScope user, CancellationToken ct, DateTime? notBefore = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = Create(kind, payload, user, notBefore);
        db.Jobs.Add(job);
        await db.SaveChangesAsync(ct);
        Wake(job.Id);
        return job.Id;
    }

    // A queued job is cancelled at once; a running one is asked to stop and ends as Cancelled at its next step (in
    // another process: at its next renewal of the claim, which reads the request).
    public async Task<bool> Cancel(int jobId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var queued = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Cancelled).SetProperty(j => j.FinishedAt, now), ct);
        if (queued > 0) return true;
        var asked = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), ct);
        if (running.TryGetValue(jobId, out var cts)) await cts.CancelAsync();
        return asked > 0;
    }

    internal void Track(int jobId, CancellationTokenSource cts) => running[jobId] = cts;

    internal void Untrack(int jobId) => running.TryRemove(jobId, out _);

    // Progress written by a handler inside its own transaction, so the count and the work commit together.
    public static Task Progress(PayvandDb db, int jobId, int done, int total, CancellationToken ct) =>
        db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.Done, done).SetProperty(j => j.Total, total), ct);
}
