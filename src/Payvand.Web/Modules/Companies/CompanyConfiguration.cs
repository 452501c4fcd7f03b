using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
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
        b.OwnsMany(c => c.Points, p =>
        {
            p.ToTable("CompanyPoints");
            p.HasKey(x => x.Id);
            p.Property(x => x.Value).HasMaxLength(200);
            p.Property(x => x.NormalizedValue).HasMaxLength(200);
            p.Property(x => x.Label).HasMaxLength(50);
            p.HasIndex(x => x.NormalizedValue);
        });
        b.OwnsMany(c => c.Tags, t =>
        {
            t.ToTable("CompanyTags");
            t.HasKey(x => x.Id);
            t.Property(x => x.Name).HasMaxLength(50);
            t.HasIndex(x => x.Name);
        });
        b.HasOne<Payvand.Platform.Auth.Branch>().WithMany().HasForeignKey(c => c.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Payvand.Platform.Auth.AppUser>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.SetNull);
    }
}
