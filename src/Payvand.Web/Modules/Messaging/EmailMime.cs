using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MimeKit;
using Payvand.Modules.Contacts;

namespace Payvand.Modules.Messaging;

// A message as the MIME an SMTP server is given (MimeKit): plain text, or multipart/alternative with the HTML part;
// the Message-ID made from the message's LocalId, so a copy sent again after a crash is the same message to the
// receiving systems; on promotional mail List-Unsubscribe (the signed page, and a mailto whose subject carries the
// same signed token) with one-click
// List-Unsubscribe-Post (RFC 8058); when asked, the HTML's http(s) links through /t/c/{token} and the open pixel.
public static partial class EmailMime
{
    // Where a template or sender puts the unsubscribe address in the text ({{ unsubscribe_url }}).
    public const string UnsubscribePlaceholder = "{{ unsubscribe_url }}";

    public static string MessageId(long localId, string fromAddress) =>
        $"payvand.{localId.ToString(CultureInfo.InvariantCulture)}@{fromAddress[(fromAddress.LastIndexOf('@') + 1)..]}";

    // The LocalId in a Message-ID this module made ("<payvand.123@example.com>" or without the brackets).
    public static long? LocalIdOf(string? messageId) =>
        messageId is not null && MessageIdPattern().Match(messageId) is { Success: true } m
        && long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static MimeMessage Build(Message m, EmailAccount account, MessageLinks links, DateTime now)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(account.FromName ?? "", account.FromAddress));
        message.To.Add(MailboxAddress.Parse(m.Address!));
        if (account.ReplyTo is { } replyTo) message.ReplyTo.Add(MailboxAddress.Parse(replyTo));
        message.Subject = m.Subject ?? "";
        message.MessageId = MessageId(m.LocalId, account.FromAddress);
        message.Date = new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc));
        var unsubscribe = links.UnsubscribeUrl(m.Id);
        if (m.Purpose == ContactPurpose.Promotional)
        {
            var mailto = links.UnsubscribeMailto(account.ReplyTo ?? account.FromAddress, m.Id);
            message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>, <{mailto}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        var text = new TextPart("plain") { Text = m.Body.Replace(UnsubscribePlaceholder, unsubscribe, StringComparison.Ordinal) };
        if (m.HtmlBody is null)
        {
            message.Body = text;
            return message;
        }

        var html = m.HtmlBody.Replace(UnsubscribePlaceholder, WebUtility.HtmlEncode(unsubscribe), StringComparison.Ordinal);
        if (m.TrackClicks == true) html = TrackLinks(html, target => target == unsubscribe ? target : links.ClickUrl(m.Id, target));
        if (m.TrackOpens == true) html = AddPixel(html, links.OpenUrl(m.Id));
        message.Body = new MultipartAlternative { text, new TextPart("html") { Text = html } };
        return message;
    }

    // Every href to an http(s) address, through the given rewrite; other links (mailto:, tel:, #anchors) stay.
    public static string TrackLinks(string html, Func<string, string> rewrite) => HrefPattern().Replace(html, match =>
    {
        var target = WebUtility.HtmlDecode(match.Groups["url"].Value);
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return match.Value;
        var quote = match.Groups["q"].Value;
        return $"href={quote}{WebUtility.HtmlEncode(rewrite(target))}{quote}";
    });

    private static string AddPixel(string html, string url)
    {
        var pixel = $"<img src=\"{WebUtility.HtmlEncode(url)}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">";
        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return end < 0 ? html + pixel : html.Insert(end, pixel);
    }

    [GeneratedRegex("""href\s*=\s*(?<q>["'])(?<url>[^"']*)\k<q>""", RegexOptions.IgnoreCase)]
    private static partial Regex HrefPattern();

    [GeneratedRegex(@"^<?payvand\.(\d{1,19})@[^>]+>?$")]
    private static partial Regex MessageIdPattern();
}
