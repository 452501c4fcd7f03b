using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Payvand.Modules.Purchases;

internal sealed class PurchaseConfiguration : IEntityTypeConfiguration<Purchase>
{
    // Both SQLite and PostgreSQL accept this filter text.
    private const string HasExternalId = "\"SourceSystem\" IS NOT NULL AND \"ExternalOrderId\" IS NOT NULL";

    public void Configure(EntityTypeBuilder<Purchase> b)
    {
        b.Property(p => p.SourceSystem).HasMaxLength(50);
        b.Property(p => p.ExternalOrderId).HasMaxLength(100);
        b.Property(p => p.Currency).HasMaxLength(3);
        b.Property(p => p.Note).HasMaxLength(1000);
        b.Property(p => p.Version).IsConcurrencyToken();
        b.Ignore(p => p.Net);

        // An order of a source system is recorded once, however often it is sent.
        b.HasIndex(p => new { p.SourceSystem, p.ExternalOrderId }).IsUnique().HasFilter(HasExternalId);
        // A person's purchases newest first; a branch's or everyone's by date (the list's default order).
        b.HasIndex(p => new { p.ContactId, p.OccurredAt, p.Id });
        b.HasIndex(p => new { p.BranchId, p.OccurredAt, p.Id });
        b.HasIndex(p => new { p.OccurredAt, p.Id });

        b.OwnsMany(p => p.Lines, l =>
        {
            l.ToTable("PurchaseLines");
            l.HasKey(x => x.Id);
            l.Property(x => x.Description).HasMaxLength(300);
            l.Property(x => x.Quantity).HasPrecision(18, 3);
            l.HasIndex(x => x.ProductId);
            l.HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
        });
        b.HasMany(p => p.Refunds).WithOne().HasForeignKey(r => r.PurchaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Payvand.Modules.Contacts.Contact>().WithMany().HasForeignKey(p => p.ContactId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Payvand.Platform.Auth.Branch>().WithMany().HasForeignKey(p => p.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Payvand.Platform.Auth.AppUser>().WithMany().HasForeignKey(p => p.OwnerId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> b)
    {
        b.Property(r => r.Reason).HasMaxLength(500);
        b.HasIndex(r => new { r.PurchaseId, r.RefundedAt });
        b.OwnsMany(r => r.Lines, l =>
        {
            l.ToTable("RefundLines");
            l.HasKey(x => x.Id);
            l.Property(x => x.Quantity).HasPrecision(18, 3);
            l.HasIndex(x => x.PurchaseLineId);
        });
    }
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> b)
    {
        b.Property(p => p.Sku).HasMaxLength(50);
        b.Property(p => p.Name).HasMaxLength(200);
        b.Property(p => p.Currency).HasMaxLength(3);
        b.HasIndex(p => p.Sku).IsUnique();
        b.HasIndex(p => p.Name);
        b.HasOne<ProductCategory>().WithMany().HasForeignKey(p => p.CategoryId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ProductCategoryConfiguration : IEntityTypeConfiguration<ProductCategory>
{
    public void Configure(EntityTypeBuilder<ProductCategory> b)
    {
        b.Property(c => c.Name).HasMaxLength(100);
        b.HasIndex(c => new { c.ParentId, c.Name }).IsUnique();
        b.HasOne<ProductCategory>().WithMany().HasForeignKey(c => c.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}
