using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Messaging;

// The public pages a message links to, signed by MessageLinks and rate-limited, with no sign-in:
// /u/{token}: GET shows a page (in the reader's language, RTL in Persian) with one button; POST (the button, or a mail
// provider's one-click "List-Unsubscribe=One-Click" per RFC 8058, without cookies or an antiforgery token) opts the
// person out of promotional messages on the message's channel through their consent (history, source
// "unsubscribe-link"); doing it again changes nothing. A token that does not verify is 404.
// /t/c/{token}: counts the click and redirects to the address signed into the token, and only there.
// /t/o/{token}: counts the open and answers a transparent 1x1 GIF.
public static class PublicMessageLinks
{
    public const string Source = "unsubscribe-link";

    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static async Task<IResult> Page(string token, MessageLinks links, IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text, CancellationToken ct)
    {
        if (links.ReadUnsubscribe(token) is not { } id) return NotFound(text);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var message = await db.Messages.AsNoTracking().Where(m => m.Id == id).Select(m => new { m.Channel, m.ContactId }).SingleOrDefaultAsync(ct);
        if (message is null) return NotFound(text);
        var channel = text[$"Channel.{message.Channel}"].Value;
        var form = $"""
            <p>{Html(text["Do you want to stop receiving promotional messages by {0}?", channel])}</p>
            <form method="post"><button type="submit" data-testid="unsubscribe">{Html(text["Unsubscribe"])}</button></form>
            """;
        return Document(text["Unsubscribe"], form, StatusCodes.Status200OK);
    }

    public static async Task<IResult> Confirm(
        string token, MessageLinks links, IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken ct)
    {
        if (links.ReadUnsubscribe(token) is not { } id) return NotFound(text);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await OptOut(db, id, Source, clock.GetUtcNow().UtcDateTime, ct) is not { } messageChannel) return NotFound(text);
        var channel = text[$"Channel.{messageChannel}"].Value;
        var done = $"""<p data-testid="unsubscribed">{Html(text["You are unsubscribed: no more promotional messages by {0} will be sent to you.", channel])}</p>""";
        return Document(text["Unsubscribed"], done, StatusCodes.Status200OK);
    }

    // Opts the person of a message out of promotional messages on the message's channel, through their consent with
    // the given source, and saves; nothing when they are out already. The message's channel, or null when there is no
    // such message. The one-click POST and a mail to the List-Unsubscribe mailto (EmailBounceMailbox) both come here.
    public static async Task<string?> OptOut(PayvandDb db, long messageId, string source, DateTime now, CancellationToken ct)
    {
        var message = await db.Messages.AsNoTracking().Where(m => m.Id == messageId).Select(m => new { m.Channel, m.ContactId }).SingleOrDefaultAsync(ct);
        if (message is null) return null;
        var person = await db.Contacts.Include(c => c.Consents).SingleOrDefaultAsync(c => c.Id == message.ContactId, ct);
        if (person is not null && person.ConsentFor(message.Channel, ContactPurpose.Promotional) != ConsentStatus.OptedOut)
        {
            person.SetConsent(message.Channel, ContactPurpose.Promotional, ConsentStatus.OptedOut, source, now, null,
                $"message {messageId.ToString(CultureInfo.InvariantCulture)}");
            await db.SaveChangesAsync(ct);
        }

        return message.Channel;
    }

    public static async Task<IResult> Click(string token, MessageLinks links, EmailEvents events, CancellationToken ct)
    {
        if (links.ReadClick(token) is not { } click || !Uri.TryCreate(click.Target, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
        {
            return TypedResults.NotFound();
        }

        await events.Engaged(click.MessageId, click: true, click.Target, ct);
        return TypedResults.Redirect(target.AbsoluteUri);
    }

    public static async Task<IResult> Open(string token, MessageLinks links, EmailEvents events, CancellationToken ct)
    {
        if (links.ReadOpen(token) is not { } id) return TypedResults.NotFound();
        await events.Engaged(id, click: false, null, ct);
        return TypedResults.File(Pixel, "image/gif");
    }

    private static ContentHttpResult NotFound(IStringLocalizer<SharedResource> text) =>
        Document(text["Link not valid"], $"<p>{Html(text["This link is not valid. Copy the whole link from the message, or ask us to unsubscribe you."])}</p>", StatusCodes.Status404NotFound);

    private static ContentHttpResult Document(string title, string body, int status)
    {
        var culture = CultureInfo.CurrentUICulture;
        var html = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"{culture.TwoLetterISOLanguageName}\" dir=\"{(culture.TextInfo.IsRightToLeft ? "rtl" : "ltr")}\">")
            .Append("<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">")
            .Append(CultureInfo.InvariantCulture, $"<title>{Html(title)}</title><link rel=\"stylesheet\" href=\"/app.css\">")
            .Append("<style>body{margin:0;background:#f5f5f5}main{max-width:32rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;line-height:1.8}")
            .Append("button{font:inherit;padding:.5rem 1.5rem;border:0;border-radius:4px;background:#1565c0;color:#fff;cursor:pointer}</style></head>")
            .Append(CultureInfo.InvariantCulture, $"<body><main><h1>{Html(title)}</h1>{body}</main></body></html>")
            .ToString();
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static string Html(string s) => WebUtility.HtmlEncode(s);
}
