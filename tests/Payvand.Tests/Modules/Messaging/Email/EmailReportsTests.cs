using System.Text;
using MimeKit;
using Payvand.Modules.Messaging;

namespace Payvand.Tests.Modules.Messaging.Email;

// How a mail of the bounce mailbox is read (MimeKit): which recipients of a delivery status notification are hard or
// soft bounces, which feedback reports are complaints, where the original's Message-ID is taken from, and what is no report.
public sealed class EmailReportsTests
{
    private static MimeMessage Mail(string text) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    private static MimeMessage Dsn(string groups, string original) => Mail($"""
        From: MAILER-DAEMON@mx.example.net
        To: news@shop.test
        Subject: Delivery Status Notification
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type="delivery-status"; boundary="b"

        --b
        Content-Type: text/plain

        Delivery report.

        --b
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.net

        {groups}
        {original}--b--

        """);

    [Fact]
    public void Each_failed_or_delayed_recipient_of_a_delivery_status_notification_is_a_bounce_with_the_originals_message_id()
    {
        var mail = Dsn("""
            Final-Recipient: rfc822; Gone@Example.com
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 no such user

            Final-Recipient: rfc822; busy@example.com
            Action: delayed
            Status: 4.4.7

            Final-Recipient: rfc822; fine@example.com
            Action: delivered
            Status: 2.0.0

            Final-Recipient: rfc822; full@example.com
            Action: failed
            Status: 4.2.2
            """, "--b\nContent-Type: message/rfc822\n\nMessage-ID: <payvand.42@shop.test>\nSubject: x\n\nbody\n");

        var events = EmailReports.Read(mail)!;
        Assert.Equal(
            [("bounce", "<payvand.42@shop.test>", true, "gone@example.com", "550 5.1.1 no such user"), ("bounce", "<payvand.42@shop.test>", false, "busy@example.com", "Status 4.4.7"),
                ("bounce", "<payvand.42@shop.test>", false, "full@example.com", "Status 4.2.2")],
            events.Select(e => (e.Type!, e.MessageId!, e.Hard!.Value, e.Recipient!, e.Reason!)).ToArray());
        Assert.Equal(42, EmailMime.LocalIdOf(events[0].MessageId));
    }

    [Fact]
    public void Without_the_originals_headers_a_bounce_names_only_its_recipient_and_a_relayed_one_nothing()
    {
        var bounce = Assert.Single(EmailReports.Read(Dsn("Final-Recipient: rfc822;<x@example.com>\nAction: failed\nStatus: 5.0.0\n", ""))!);
        Assert.Equal((null, "x@example.com", true), (bounce.MessageId, bounce.Recipient, bounce.Hard));
        Assert.Empty(EmailReports.Read(Dsn("Final-Recipient: rfc822; x@example.com\nAction: relayed\nStatus: 2.0.0\n", ""))!);
    }

    [Theory]
    [InlineData("abuse", true)]
    [InlineData("fraud", true)]
    [InlineData("not-spam", false)]
    [InlineData("virus", false)]
    public void A_feedback_report_of_abuse_or_fraud_is_a_complaint_about_the_original(string type, bool complaint)
    {
        var mail = Mail($"""
            From: fbl@mail.example.net
            To: news@shop.test
            Subject: FBL
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=feedback-report; boundary="f"

            --f
            Content-Type: text/plain

            Abuse report.

            --f
            Content-Type: message/feedback-report

            Feedback-Type: {type}
            User-Agent: SomeFBL/2.1
            Version: 1

            --f
            Content-Type: text/rfc822-headers

            From: news@shop.test
            To: Reader@Example.com
            Message-ID: <payvand.7@shop.test>
            Subject: offer

            --f--

            """);
        var events = EmailReports.Read(mail)!;
        if (!complaint)
        {
            Assert.Empty(events);
            return;
        }

        var e = Assert.Single(events);
        Assert.Equal(("complaint", "<payvand.7@shop.test>", "reader@example.com"), (e.Type, e.MessageId, e.Recipient));
    }

    [Fact]
    public void A_mail_that_is_no_delivery_or_feedback_report_is_not_read()
    {
        Assert.Null(EmailReports.Read(Mail("From: a@example.com\nSubject: hello\n\nOut of office.\n")));
        Assert.Null(EmailReports.Read(Mail("""
            From: a@example.com
            Subject: Read
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=disposition-notification; boundary="m"

            --m
            Content-Type: text/plain

            Displayed.

            --m
            Content-Type: message/disposition-notification

            Disposition: manual-action/MDN-sent-manually; displayed

            --m--

            """)));
        // A delivery-status report without its status part is no report either.
        Assert.Null(EmailReports.Read(Mail("From: a@example.com\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"z\"\n\n--z\nContent-Type: text/plain\n\nx\n--z--\n")));
    }
}
