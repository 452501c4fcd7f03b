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
        b.Property(a => a.Data).HasMaxLength(TimelineWriter.MaxDataLength);
        b.Property(a => a.PhoneNumber).HasMaxLength(30);
        b.Property(a => a.Location).HasMaxLength(200);
        b.Property(a => a.SourceType).HasMaxLength(50);
        b.Property(a => a.SourceId).HasMaxLength(50);
        b.HasIndex(a => new { a.ContactId, a.OccurredAt });
        b.HasIndex(a => new { a.CompanyId, a.OccurredAt });
        // "My follow-ups": the open ones of one user, by due time.
        b.HasIndex(a => new { a.CreatedById, a.FollowUpAt }).HasFilter("\"FollowUpAt\" IS NOT NULL AND \"FollowUpDoneAt\" IS NULL");
        b.Property(a => a.EmailAddress).HasMaxLength(200);
        // One entry per (source, its id, type): TimelineWriter's writes are idempotent. Manual entries have no source (NULLs never collide).
        b.HasIndex(a => new { a.SourceType, a.SourceId, a.Type }).IsUnique();
        b.HasOne<Payvand.Modules.Contacts.Contact>().WithMany().HasForeignKey(a => a.ContactId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Payvand.Modules.Companies.Company>().WithMany().HasForeignKey(a => a.CompanyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Payvand.Platform.Auth.Branch>().WithMany().HasForeignKey(a => a.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Payvand.Platform.Auth.AppUser>().WithMany().HasForeignKey(a => a.CreatedById).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Payvand.Platform.Auth.AppUser>().WithMany().HasForeignKey(a => a.FollowUpDoneById).OnDelete(DeleteBehavior.SetNull);
    }
}
