using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Platform.Data;
using Payvand.Platform.Search;

namespace Payvand.Modules.Contacts;

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public const int NameLength = 100;

    public void Configure(EntityTypeBuilder<Contact> b)
    {
        b.Property(c => c.FirstName).HasMaxLength(NameLength);
        b.Property(c => c.LastName).HasMaxLength(NameLength);
        // Derived from the names (Contact.Touch); the audit shows the names themselves.
        b.Property(c => c.FirstNameKey).HasMaxLength(NameLength).HasAnnotation(PayvandSaveChangesInterceptor.NotAudited, true);
        b.Property(c => c.LastNameKey).HasMaxLength(NameLength).HasAnnotation(PayvandSaveChangesInterceptor.NotAudited, true);
        b.Property(c => c.SortName).HasMaxLength(210);
        b.Property(c => c.SearchText).HasMaxLength(SearchIndex.MaxTextLength).HasAnnotation(PayvandSaveChangesInterceptor.NotAudited, true);
        b.Property(c => c.NationalCode).HasMaxLength(10);
        b.Property(c => c.JobTitle).HasMaxLength(100);
        b.Property(c => c.Address).HasMaxLength(500);
        b.Property(c => c.City).HasMaxLength(100);
        b.Property(c => c.Province).HasMaxLength(100);
        b.Property(c => c.PostalCode).HasMaxLength(20);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.Ignore(c => c.DisplayName);

        // Lists show live people of a filter in name (or creation) order: each index is the filter column, the sort, then
        // Id as the tie-breaker, over live rows only, so a page is read straight from the index (see docs/benchmarks-log.md).
        b.HasIndex(c => new { c.SortName, c.Id }).HasFilter(ISoftDeletable.LiveRows);
        b.HasIndex(c => new { c.BranchId, c.SortName, c.Id }).HasFilter(ISoftDeletable.LiveRows);
        b.HasIndex(c => new { c.City, c.SortName, c.Id }).HasFilter(ISoftDeletable.LiveRows);
        b.HasIndex(c => new { c.OwnerId, c.SortName, c.Id }).HasFilter(ISoftDeletable.LiveRows);
        b.HasIndex(c => new { c.CreatedAt, c.Id }).HasFilter(ISoftDeletable.LiveRows);
        // "First name is / starts with" and the same for the last name: an equal key is read in name order from the
        // index; a prefix is one range of it (byte order: the "C" collation on PostgreSQL, see PayvandDb).
        b.HasIndex(c => new { c.FirstNameKey, c.SortName, c.Id }).HasFilter(ISoftDeletable.LiveRows);
        b.HasIndex(c => new { c.LastNameKey, c.SortName, c.Id }).HasFilter(ISoftDeletable.LiveRows);
        b.HasIndex(c => c.NationalCode);
        // Duplicate detection groups live people by name and birth date (name and city uses the City index above).
        b.HasIndex(c => new { c.SortName, c.BirthDate }).HasFilter(ISoftDeletable.LiveRows);
        // Birthday messages: the people whose Jalali birthday is today (derived from BirthDate, not audited on its own).
        b.Property(c => c.BirthMonthDay).HasAnnotation(PayvandSaveChangesInterceptor.NotAudited, true);
        b.HasIndex(c => c.BirthMonthDay).HasFilter(ISoftDeletable.LiveRows);
        // Erasing a person also erases the people merged into them; they are found by this.
        b.HasIndex(c => c.MergedIntoId);
        b.HasIndex(c => c.CompanyId);
        b.HasQueryFilter(c => c.DeletedAt == null);
        // The purchase summary is never written by saving a person: an edit that loaded the person before a purchase
        // must not put back the old numbers. Only the Purchases module's ExecuteUpdate writes these columns; a new
        // person gets the database defaults. The audit trail skips columns kept this way.
        b.Ignore(c => c.Purchases);
        b.Property(c => c.PurchaseCount).HasDefaultValue(0).Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        b.Property(c => c.NetSpent).HasDefaultValue(0L).Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        b.Property(c => c.FirstPurchaseAt).Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        b.Property(c => c.LastPurchaseAt).Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        foreach (var name in new[] { nameof(Contact.PurchaseCount), nameof(Contact.NetSpent), nameof(Contact.FirstPurchaseAt), nameof(Contact.LastPurchaseAt) })
        {
            b.Property(name).Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        }

        // The purchase filters and sorts of the people list.
        b.HasIndex(c => new { c.NetSpent, c.Id }).HasFilter(ISoftDeletable.LiveRows);
        b.HasIndex(c => new { c.PurchaseCount, c.Id }).HasFilter(ISoftDeletable.LiveRows);
        b.HasIndex(c => new { c.LastPurchaseAt, c.Id }).HasFilter(ISoftDeletable.LiveRows);
        // A city's customers above a spend, the marketer's everyday segment: counted from one index range
        // (Tehran above 1,000,000,000 rials at 1M people: 16 -> 4 ms, docs/benchmarks-log.md).
        b.HasIndex(c => new { c.City, c.NetSpent, c.Id }).HasFilter(ISoftDeletable.LiveRows);
        b.OwnsOne(c => c.Preferences, p =>
        {
            p.Property(x => x.Language).HasMaxLength(10);
        });
        b.Navigation(c => c.Preferences).IsRequired();
        b.OwnsPointsAndTags(c => c.Points, c => c.Tags, "Contact");
        b.HasMany(c => c.Consents).WithOne().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.ConsentHistory).WithOne().HasForeignKey(r => r.ContactId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Payvand.Platform.Auth.Branch>().WithMany().HasForeignKey(c => c.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Payvand.Platform.Auth.AppUser>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Payvand.Modules.Companies.Company>().WithMany().HasForeignKey(c => c.CompanyId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ConsentRecordConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> b)
    {
        b.Property(r => r.Channel).HasMaxLength(ConsentConfiguration.KeyLength);
        b.Property(r => r.Source).HasMaxLength(100);
        b.Property(r => r.Note).HasMaxLength(500);
        b.HasIndex(r => new { r.ContactId, r.RecordedAt });
    }
}

internal sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> b)
    {
        b.Property(v => v.List).HasMaxLength(30);
        b.Property(v => v.Name).HasMaxLength(100);
        b.Property(v => v.Columns).HasMaxLength(500);
        b.HasIndex(v => new { v.UserId, v.List });
    }
}
