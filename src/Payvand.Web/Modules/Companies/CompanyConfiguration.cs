using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;

namespace Payvand.Modules.Companies;

internal sealed class CompanyConfiguration : IEntityTypeConfiguration<Company>
{
    public void Configure(EntityTypeBuilder<Company> b)
    {
        b.Property(c => c.Name).HasMaxLength(200);
        b.Property(c => c.SortName).HasMaxLength(200);
        b.Property(c => c.NationalId).HasMaxLength(11);
        b.Property(c => c.EconomicCode).HasMaxLength(20);
        b.Property(c => c.Industry).HasMaxLength(100);
        b.Property(c => c.Website).HasMaxLength(200);
        b.Property(c => c.Address).HasMaxLength(500);
        b.Property(c => c.City).HasMaxLength(100);
        b.Property(c => c.Province).HasMaxLength(100);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.HasIndex(c => new { c.BranchId, c.SortName, c.Id }).HasFilter(ISoftDeletable.LiveRows);
        b.HasIndex(c => new { c.SortName, c.Id }).HasFilter(ISoftDeletable.LiveRows);
        b.HasIndex(c => c.NationalId);
        b.HasQueryFilter(c => c.DeletedAt == null);
        b.OwnsPointsAndTags(c => c.Points, c => c.Tags, "Company");
        b.HasOne<Payvand.Platform.Auth.Branch>().WithMany().HasForeignKey(c => c.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Payvand.Platform.Auth.AppUser>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.SetNull);
    }
}
