using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;

namespace Payvand.Modules.Segments;

internal sealed class SegmentConfiguration : IEntityTypeConfiguration<Segment>
{
    public void Configure(EntityTypeBuilder<Segment> b)
    {
        b.ToTable("Segments");
        b.Property(s => s.Name).HasMaxLength(Segment.NameLength);
        b.Property(s => s.Description).HasMaxLength(Segment.DescriptionLength);
        b.Property(s => s.Kind).HasConversion<string>().HasMaxLength(10);
        b.HasIndex(s => s.Name).IsUnique();
        b.HasOne<AppUser>().WithMany().HasForeignKey(s => s.CreatedById).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class SegmentMemberConfiguration : IEntityTypeConfiguration<SegmentMember>
{
    public void Configure(EntityTypeBuilder<SegmentMember> b)
    {
        b.ToTable("SegmentMembers");
        b.HasKey(m => new { m.SegmentId, m.ContactId });
        b.HasIndex(m => m.ContactId);
        b.HasOne<Segment>().WithMany().HasForeignKey(m => m.SegmentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Contact>().WithMany().HasForeignKey(m => m.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}
