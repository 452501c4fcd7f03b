using System.Net.Mail;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Messaging;

// What /api/channels/email shows of an SMTP account: never the password or the webhook secret, only whether they are set.
public sealed record EmailChannelView(
    int Id, string Key, string Name, string Host, int Port, EmailTls Tls, string? UserName, bool PasswordSet,
    string FromAddress, string? FromName, string? ReplyTo, int RatePerSecond, bool TrackClicks, bool TrackOpens,
    bool WebhookSecretSet, bool Enabled, string WebhookPath);

// A new or changed account. Password and WebhookSecret left out (null or empty) keep the stored ones.
public sealed record EmailChannelInput(
    string? Key, string? Name, string? Host, int? Port, EmailTls Tls = EmailTls.Auto, string? UserName = null, string? Password = null,
    string? FromAddress = null, string? FromName = null, string? ReplyTo = null, int? RatePerSecond = null, bool TrackClicks = false,
    bool TrackOpens = false, string? WebhookSecret = null, bool Enabled = true);

// Where and as whom an SMTP connection is made: from an EmailChannel, the password unprotected for the connection only.
public sealed record EmailAccount(string Host, int Port, EmailTls Tls, string? UserName, string? Password, string FromAddress, string? FromName, string? ReplyTo);

// SMTP accounts: saved with their secrets protected by ASP.NET Core Data Protection, read back for a connection.
public sealed partial class EmailChannels(
    IDbContextFactory<PayvandDb> dbFactory, IDataProtectionProvider protection, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    private IDataProtector Protector => protection.CreateProtector("Payvand.Messaging.EmailChannel.v1");

    public EmailAccount Account(EmailChannel c) => new(
        c.Host, c.Port, c.Tls, c.UserName, c.ProtectedPassword is null ? null : Protector.Unprotect(c.ProtectedPassword), c.FromAddress, c.FromName, c.ReplyTo);

    // Whether a webhook call's secret is this channel's, compared in constant time.
    public bool SecretMatches(EmailChannel channel, string? secret) => WebhookSecret.Matches(Protector, channel.ProtectedWebhookSecret, secret);

    public static EmailChannelView View(EmailChannel c) => new(
        c.Id, c.Key, c.Name, c.Host, c.Port, c.Tls, c.UserName, c.ProtectedPassword is not null, c.FromAddress, c.FromName, c.ReplyTo,
        c.RatePerSecond, c.TrackClicks, c.TrackOpens, c.ProtectedWebhookSecret is not null, c.Enabled, $"/hooks/email/{c.Key}");

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
        var v = Validate(input);
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
        channel.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return View(channel);
    }

    private Validator Validate(EmailChannelInput input)
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
        return v;
    }

    public static bool IsAddress(string value) =>
        MailAddress.TryCreate(value.Trim(), out var parsed) && parsed.Address == value.Trim() && value.Contains('.', StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9-]{1,50}$")]
    private static partial Regex KeyPattern();
}
