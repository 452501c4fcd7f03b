using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Payvand.Modules.Activities;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Modules.CustomFields;
using Payvand.Modules.Imports;
using Payvand.Modules.Messaging;
using Payvand.Modules.Messaging.Automations;
using Payvand.Modules.Messaging.Templates;
using Payvand.Modules.Purchases;
using Payvand.Platform.Api;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Events;
using Payvand.Platform.Jobs;
using Payvand.Platform.Search;
using Payvand.Platform.Settings;

namespace Payvand.Platform.Data;

// The one EF Core context. Entity configuration lives beside each entity (IEntityTypeConfiguration classes).
public class PayvandDb(DbContextOptions<PayvandDb> options)
    : IdentityDbContext<AppUser, AppRole, int, IdentityUserClaim<int>, IdentityUserRole<int>, IdentityUserLogin<int>,
        IdentityRoleClaim<int>, IdentityUserToken<int>>(options)
{
    public DbSet<Branch> Branches => Set<Branch>();

    public DbSet<UserBranch> UserBranches => Set<UserBranch>();

    public DbSet<PersonalAccessToken> AccessTokens => Set<PersonalAccessToken>();

    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    public DbSet<AppSetting> Settings => Set<AppSetting>();

    public DbSet<Contact> Contacts => Set<Contact>();

    public DbSet<ConsentRecord> ConsentRecords => Set<ConsentRecord>();

    public DbSet<ConsentChannel> Channels => Set<ConsentChannel>();

    public DbSet<ContactConsent> ContactConsents => Set<ContactConsent>();

    public DbSet<BlockedAddress> BlockedAddresses => Set<BlockedAddress>();

    public DbSet<PromotionalContact> PromotionalContacts => Set<PromotionalContact>();

    public DbSet<SavedView> SavedViews => Set<SavedView>();

    public DbSet<NotDuplicate> NotDuplicates => Set<NotDuplicate>();

    public DbSet<Company> Companies => Set<Company>();

    public DbSet<CustomFieldDefinition> CustomFields => Set<CustomFieldDefinition>();

    public DbSet<CustomFieldValue> CustomFieldValues => Set<CustomFieldValue>();

    public DbSet<Activity> Activities => Set<Activity>();

    public DbSet<SearchTerm> SearchTerms => Set<SearchTerm>();

    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();

    public DbSet<ProductCategory> ProductCategories => Set<ProductCategory>();

    public DbSet<Product> Products => Set<Product>();

    public DbSet<Purchase> Purchases => Set<Purchase>();

    public DbSet<Refund> Refunds => Set<Refund>();
    public DbSet<BackgroundJob> Jobs => Set<BackgroundJob>();

    public DbSet<ScheduledOccurrence> ScheduledOccurrences => Set<ScheduledOccurrence>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<StoredFile> StoredFiles => Set<StoredFile>();

    public DbSet<Import> Imports => Set<Import>();

    public DbSet<ImportReportChunk> ImportReportChunks => Set<ImportReportChunk>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<SmsChannel> SmsChannels => Set<SmsChannel>();
    public DbSet<MessageTemplate> MessageTemplates => Set<MessageTemplate>();

    public DbSet<Automation> Automations => Set<Automation>();

    public DbSet<AutomationRun> AutomationRuns => Set<AutomationRun>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PayvandDb).Assembly);

        builder.Entity<UserBranch>(b =>
        {
            b.HasKey(x => new { x.UserId, x.BranchId });
            b.HasOne<AppUser>().WithMany(u => u.Branches).HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne(x => x.Branch).WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AppUser>(b =>
        {
            b.Property(u => u.DisplayName).HasMaxLength(100);
            b.Property(u => u.TimeZone).HasMaxLength(64);
            b.Property(u => u.Culture).HasMaxLength(10);
        });
        builder.Entity<Branch>(b =>
        {
            b.Property(x => x.Name).HasMaxLength(100);
            b.Property(x => x.Code).HasMaxLength(20);
            b.Property(x => x.City).HasMaxLength(100);
            b.Property(x => x.Version).IsConcurrencyToken();
            b.HasIndex(x => x.Name).IsUnique();
        });
        builder.Entity<PersonalAccessToken>(b =>
        {
            b.Property(t => t.Name).HasMaxLength(100);
            b.Property(t => t.Prefix).HasMaxLength(12);
            b.Property(t => t.Hash).HasMaxLength(64);
            b.HasIndex(t => t.Hash).IsUnique();
            b.HasIndex(t => t.UserId);
            b.HasOne<AppUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AppSetting>(b =>
        {
            b.HasKey(s => s.Key);
            b.Property(s => s.Key).HasMaxLength(100);
        });

        if (Database.IsNpgsql())
        {
            builder.Entity<SearchTerm>().Property(t => t.Term).UseCollation("C");
            builder.Entity<Contact>().Property(c => c.FirstNameKey).UseCollation("C");
            builder.Entity<Contact>().Property(c => c.LastNameKey).UseCollation("C");
            // A people list searched by a common name reads a name index that carries SearchText and tests it there
            // (ListContacts). It is a second index beside the plain (SortName, Id) one, which stays narrow for pages
            // read by offset: page 2,000 skips 100,000 entries, 1.3-1.6 times faster in the narrow one
            // (docs/benchmarks-log.md, finding 11). SQLite has no INCLUDE; there the test reads the row by its rowid.
            builder.Entity<Contact>().HasIndex(c => new { c.SortName, c.Id }, "IX_Contacts_SortName_Id_SearchText")
                .IncludeProperties(c => c.SearchText).HasFilter(ISoftDeletable.LiveRows);
            // People lists filtered by purchase totals test them inside the index they walk: a city's people in name
            // order, or buyers in last-purchase order (docs/benchmarks-log.md, Purchases). SQLite reads the row instead.
            builder.Entity<Contact>().HasIndex(c => new { c.City, c.SortName, c.Id }).IncludeProperties(c => new { c.NetSpent, c.PurchaseCount });
            builder.Entity<Contact>().HasIndex(c => new { c.LastPurchaseAt, c.Id }).IncludeProperties(c => new { c.NetSpent, c.PurchaseCount });
            // Who of everyone can be reached (Reachability) walks live people in id order beside ContactReach and the
            // consents without reading their rows (docs/benchmarks-log.md, Eligibility).
            builder.Entity<Contact>().HasIndex(c => c.Id, "IX_Contacts_Reach").IncludeProperties(c => new { c.DeletedAt, c.BranchId }).HasFilter(ISoftDeletable.LiveRows);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Instants are UTC everywhere; SQLite forgets the kind, so it is restored on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcNullableDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class UtcNullableDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.Value.ToUniversalTime(), DateTimeKind.Utc),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}
