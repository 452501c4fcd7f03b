using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Platform.Jobs;

// Runs one kind of background job. Handlers resume from job.Done when a job was interrupted by a restart,
// so a handler that commits its progress with its work never does a piece twice.
public interface IJobHandler
{
    string Kind { get; }

    Task Run(BackgroundJob job, CancellationToken ct);
}

// Puts jobs on the durable queue (the BackgroundJob table) and wakes the runner through a channel, so a new job
// starts at once instead of at the next poll. Also cancels queued and running jobs.
public sealed class JobQueue(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock)
{
    private readonly Channel<int> wakeUps = Channel.CreateUnbounded<int>();
    private readonly ConcurrentDictionary<int, CancellationTokenSource> running = new();

    internal ChannelReader<int> WakeUps => wakeUps.Reader;

    // A new queued job; the caller saves it (possibly with its own rows, in one transaction), then calls Wake.
    public BackgroundJob Create(string kind, object payload, UserScope user) => new()
    {
        Kind = kind,
        Status = JobStatus.Queued,
        CreatedById = user.UserId > 0 ? user.UserId : null,
        Scope = BackgroundJob.Snapshot(user),
        Culture = CultureInfo.CurrentUICulture.Name,
        CreatedAt = clock.GetUtcNow().UtcDateTime,
        Payload = JsonSerializer.Serialize(payload),
    };

    public void Wake(int jobId) => wakeUps.Writer.TryWrite(jobId);

    public async Task<int> Enqueue(string kind, object payload, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = Create(kind, payload, user);
        db.Jobs.Add(job);
        await db.SaveChangesAsync(ct);
        Wake(job.Id);
        return job.Id;
    }

    // A queued job is cancelled at once; a running one is asked to stop and ends as Cancelled at its next step.
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
