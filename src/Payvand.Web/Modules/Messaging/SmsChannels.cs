using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Messaging;

// What /api/channels shows of a gateway account: never the API key or the webhook secret, only whether they are set
// (and the key's last four characters).
public sealed record SmsChannelView(
    int Id, string Key, string Name, string Provider, string BaseUrl, bool ApiKeySet, string? ApiKeyLast4,
    IReadOnlyList<string> Lines, bool WebhookSecretSet, int RatePerSecond, string OptOutText, bool Enabled, string WebhookPath);

// A new or changed account. ApiKey and WebhookSecret left out (null) keep the stored ones.
public sealed record SmsChannelInput(
    string? Key, string? Name, string? Provider, string? BaseUrl, string? ApiKey, IReadOnlyList<string>? Lines,
    string? WebhookSecret, int? RatePerSecond, string? OptOutText, bool Enabled = true);

// SMS gateway accounts: saved with their secrets protected by ASP.NET Core Data Protection, read back for a call.
public sealed partial class SmsChannels(
    IDbContextFactory<PayvandDb> dbFactory, IDataProtectionProvider protection, IEnumerable<ISmsGateway> gateways,
    TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    private IDataProtector Protector => protection.CreateProtector("Payvand.Messaging.SmsChannel.v1");

    public IReadOnlyList<string> Providers => [.. gateways.Select(g => g.Provider)];

    public ISmsGateway? Gateway(string provider) => gateways.FirstOrDefault(g => g.Provider == provider);

    public SmsAccount Account(SmsChannel channel) =>
        new(channel.BaseUrl, channel.ProtectedApiKey is null ? "" : Protector.Unprotect(channel.ProtectedApiKey));

    // Whether a webhook call's secret is this channel's, compared in constant time.
    public bool SecretMatches(SmsChannel channel, string? secret) => WebhookSecret.Matches(Protector, channel.ProtectedWebhookSecret, secret);

    public static SmsChannelView View(SmsChannel c) => new(
        c.Id, c.Key, c.Name, c.Provider, c.BaseUrl, c.ProtectedApiKey is not null, c.ApiKeyLast4, c.LineList(),
        c.ProtectedWebhookSecret is not null, c.RatePerSecond, c.OptOutText, c.Enabled, $"/hooks/sms/{c.Provider}/{c.Key}");

    public async Task<List<SmsChannelView>> List(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Set<SmsChannel>().AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct)).Select(View).ToList();
    }

    public async Task<SmsChannelView?> Get(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channel = await db.Set<SmsChannel>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        return channel is null ? null : View(channel);
    }

    // Creates (id null) or changes an account; null when there is no account with the id.
    public async Task<SmsChannelView?> Save(int? id, SmsChannelInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channel = id is null ? null : await db.Set<SmsChannel>().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (id is not null && channel is null) return null;
        var v = Validate(input, creating: channel is null);
        var key = input.Key?.Trim().ToLowerInvariant() ?? "";
        if (!v.HasErrors && await db.Set<SmsChannel>().AnyAsync(c => c.Key == key && c.Id != (id ?? 0), ct))
        {
            v.Add("key", "Another SMS channel already has this key.");
        }

        v.ThrowIfAny();
        channel ??= db.Add(new SmsChannel { Key = key, Name = "", Provider = "", BaseUrl = "" }).Entity;
        channel.Key = key;
        channel.Name = input.Name!.Trim();
        channel.Provider = input.Provider?.Trim().ToLowerInvariant() ?? KavenegarGateway.Name;
        channel.BaseUrl = input.BaseUrl!.Trim();
        channel.Lines = string.Join(',', input.Lines!.Select(l => PersianText.ToLatinDigits(l.Trim())));
        channel.RatePerSecond = input.RatePerSecond ?? channel.RatePerSecond;
        channel.OptOutText = input.OptOutText?.Trim() is { Length: > 0 } optOut ? optOut : channel.OptOutText;
        channel.Enabled = input.Enabled;
        if (!string.IsNullOrWhiteSpace(input.ApiKey))
        {
            var apiKey = input.ApiKey.Trim();
            channel.ProtectedApiKey = Protector.Protect(apiKey);
            channel.ApiKeyLast4 = apiKey.Length >= 8 ? apiKey[^4..] : null;
        }

        if (!string.IsNullOrWhiteSpace(input.WebhookSecret)) channel.ProtectedWebhookSecret = Protector.Protect(input.WebhookSecret.Trim());
        channel.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return View(channel);
    }

    private Validator Validate(SmsChannelInput input, bool creating)
    {
        var v = new Validator(text)
            .Required("key", input.Key, "Key").MaxLength("key", input.Key, 50, "Key")
            .Required("name", input.Name, "Name").MaxLength("name", input.Name, 100, "Name")
            .Required("baseUrl", input.BaseUrl, "Base URL").MaxLength("baseUrl", input.BaseUrl, 300, "Base URL")
            .MaxLength("apiKey", input.ApiKey, 200, "API key")
            .MaxLength("webhookSecret", input.WebhookSecret, 200, "Webhook secret")
            .MaxLength("optOutText", input.OptOutText, 100, "Opt-out text");
        if (input.Key is { } key && !KeyPattern().IsMatch(key.Trim().ToLowerInvariant())) v.Add("key", "{0} may hold only Latin letters, digits and hyphens.", text["Key"]);
        if (input.Provider is { } provider && Gateway(provider.Trim().ToLowerInvariant()) is null) v.Add("provider", "{0} must be one of: {1}.", text["Provider"], string.Join(", ", Providers));
        if (input.BaseUrl is { Length: > 0 } url && !(Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")) v.Add("baseUrl", "{0} must be an http or https address.", text["Base URL"]);
        if (creating && string.IsNullOrWhiteSpace(input.ApiKey)) v.Add("apiKey", "{0} is required.", text["API key"]);
        if (input.Lines is null || input.Lines.Count == 0) v.Add("lines", "{0} is required.", text["Sender lines"]);
        else if (input.Lines.Count > 20) v.Add("lines", "{0} must have at most {1} items.", text["Sender lines"], 20);
        else if (input.Lines.Any(l => !LinePattern().IsMatch(PersianText.ToLatinDigits(l?.Trim() ?? "")))) v.Add("lines", "Each sender line is a number of 4 to 20 digits.");
        if (input.RatePerSecond is < 1 or > 1000) v.Add("ratePerSecond", "{0} must be between {1} and {2}.", text["Messages per second per line"], 1, 1000);
        return v;
    }

    [GeneratedRegex("^[a-z0-9-]{1,50}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^\d{4,20}$")]
    private static partial Regex LinePattern();
}
