using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Platform.Data;

namespace Payvand.Modules.Messaging;

// How the SMTP connection is secured: Auto takes TLS on connect for port 465 and STARTTLS when the server offers it.
public enum EmailTls
{
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

public static class EmailTlsSockets
{
    // How MailKit connects (SMTP and IMAP alike) for a channel's TLS setting.
    public static SecureSocketOptions Socket(this EmailTls tls) => tls switch
    {
        EmailTls.None => SecureSocketOptions.None,
        EmailTls.StartTls => SecureSocketOptions.StartTls,
        EmailTls.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}

// An SMTP account to send email with: server, port, TLS, user name and password (protected with ASP.NET Core Data
// Protection like SmsChannel's API key: never returned, logged or audited), the From and Reply-To, a rate, whether
// click tracking and the open pixel are on when a message does not say, the secret of its bounce webhook
// (/hooks/email/{key}) and, optionally, the IMAP mailbox its bounces and complaints arrive in (EmailBounceMailbox reads
// it; its password protected like the SMTP one), with the outcome of the last reading.
public sealed class EmailChannel : IAudited
{
    public const int DefaultRatePerSecond = 10;
    public const int DefaultBouncePort = 993;
    public const string DefaultBounceFolder = "INBOX";

    public int Id { get; set; }

    public required string Key { get; set; }

    public required string Name { get; set; }

    public required string Host { get; set; }

    public int Port { get; set; } = 587;

    public EmailTls Tls { get; set; }

    public string? UserName { get; set; }

    public string? ProtectedPassword { get; set; }

    public required string FromAddress { get; set; }

    public string? FromName { get; set; }

    public string? ReplyTo { get; set; }

    public int RatePerSecond { get; set; } = DefaultRatePerSecond;

    public bool TrackClicks { get; set; }

    public bool TrackOpens { get; set; }

    public string? ProtectedWebhookSecret { get; set; }

    public bool Enabled { get; set; } = true;

    // The bounce mailbox: none when BounceHost is null.
    public string? BounceHost { get; set; }

    public int BouncePort { get; set; } = DefaultBouncePort;

    public EmailTls BounceTls { get; set; }

    public string? BounceUserName { get; set; }

    public string? ProtectedBouncePassword { get; set; }

    public string BounceFolder { get; set; } = DefaultBounceFolder;

    // When the mailbox was last read and, when that failed, why (no connection, a refused sign-in...).
    public DateTime? BounceCheckedAt { get; set; }

    public string? BounceError { get; set; }

    public DateTime UpdatedAt { get; set; }
}

internal sealed class EmailChannelConfiguration : IEntityTypeConfiguration<EmailChannel>
{
    public void Configure(EntityTypeBuilder<EmailChannel> b)
    {
        b.ToTable("EmailChannels");
        b.Property(c => c.Key).HasMaxLength(50);
        b.Property(c => c.Name).HasMaxLength(100);
        b.Property(c => c.Host).HasMaxLength(255);
        b.Property(c => c.Tls).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.UserName).HasMaxLength(255);
        // Ciphertext of secrets stays out of the audit trail.
        b.Property(c => c.ProtectedPassword).HasMaxLength(2000).HasAnnotation(PayvandSaveChangesInterceptor.NotAudited, true);
        b.Property(c => c.ProtectedWebhookSecret).HasMaxLength(2000).HasAnnotation(PayvandSaveChangesInterceptor.NotAudited, true);
        b.Property(c => c.FromAddress).HasMaxLength(255);
        b.Property(c => c.FromName).HasMaxLength(100);
        b.Property(c => c.ReplyTo).HasMaxLength(255);
        b.Property(c => c.BounceHost).HasMaxLength(255);
        b.Property(c => c.BounceTls).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.BounceUserName).HasMaxLength(255);
        b.Property(c => c.ProtectedBouncePassword).HasMaxLength(2000).HasAnnotation(PayvandSaveChangesInterceptor.NotAudited, true);
        b.Property(c => c.BounceFolder).HasMaxLength(255);
        // The reading's outcome is a state, not a setting: kept out of the audit trail.
        b.Property(c => c.BounceCheckedAt).HasAnnotation(PayvandSaveChangesInterceptor.NotAudited, true);
        b.Property(c => c.BounceError).HasMaxLength(500).HasAnnotation(PayvandSaveChangesInterceptor.NotAudited, true);
        b.HasIndex(c => c.Key).IsUnique();
    }
}
