using MimeKit;

namespace Payvand.Modules.Messaging;

// Reads a mail of the bounce mailbox as the events the webhook takes (EmailEvents.Event), with MimeKit:
// - a delivery status notification (RFC 3464, multipart/report; report-type=delivery-status): each recipient whose
//   Action is "failed" is a bounce, hard unless its Status is 4.x.x; "delayed" is a soft bounce; "delivered",
//   "relayed" and "expanded" are nothing to act on;
// - a feedback report (ARF, RFC 5965, multipart/report; report-type=feedback-report) of type abuse or fraud is a
//   complaint; other types (not-spam, virus, other) are nothing to act on.
// The message is named by the Message-ID of the original, in the report's text/rfc822-headers or message/rfc822 part;
// a report without it names the recipient instead (Final-Recipient, or the feedback's Original-Rcpt-To or the
// original's To), which EmailEvents matches to the last email sent there.
public static class EmailReports
{
    // The report's events (none when it reports nothing to act on), or null when the mail is no report read here.
    public static IReadOnlyList<EmailEvents.Event>? Read(MimeMessage mail)
    {
        var report = mail.Body as MultipartReport ?? (mail.Body as Multipart)?.OfType<MultipartReport>().FirstOrDefault();
        if (report is null) return null;
        var original = report.OfType<MessagePart>().FirstOrDefault()?.Message;
        // A Message-ID longer than any Payvand makes is someone else's (and is not stored as evidence).
        var messageId = original?.MessageId is { Length: > 0 and <= 250 } id ? $"<{id}>" : original?.MessageId is { Length: > 0 } ? "<foreign>" : null;
        return report.ReportType?.Trim().ToLowerInvariant() switch
        {
            "delivery-status" => report.OfType<MessageDeliveryStatus>().FirstOrDefault() is { } status ? Bounces(status, messageId) : null,
            "feedback-report" => report.OfType<MessageFeedbackReport>().FirstOrDefault() is { } feedback ? Complaint(feedback, original, messageId) : null,
            _ => null,
        };
    }

    private static List<EmailEvents.Event> Bounces(MessageDeliveryStatus status, string? messageId)
    {
        var events = new List<EmailEvents.Event>();
        foreach (var group in status.StatusGroups)
        {
            var action = group["Action"]?.Trim().ToLowerInvariant();
            var code = group["Status"]?.Trim();
            var temporary = code?.StartsWith('4') == true;
            if (action is not ("failed" or "delayed")) continue;
            var recipient = Address(group["Final-Recipient"]) ?? Address(group["Original-Recipient"]);
            var reason = AfterType(group["Diagnostic-Code"]) ?? (code is null ? null : $"Status {code}");
            events.Add(new EmailEvents.Event("bounce", messageId, action == "failed" && !temporary, recipient, reason));
        }

        return events;
    }

    private static List<EmailEvents.Event> Complaint(MessageFeedbackReport feedback, MimeMessage? original, string? messageId)
    {
        var type = feedback.Fields["Feedback-Type"]?.Trim().ToLowerInvariant();
        if (type is not ("abuse" or "fraud")) return [];
        var recipient = Address(feedback.Fields["Original-Rcpt-To"]) ?? original?.To.Mailboxes.FirstOrDefault()?.Address;
        return [new EmailEvents.Event("complaint", messageId, null, recipient?.ToLowerInvariant(), $"Complaint ({type}) from {AfterType(feedback.Fields["User-Agent"]) ?? "the mailbox provider"}.")];
    }

    // "rfc822; Someone@Example.com" → "someone@example.com"; null for another address type or no address.
    private static string? Address(string? field)
    {
        if (string.IsNullOrWhiteSpace(field)) return null;
        var semicolon = field.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0 && !field[..semicolon].Trim().Equals("rfc822", StringComparison.OrdinalIgnoreCase)) return null;
        var address = field[(semicolon + 1)..].Trim().Trim('<', '>').Trim();
        return address.Contains('@', StringComparison.Ordinal) ? address.ToLowerInvariant() : null;
    }

    // "smtp; 550 5.1.1 user unknown" → "550 5.1.1 user unknown".
    private static string? AfterType(string? field)
    {
        if (string.IsNullOrWhiteSpace(field)) return null;
        var text = field[(field.IndexOf(';', StringComparison.Ordinal) + 1)..].ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? null : text;
    }
}
