using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Payvand.Platform.Audit;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(a => a.UserName).HasMaxLength(256);
        b.Property(a => a.EntityType).HasMaxLength(50);
        b.Property(a => a.EntityId).HasMaxLength(50);
        b.Property(a => a.Detail).HasMaxLength(1000);
        b.Property(a => a.IpAddress).HasMaxLength(64);
        b.HasIndex(a => new { a.EntityType, a.EntityId, a.At });
        b.HasIndex(a => a.At);
        b.HasIndex(a => new { a.UserId, a.At });
    }
}
