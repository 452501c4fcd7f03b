using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Platform.Data;

namespace Payvand.Modules.Messaging;

// A gateway account to send SMS with: its provider (kavenegar), base URL, API key (protected with ASP.NET Core Data
// Protection, never returned or logged: ApiKeyLast4 is what is shown), sender lines, the secret its webhook calls carry,
// a rate per line and the opt-out text promotional messages end with. Key names it in /hooks/sms/{provider}/{key}.
public sealed class SmsChannel : IAudited
{
    public const string DefaultOptOutText = "لغو۱۱";
    public const int DefaultRatePerSecond = 50;

    public int Id { get; set; }

    public required string Key { get; set; }

    public required string Name { get; set; }

    public required string Provider { get; set; }

    public required string BaseUrl { get; set; }

    public string? ProtectedApiKey { get; set; }

    public string? ApiKeyLast4 { get; set; }

    public string? ProtectedWebhookSecret { get; set; }

    // Sender line numbers, comma-separated; the first is used when a message names none.
    public string Lines { get; set; } = "";

    public int RatePerSecond { get; set; } = DefaultRatePerSecond;

    public string OptOutText { get; set; } = DefaultOptOutText;

    public bool Enabled { get; set; } = true;

    public DateTime UpdatedAt { get; set; }

    // The line used when a message names none.
    public string? FirstLine() => LineList() is [var first, ..] ? first : null;

    public IReadOnlyList<string> LineList() =>
        Lines.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

internal sealed class SmsChannelConfiguration : IEntityTypeConfiguration<SmsChannel>
{
    public void Configure(EntityTypeBuilder<SmsChannel> b)
    {
        b.ToTable("SmsChannels");
        b.Property(c => c.Key).HasMaxLength(50);
        b.Property(c => c.Name).HasMaxLength(100);
        b.Property(c => c.Provider).HasMaxLength(30);
        b.Property(c => c.BaseUrl).HasMaxLength(300);
        // Ciphertext of secrets stays out of the audit trail; the last four characters of the key are audited instead.
        b.Property(c => c.ProtectedApiKey).HasMaxLength(2000).HasAnnotation(PayvandSaveChangesInterceptor.NotAudited, true);
        b.Property(c => c.ApiKeyLast4).HasMaxLength(4);
        b.Property(c => c.ProtectedWebhookSecret).HasMaxLength(2000).HasAnnotation(PayvandSaveChangesInterceptor.NotAudited, true);
        b.Property(c => c.Lines).HasMaxLength(500);
        b.Property(c => c.OptOutText).HasMaxLength(100);
        b.HasIndex(c => c.Key).IsUnique();
    }
}
