using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Platform.Auth;

namespace Payvand.Platform.Jobs;

public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

// A unit of background work (an import, a large export, a scheduled sweep) that survives restarts: the row is the
// queue. Kind names the IJobHandler that runs it; Payload is that handler's JSON input.
public sealed class BackgroundJob
{
    public int Id { get; set; }

    public required string Kind { get; set; }

    public JobStatus Status { get; set; }

    public int Done { get; set; }

    public int Total { get; set; }

    public int? CreatedById { get; set; }

    // The rights and language of the user who queued the job, so it acts as them after a restart too.
    public required string Scope { get; set; }

    public string? Culture { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public bool CancelRequested { get; set; }

    // Not started before then: a delayed job, or the back-off after a failed attempt.
    public DateTime? NotBefore { get; set; }

    public int Attempts { get; set; }

    // A running job is claimed by one process until then, and the process extends the claim while it works; a claim
    // that outlives its process (killed) expires and another process, or the next start, takes the job up again.
    public DateTime? LockedUntil { get; set; }

    public Guid? LockToken { get; set; }

    public string? Error { get; set; }

    public string Payload { get; set; } = "{}";

    // A file the job produced (an export), kept in StoredFiles.
    public int? FileId { get; set; }

    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    public UserScope User()
    {
        var s = JsonSerializer.Deserialize<ScopeSnapshot>(Scope) ?? throw new InvalidOperationException("Job without a scope.");
        return new UserScope(s.UserId, s.UserName, s.Roles.ToHashSet(StringComparer.Ordinal), s.BranchIds.ToHashSet());
    }

    public static string Snapshot(UserScope user) =>
        JsonSerializer.Serialize(new ScopeSnapshot(user.UserId, user.UserName, [.. user.Roles], [.. user.BranchIds]));

    private sealed record ScopeSnapshot(int UserId, string UserName, string[] Roles, int[] BranchIds);
}

internal sealed class BackgroundJobConfiguration : IEntityTypeConfiguration<BackgroundJob>
{
    public void Configure(EntityTypeBuilder<BackgroundJob> b)
    {
        b.Property(j => j.Kind).HasMaxLength(50);
        b.Property(j => j.Culture).HasMaxLength(10);
        b.Property(j => j.Error).HasMaxLength(2000);
        b.Property(j => j.Scope).HasMaxLength(4000);
        b.Ignore(j => j.IsFinished);
        b.HasIndex(j => new { j.Status, j.Id });
        b.HasOne<AppUser>().WithMany().HasForeignKey(j => j.CreatedById).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<StoredFile>().WithMany().HasForeignKey(j => j.FileId).OnDelete(DeleteBehavior.SetNull);
    }
}
