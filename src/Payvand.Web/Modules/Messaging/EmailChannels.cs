using System.Net.Mail;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Messaging;

// What /api/channels/email shows of an SMTP account: never the passwords or the webhook secret, only whether they are
// set; of its bounce mailbox (IMAP, none when bounceHost is null) also when it was last read and the error, if any.
public sealed record EmailChannelView(
    int Id, string Key, string Name, string Host, int Port, EmailTls Tls, string? UserName, bool PasswordSet,
    string FromAddress, string? FromName, string? ReplyTo, int RatePerSecond, bool TrackClicks, bool TrackOpens,
    bool WebhookSecretSet, bool Enabled, string WebhookPath,
    string? BounceHost, int BouncePort, EmailTls BounceTls, string? BounceUserName, bool BouncePasswordSet, string BounceFolder,
    DateTime? BounceCheckedAt, string? BounceError);

// A new or changed account. Password, WebhookSecret and BouncePassword left out (null or empty) keep the stored ones;
// BounceHost left out removes the bounce mailbox.
public sealed record EmailChannelInput(
    string? Key, string? Name, string? Host, int? Port, EmailTls Tls = EmailTls.Auto, string? UserName = null, string? Password = null,
    string? FromAddress = null, string? FromName = null, string? ReplyTo = null, int? RatePerSecond = null, bool TrackClicks = false,
    bool TrackOpens = false, string? WebhookSecret = null, bool Enabled = true,
    string? BounceHost = null, int? BouncePort = null, EmailTls BounceTls = EmailTls.Auto, string? BounceUserName = null,
    string? BouncePassword = null, string? BounceFolder = null);

// Where and as whom an SMTP connection is made: from an EmailChannel, the password unprotected for the connection only.
public sealed record EmailAccount(string Host, int Port, EmailTls Tls, string? UserName, string? Password, string FromAddress, string? FromName, string? ReplyTo);

// Where and as whom the bounce mailbox is read (IMAP), the password unprotected for the connection only.
public sealed record BounceMailboxAccount(string Host, int Port, EmailTls Tls, string UserName, string Password, string Folder)
{
    // Never the password, should the record be logged.
    public override string ToString() => $"{UserName}@{Host}:{Port}/{Folder}";
}

// SMTP accounts: saved with their secrets protected by ASP.NET Core Data Protection, read back for a connection.
public sealed partial class EmailChannels(
    IDbContextFactory<PayvandDb> dbFactory, IDataProtectionProvider protection, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    private IDataProtector Protector => protection.CreateProtector("Payvand.Messaging.EmailChannel.v1");

    public EmailAccount Account(EmailChannel c) => new(
        c.Host, c.Port, c.Tls, c.UserName, c.ProtectedPassword is null ? null : Protector.Unprotect(c.ProtectedPassword), c.FromAddress, c.FromName, c.ReplyTo);

    // The channel's bounce mailbox, null when it has none.
    public BounceMailboxAccount? BounceAccount(EmailChannel c) =>
        c is { BounceHost: { } host, BounceUserName: { } user, ProtectedBouncePassword: { } password }
            ? new(host, c.BouncePort, c.BounceTls, user, Protector.Unprotect(password), c.BounceFolder)
            : null;

    // Whether a webhook call's secret is this channel's, compared in constant time.
    public bool SecretMatches(EmailChannel channel, string? secret) => WebhookSecret.Matches(Protector, channel.ProtectedWebhookSecret, secret);

    public static EmailChannelView View(EmailChannel c) => new(
        c.Id, c.Key, c.Name, c.Host, c.Port, c.Tls, c.UserName, c.ProtectedPassword is not null, c.FromAddress, c.FromName, c.ReplyTo,
        c.RatePerSecond, c.TrackClicks, c.TrackOpens, c.ProtectedWebhookSecret is not null, c.Enabled, $"/hooks/email/{c.Key}",
        c.BounceHost, c.BouncePort, c.BounceTls, c.BounceUserName, c.ProtectedBouncePassword is not null, c.BounceFolder, c.BounceCheckedAt, c.BounceError);

    public async Task<List<EmailChannelView>> List(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Set<EmailChannel>().AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct)).Select(View).ToList();
    }

    public async Task<EmailChannelView?> Get(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channel = await db.Set<EmailChannel>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        return channel is null ? null : View(channel);
    }

    // Creates (id null) or changes an account; null when there is no account with the id.
    public async Task<EmailChannelView?> Save(int? id, EmailChannelInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channel = id is null ? null : await db.Set<EmailChannel>().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (id is not null && channel is null) return null;
        var v = Validate(input, channel?.ProtectedBouncePassword is not null);
        var key = input.Key?.Trim().ToLowerInvariant() ?? "";
        if (!v.HasErrors && await db.Set<EmailChannel>().AnyAsync(c => c.Key == key && c.Id != (id ?? 0), ct))
        {
            v.Add("key", "Another email channel already has this key.");
        }

        v.ThrowIfAny();
        channel ??= db.Add(new EmailChannel { Key = key, Name = "", Host = "", FromAddress = "" }).Entity;
        channel.Key = key;
        channel.Name = input.Name!.Trim();
        channel.Host = input.Host!.Trim();
        channel.Port = input.Port ?? channel.Port;
        channel.Tls = input.Tls;
        channel.UserName = string.IsNullOrWhiteSpace(input.UserName) ? null : input.UserName.Trim();
        channel.FromAddress = input.FromAddress!.Trim().ToLowerInvariant();
        channel.FromName = string.IsNullOrWhiteSpace(input.FromName) ? null : input.FromName.Trim();
        channel.ReplyTo = string.IsNullOrWhiteSpace(input.ReplyTo) ? null : input.ReplyTo.Trim().ToLowerInvariant();
        channel.RatePerSecond = input.RatePerSecond ?? channel.RatePerSecond;
        channel.TrackClicks = input.TrackClicks;
        channel.TrackOpens = input.TrackOpens;
        channel.Enabled = input.Enabled;
        if (!string.IsNullOrEmpty(input.Password)) channel.ProtectedPassword = Protector.Protect(input.Password);
        if (channel.UserName is null) channel.ProtectedPassword = null;
        if (!string.IsNullOrWhiteSpace(input.WebhookSecret)) channel.ProtectedWebhookSecret = Protector.Protect(input.WebhookSecret.Trim());
        SaveBounceMailbox(channel, input);
        channel.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return View(channel);
    }

    private void SaveBounceMailbox(EmailChannel channel, EmailChannelInput input)
    {
        var host = string.IsNullOrWhiteSpace(input.BounceHost) ? null : input.BounceHost.Trim();
        var user = host is null ? null : input.BounceUserName!.Trim();
        if (host != channel.BounceHost || user != channel.BounceUserName || input.BouncePort is { } p && p != channel.BouncePort
            || input.BounceTls != channel.BounceTls || !string.IsNullOrEmpty(input.BouncePassword))
        {
            // Another mailbox or sign-in: what was said of the last reading does not hold.
            (channel.BounceCheckedAt, channel.BounceError) = (null, null);
        }

        channel.BounceHost = host;
        channel.BounceUserName = user;
        channel.BouncePort = input.BouncePort ?? channel.BouncePort;
        channel.BounceTls = input.BounceTls;
        channel.BounceFolder = string.IsNullOrWhiteSpace(input.BounceFolder) ? EmailChannel.DefaultBounceFolder : input.BounceFolder.Trim();
        if (host is null) channel.ProtectedBouncePassword = null;
        else if (!string.IsNullOrEmpty(input.BouncePassword)) channel.ProtectedBouncePassword = Protector.Protect(input.BouncePassword);
    }

    private Validator Validate(EmailChannelInput input, bool bouncePasswordStored)
    {
        var v = new Validator(text)
            .Required("key", input.Key, "Key").MaxLength("key", input.Key, 50, "Key")
            .Required("name", input.Name, "Name").MaxLength("name", input.Name, 100, "Name")
            .Required("host", input.Host, "SMTP server").MaxLength("host", input.Host, 255, "SMTP server")
            .MaxLength("userName", input.UserName, 255, "User name")
            .MaxLength("password", input.Password, 500, "Password")
            .Required("fromAddress", input.FromAddress, "From address").MaxLength("fromAddress", input.FromAddress, 255, "From address")
            .MaxLength("fromName", input.FromName, 100, "From name")
            .MaxLength("replyTo", input.ReplyTo, 255, "Reply-to address")
            .MaxLength("webhookSecret", input.WebhookSecret, 200, "Webhook secret");
        if (input.Key is { } key && !KeyPattern().IsMatch(key.Trim().ToLowerInvariant())) v.Add("key", "{0} may hold only Latin letters, digits and hyphens.", text["Key"]);
        if (input.Host is { Length: > 0 } host && Uri.CheckHostName(host.Trim()) == UriHostNameType.Unknown) v.Add("host", "{0} must be a host name or an IP address.", text["SMTP server"]);
        if (input.Port is < 1 or > 65535) v.Add("port", "{0} must be between {1} and {2}.", text["Port"], 1, 65535);
        if (!Enum.IsDefined(input.Tls)) v.Add("tls", "{0} must be one of: {1}.", text["TLS"], string.Join(", ", Enum.GetNames<EmailTls>()));
        if (input.FromAddress is { Length: > 0 } from && !IsAddress(from)) v.Add("fromAddress", "The email address is not valid.");
        if (input.ReplyTo is { Length: > 0 } reply && !IsAddress(reply)) v.Add("replyTo", "The email address is not valid.");
        if (input.RatePerSecond is < 1 or > 1000) v.Add("ratePerSecond", "{0} must be between {1} and {2}.", text["Messages per second"], 1, 1000);
        if (!string.IsNullOrWhiteSpace(input.BounceHost)) ValidateBounceMailbox(v, input, bouncePasswordStored);
        return v;
    }

    // The bounce mailbox, when one is given: a server, a port, a sign-in (the password once, then kept) and a folder.
    private void ValidateBounceMailbox(Validator v, EmailChannelInput input, bool passwordStored)
    {
        v.MaxLength("bounceHost", input.BounceHost, 255, "IMAP server")
            .Required("bounceUserName", input.BounceUserName, "IMAP user name").MaxLength("bounceUserName", input.BounceUserName, 255, "IMAP user name")
            .MaxLength("bouncePassword", input.BouncePassword, 500, "IMAP password")
            .MaxLength("bounceFolder", input.BounceFolder, 255, "Folder");
        if (Uri.CheckHostName(input.BounceHost!.Trim()) == UriHostNameType.Unknown) v.Add("bounceHost", "{0} must be a host name or an IP address.", text["IMAP server"]);
        if (input.BouncePort is < 1 or > 65535) v.Add("bouncePort", "{0} must be between {1} and {2}.", text["Port"], 1, 65535);
        if (!Enum.IsDefined(input.BounceTls)) v.Add("bounceTls", "{0} must be one of: {1}.", text["TLS"], string.Join(", ", Enum.GetNames<EmailTls>()));
        if (string.IsNullOrEmpty(input.BouncePassword) && !passwordStored) v.Add("bouncePassword", "{0} is required.", text["IMAP password"]);
        if (input.BounceFolder is { } folder && folder.Any(char.IsControl)) v.Add("bounceFolder", "{0} may not hold control characters.", text["Folder"]);
    }

    public static bool IsAddress(string value) =>
        MailAddress.TryCreate(value.Trim(), out var parsed) && parsed.Address == value.Trim() && value.Contains('.', StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9-]{1,50}$")]
    private static partial Regex KeyPattern();
}
