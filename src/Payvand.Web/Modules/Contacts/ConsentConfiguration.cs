using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Payvand.Modules.Contacts;

internal static class ConsentConfiguration
{
    public const int KeyLength = 20;
}

internal sealed class ConsentChannelConfiguration : IEntityTypeConfiguration<ConsentChannel>
{
    public void Configure(EntityTypeBuilder<ConsentChannel> b)
    {
        b.ToTable("Channels");
        b.HasKey(c => c.Key);
        b.Property(c => c.Key).HasMaxLength(ConsentConfiguration.KeyLength);
        b.Property(c => c.Name).HasMaxLength(50);
        b.Property(c => c.Kinds).HasMaxLength(100);
        b.HasIndex(c => c.Bit).IsUnique();
        b.HasData(
            new ConsentChannel { Key = ConsentChannel.Sms, Name = "SMS", Kinds = nameof(ContactPointKind.Mobile), SortOrder = 1, Bit = 0 },
            new ConsentChannel { Key = ConsentChannel.Email, Name = "Email", Kinds = nameof(ContactPointKind.Email), SortOrder = 2, Bit = 1 },
            new ConsentChannel { Key = ConsentChannel.Call, Name = "Call", Kinds = $"{nameof(ContactPointKind.Mobile)},{nameof(ContactPointKind.Phone)}", SortOrder = 3, Bit = 2 },
            new ConsentChannel { Key = ConsentChannel.Fax, Name = "Fax", Kinds = nameof(ContactPointKind.Fax), SortOrder = 4, Bit = 3 });
    }
}

internal sealed class ContactConsentConfiguration : IEntityTypeConfiguration<ContactConsent>
{
    public void Configure(EntityTypeBuilder<ContactConsent> b)
    {
        // The key is the eligibility question's lookup: this person, this channel, this purpose.
        b.HasKey(c => new { c.ContactId, c.Channel, c.Purpose });
        b.Property(c => c.Channel).HasMaxLength(ConsentConfiguration.KeyLength);
        b.Property(c => c.Source).HasMaxLength(100);
        b.HasOne<ConsentChannel>().WithMany().HasForeignKey(c => c.Channel).OnDelete(DeleteBehavior.Restrict);
        // The people list filters by consent on a channel (smsConsent=OptedIn) across everyone.
        b.HasIndex(c => new { c.Channel, c.Purpose, c.Status, c.ContactId });
    }
}

internal sealed class BlockedAddressConfiguration : IEntityTypeConfiguration<BlockedAddress>
{
    public void Configure(EntityTypeBuilder<BlockedAddress> b)
    {
        b.Property(x => x.Address).HasMaxLength(200);
        b.Property(x => x.SenderLine).HasMaxLength(50);
        b.Property(x => x.Source).HasMaxLength(100);
        b.HasIndex(x => new { x.Address, x.SenderLine });
    }
}

internal sealed class PromotionalContactConfiguration : IEntityTypeConfiguration<PromotionalContact>
{
    public void Configure(EntityTypeBuilder<PromotionalContact> b)
    {
        b.Property(x => x.Channel).HasMaxLength(ConsentConfiguration.KeyLength);
        // The cap counts one person's sends on one channel in the last 7 days: one index range.
        b.HasIndex(x => new { x.ContactId, x.Channel, x.SentAt });
        b.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContactReachConfiguration : IEntityTypeConfiguration<ContactReach>
{
    public void Configure(EntityTypeBuilder<ContactReach> b)
    {
        b.ToTable("ContactReach");
        b.HasKey(x => x.ContactId);
        b.Property(x => x.ContactId).ValueGeneratedNever();
        b.HasOne<Contact>().WithOne().HasForeignKey<ContactReach>(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}
