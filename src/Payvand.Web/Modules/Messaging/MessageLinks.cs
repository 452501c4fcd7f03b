using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace Payvand.Modules.Messaging;

// The signed links a message carries: /u/{token} (unsubscribe), /t/c/{token} (a tracked link: redirects only to the
// address signed into the token) and /t/o/{token} (the open pixel). Tokens are ASP.NET Core Data Protection payloads,
// one purpose per kind, so a token of one kind is never read as another and a changed byte is refused; each names the
// message it was made for. Click and open tokens expire (TrackingLifetime); unsubscribe tokens do not (RFC 8058 asks
// that the link keep working). The List-Unsubscribe mailto carries the unsubscribe token in its subject
// ("unsubscribe-{token}"), so a mail sent to it names its message as the link does (EmailBounceMailbox reads it).
public sealed partial class MessageLinks(IDataProtectionProvider protection, MessagingOptions options, IConfiguration configuration)
{
    public static readonly TimeSpan TrackingLifetime = TimeSpan.FromDays(365);

    private IDataProtector Unsubscribes => protection.CreateProtector("Payvand.Messaging.Unsubscribe.v1");

    private ITimeLimitedDataProtector Clicks => protection.CreateProtector("Payvand.Messaging.Click.v1").ToTimeLimitedDataProtector();

    private ITimeLimitedDataProtector Opens => protection.CreateProtector("Payvand.Messaging.Open.v1").ToTimeLimitedDataProtector();

    // The address people reach Payvand at, for links in messages: Payvand:Messaging:PublicUrl, else the first of the
    // addresses the app listens on.
    public string PublicUrl => (options.PublicUrl
        ?? configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
        ?? "http://localhost:5000").TrimEnd('/');

    public string UnsubscribeUrl(long messageId) => $"{PublicUrl}/u/{Encode(Unsubscribes.Protect(Id(messageId)))}";

    // mailto:{address}?subject=unsubscribe-{token}: the List-Unsubscribe mailto of a message.
    public string UnsubscribeMailto(string address, long messageId) =>
        $"mailto:{address}?subject={MailtoSubject}{Encode(Unsubscribes.Protect(Id(messageId)))}";

    public string ClickUrl(long messageId, string target) =>
        $"{PublicUrl}/t/c/{Encode(Clicks.Protect([.. Id(messageId), .. Encoding.UTF8.GetBytes(target)], TrackingLifetime))}";

    public string OpenUrl(long messageId) => $"{PublicUrl}/t/o/{Encode(Opens.Protect(Id(messageId), TrackingLifetime))}";

    public long? ReadUnsubscribe(string token) => Read(token, Unsubscribes.Unprotect) is { Length: 8 } b ? BinaryPrimitives.ReadInt64BigEndian(b) : null;

    // The message an unsubscribe mail names: the first "unsubscribe-{token}" in its subject or text whose token
    // verifies; null when there is none (no token, or a changed or forged one).
    public long? ReadUnsubscribeMail(string? subject, string? text) =>
        new[] { subject, text }.SelectMany(t => MailtoToken().Matches(t ?? "")).Select(m => ReadUnsubscribe(m.Groups[1].Value)).FirstOrDefault(id => id is not null);

    public (long MessageId, string Target)? ReadClick(string token) =>
        Read(token, p => Clicks.Unprotect(p)) is { Length: > 8 } b ? (BinaryPrimitives.ReadInt64BigEndian(b), Encoding.UTF8.GetString(b.AsSpan(8))) : null;

    public long? ReadOpen(string token) => Read(token, p => Opens.Unprotect(p)) is { Length: 8 } b ? BinaryPrimitives.ReadInt64BigEndian(b) : null;

    private static byte[]? Read(string token, Func<byte[], byte[]> unprotect)
    {
        try
        {
            return unprotect(WebEncoders.Base64UrlDecode(token));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null; // changed, expired, or not a token at all
        }
    }

    private static byte[] Id(long messageId)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, messageId);
        return b;
    }

    private static string Encode(byte[] payload) => WebEncoders.Base64UrlEncode(payload);

    private const string MailtoSubject = "unsubscribe-";

    [GeneratedRegex(@"unsubscribe-([A-Za-z0-9_-]{20,})", RegexOptions.IgnoreCase)]
    private static partial Regex MailtoToken();
}
