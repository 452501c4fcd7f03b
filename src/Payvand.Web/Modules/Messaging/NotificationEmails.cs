using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Notifications;

namespace Payvand.Modules.Messaging;

// Staff notifications by email (ADR 17): the platform's INotificationEmail, written to the outbox in the notification's
// transaction as a transactional email to the user's address, with no person (staff are users, not people), through
// the first enabled email channel; links are not tracked. The text is already in the user's language; the link to the
// notification's page is made absolute with the public address.
public sealed class NotificationEmails(MessageOutbox outbox, MessageLinks links, IStringLocalizer<SharedResource> text, TimeProvider clock) : INotificationEmail
{
    public const string Source = "notifications";

    public Task<bool> Available(PayvandDb db, CancellationToken ct) => db.Set<EmailChannel>().AnyAsync(c => c.Enabled, ct);

    public void Add(PayvandDb db, NotificationEmail email)
    {
        var link = email.Link is null ? null
            : Uri.IsWellFormedUriString(email.Link, UriKind.Absolute) ? email.Link : $"{links.PublicUrl.TrimEnd('/')}/{email.Link.TrimStart('/')}";
        var open = Notifier.InCulture(email.Culture, () => text["Open in Payvand"].Value);
        var body = link is null ? email.Text : $"{email.Text}\n\n{open}: {link}";
        var direction = Cultures.IsPersian(System.Globalization.CultureInfo.GetCultureInfo(email.Culture)) ? "rtl" : "ltr";
        var html = $"<html><body dir=\"{direction}\"><p>{WebUtility.HtmlEncode(email.Text)}</p>"
            + (link is null ? "" : $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(open)}</a></p>")
            + "</body></html>";
        // Made as a person's message would be, then without the person: it is addressed to Address alone.
        var message = MessageOutbox.Create(new OutgoingMessage(0, body, Source)
        {
            Channel = ConsentChannel.Email,
            Purpose = ContactPurpose.Transactional,
            Address = email.Address,
            Subject = email.Subject.Length > MessageOutbox.MaxSubjectLength ? email.Subject[..MessageOutbox.MaxSubjectLength] : email.Subject,
            HtmlBody = html,
            TrackClicks = false,
            TrackOpens = false,
        }, clock.GetUtcNow().UtcDateTime);
        message.ContactId = null;
        db.Add(message);
        outbox.Wake();
    }
}
