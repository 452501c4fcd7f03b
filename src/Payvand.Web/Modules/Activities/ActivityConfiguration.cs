using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Payvand.Modules.Activities;

internal sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> b)
    {
        b.Property(a => a.Type).HasMaxLength(50);
        b.Property(a => a.Subject).HasMaxLength(300);
        b.Property(a => a.Body).HasMaxLength(10_000);
        b.Property(a => a.PhoneNumber).HasMaxLength(30);
        b.Property(a => a.Location).HasMaxLength(200);
        b.Property(a => a.SourceType).HasMaxLength(50);
        b.Property(a => a.SourceId).HasMaxLength(50);
        b.HasIndex(a => new { a.ContactId, a.OccurredAt });
        b.HasIndex(a => new { a.CompanyId, a.OccurredAt });
        b.HasIndex(a => new { a.SourceType, a.SourceId });
    }
}
