using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Payvand.Platform.Api;

// One Idempotency-Key of one caller. Inserting it claims the key (the unique index refuses a second claim, on every
// app instance); CompletedAt null means the first request is still running. The stored response is replayed to retries.
public sealed class IdempotencyRecord
{
    public long Id { get; set; }

    public int UserId { get; set; }

    public required string Key { get; set; }

    // SHA-256 (hex) of the method, path and request body: the same key with another request is refused (422).
    public required string RequestHash { get; set; }

    public int? StatusCode { get; set; }

    public string? ResponseBody { get; set; }

    public string? Location { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? CompletedAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("IdempotencyKeys");
        b.Property(r => r.Key).HasMaxLength(IdempotencyFilter.MaxKeyLength);
        b.Property(r => r.RequestHash).HasMaxLength(64);
        b.Property(r => r.Location).HasMaxLength(300);
        b.HasIndex(r => new { r.UserId, r.Key }).IsUnique();
        b.HasIndex(r => r.CreatedAt);
        b.HasOne<Payvand.Platform.Auth.AppUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
