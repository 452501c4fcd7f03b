using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MailKit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging;
using Payvand.Platform.Jobs;

namespace Payvand.Tests.Modules.Messaging.Email;

// The bounce mailbox read over IMAP from a real Dovecot (TestImapServer), on SQLite and PostgreSQL: emails are sent
// through the real SMTP server of EmailApp, the bounce and complaint reports a mail system would send back are built
// around the mails as they arrived and delivered into the mailbox, and the schedule's work (EmailBounceMailbox.Poll)
// reads them: a hard bounce blocks the address and fails the message, a soft one blocks nothing, a complaint opts the
// person out of promotional email, a mail read twice changes nothing more, a mail that is no report is flagged and
// left, a refused sign-in is shown on the channel; the settings through /api/channels/email.
[Trait("Category", "Integration")]
public sealed class EmailBounceMailboxTests(EmailApp app, TestImapServer imap) : IClassFixture<EmailApp>, IClassFixture<TestImapServer>
{
    private const string MailboxKey = "bounces";

    // The channel whose mailbox is the test server's INBOX (paused: it sends nothing, its mailbox is read all the same).
    private async Task<int> Mailbox()
    {
        await using (var db = await app.Db())
        {
            if (await db.Set<EmailChannel>().Where(c => c.Key == MailboxKey).Select(c => (int?)c.Id).SingleOrDefaultAsync() is { } id) return id;
        }

        using var scope = app.Services.CreateScope();
        var saved = await scope.ServiceProvider.GetRequiredService<EmailChannels>().Save(null, new EmailChannelInput(
            MailboxKey, "Bounce mailbox", "127.0.0.1", app.Smtp.Port, EmailTls.None, FromAddress: "bounces@shop.test", Enabled: false,
            BounceHost: "127.0.0.1", BouncePort: imap.Port, BounceTls: EmailTls.None, BounceUserName: TestImapServer.User,
            BouncePassword: TestImapServer.Password), CancellationToken.None);
        return saved!.Id;
    }

    private async Task<EmailBounceMailbox.Result> Poll()
    {
        await Mailbox();
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<EmailBounceMailbox>().Poll(CancellationToken.None);
    }

    // A promotional email to a new person, sent through the SMTP server: the person, the message and the mail as it arrived.
    private async Task<(Contact Person, Message Message, MimeMessage Mail)> Sent()
    {
        var person = await app.Person();
        var message = await app.Queue(person.Id, "حراج زمستانه", "متن پیام");
        await app.Dispatch();
        return (person, message, Assert.Single(app.Smtp.To(person.Points[0].NormalizedValue)));
    }

    private static string NewId() => $"{Guid.NewGuid():N}@mx.example.net";

    private static string Text(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return Encoding.UTF8.GetString(stream.ToArray()).ReplaceLineEndings("\n");
    }

    // A delivery status notification (RFC 3464) as a mail server sends it, with the original's headers unless told not.
    private static MimeMessage Dsn(MimeMessage sent, string id, string action, string status, string diagnostic, bool headers = true)
    {
        var original = headers
            ? $"--dsn\nContent-Type: text/rfc822-headers\n\n{Text(s => sent.Headers.WriteTo(s))}\n"
            : "";
        return MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes($"""
            From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
            To: {EmailApp.From}
            Subject: Undelivered Mail Returned to Sender
            Message-ID: <{id}>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"

            --dsn
            Content-Type: text/plain; charset=us-ascii

            This is the mail system at host mx.example.net. Your message could not be delivered.

            --dsn
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.net

            Final-Recipient: rfc822; {sent.To.Mailboxes.Single().Address}
            Original-Recipient: rfc822;{sent.To.Mailboxes.Single().Address}
            Action: {action}
            Status: {status}
            Diagnostic-Code: smtp; {diagnostic}

            {original}--dsn--

            """)));
    }

    // A feedback report (ARF, RFC 5965) of a person who marked the mail as spam, with the whole original mail.
    private static MimeMessage Arf(MimeMessage sent, string id, string type = "abuse") =>
        MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes($"""
            From: Feedback Loop <fbl@mail.example.net>
            To: {EmailApp.From}
            Subject: Abuse report
            Message-ID: <{id}>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=feedback-report; boundary="arf"

            --arf
            Content-Type: text/plain; charset=us-ascii

            This is an email abuse report for a message received from 127.0.0.1.

            --arf
            Content-Type: message/feedback-report

            Feedback-Type: {type}
            User-Agent: ExampleFBL/1.0
            Version: 1

            --arf
            Content-Type: message/rfc822
            Content-Disposition: inline

            {Text(s => sent.WriteTo(s))}
            --arf--

            """)));

    [Fact]
    public async Task A_hard_bounce_blocks_the_address_fails_the_message_and_is_marked_seen()
    {
        var (person, message, mail) = await Sent();
        var id = NewId();
        await imap.Deliver(Dsn(mail, id, "failed", "5.1.1", "550 5.1.1 <x>: Recipient address rejected: User unknown"));

        var result = await Poll();
        Assert.True(result.Reports >= 1);
        var bounced = await app.Message(message.Id);
        Assert.Equal((MessageStatus.Failed, MessageReason.Bounced), (bounced.Status, bounced.Reason));
        Assert.Equal("550 5.1.1 <x>: Recipient address rejected: User unknown", bounced.LastError);
        Assert.Equal(MessageFlags.Seen, await imap.Flags(id) & (MessageFlags.Seen | MessageFlags.Flagged));
        await using var db = await app.Db();
        Assert.Equal(1, await db.BlockedAddresses.CountAsync(b => b.Address == person.Points[0].NormalizedValue && b.Source == EmailEvents.BounceSource));
        var entry = await db.Activities.SingleAsync(a => a.SourceType == MessageStates.SourceType && a.SourceId == message.Id.ToString() && a.Type == MessageStates.EmailTimelineType);
        Assert.Contains("Bounced", entry.Data, StringComparison.Ordinal);

        // The next email to that address is not sent.
        var next = await app.Queue(person.Id, "s", "t", purpose: ContactPurpose.Transactional);
        await app.Dispatch();
        Assert.Equal((MessageStatus.Suppressed, MessageReason.Bounced), ((await app.Message(next.Id)).Status, (await app.Message(next.Id)).Reason));
    }

    [Fact]
    public async Task A_soft_bounce_blocks_nothing_and_the_message_stays_sent()
    {
        var (person, message, mail) = await Sent();
        var delayed = NewId();
        var failedForNow = NewId();
        await imap.Deliver(Dsn(mail, delayed, "delayed", "4.4.1", "451 4.4.1 mailbox busy, will try again"));
        await imap.Deliver(Dsn(mail, failedForNow, "failed", "4.2.2", "452 4.2.2 mailbox full"));

        // This time as the schedule runs it: its job, by kind.
        await Mailbox();
        var schedule = app.Services.GetServices<ScheduleDefinition>().Single(d => d.Name == EmailBounceMailbox.ScheduleName);
        Assert.Equal(("*/5 * * * *", EmailBounceMailbox.JobKind), (schedule.Cron, schedule.JobKind));
        var job = app.Services.GetServices<IJobHandler>().Single(h => h.Kind == schedule.JobKind);
        await job.Run(new BackgroundJob { Kind = schedule.JobKind, Scope = "system" }, CancellationToken.None);
        var sent = await app.Message(message.Id);
        Assert.Equal((MessageStatus.Sent, MessageReason.None), (sent.Status, sent.Reason));
        Assert.Equal(MessageFlags.Seen, await imap.Flags(delayed) & (MessageFlags.Seen | MessageFlags.Flagged));
        Assert.Equal(MessageFlags.Seen, await imap.Flags(failedForNow) & (MessageFlags.Seen | MessageFlags.Flagged));
        await using var db = await app.Db();
        Assert.False(await db.BlockedAddresses.AnyAsync(b => b.Address == person.Points[0].NormalizedValue));
    }

    [Fact]
    public async Task A_complaint_opts_the_person_out_of_promotional_email()
    {
        var (person, message, mail) = await Sent();
        var id = NewId();
        await imap.Deliver(Arf(mail, id));
        var notSpam = NewId();
        await imap.Deliver(Arf(mail, notSpam, "not-spam"));

        await Poll();
        Assert.Equal((MessageStatus.Sent, MessageReason.Complained), ((await app.Message(message.Id)).Status, (await app.Message(message.Id)).Reason));
        Assert.Equal(MessageFlags.Seen, await imap.Flags(id) & (MessageFlags.Seen | MessageFlags.Flagged));
        Assert.Equal(MessageFlags.Seen, await imap.Flags(notSpam) & (MessageFlags.Seen | MessageFlags.Flagged));
        await using var db = await app.Db();
        var contact = await db.Contacts.Include(c => c.Consents).SingleAsync(c => c.Id == person.Id);
        Assert.Equal(ConsentStatus.OptedOut, contact.ConsentFor(ConsentChannel.Email, ContactPurpose.Promotional));
        var record = await db.ConsentRecords.SingleAsync(r => r.ContactId == person.Id && r.Source == EmailEvents.ComplaintSource);
        Assert.Equal((ConsentChannel.Email, ConsentStatus.OptedOut), (record.Channel, record.Status));
        Assert.Equal(1, await db.BlockedAddresses.CountAsync(b => b.Address == person.Points[0].NormalizedValue && b.Source == EmailEvents.ComplaintSource));
    }

    [Fact]
    public async Task Reports_read_a_second_time_change_nothing()
    {
        var (bounced, bouncedMessage, bouncedMail) = await Sent();
        var (complained, _, complainedMail) = await Sent();
        await imap.Deliver(Dsn(bouncedMail, NewId(), "failed", "5.1.1", "550 5.1.1 user unknown"));
        await imap.Deliver(Arf(complainedMail, NewId()));
        await Poll();
        var before = await Counts(bounced.Id, complained.Id);
        var message = await app.Message(bouncedMessage.Id);

        // As after a crash between saving and marking: the same mails are unseen again.
        await imap.MarkAllUnseen();
        var again = await Poll();
        Assert.True(again.Reports >= 2);
        Assert.Equal(before, await Counts(bounced.Id, complained.Id));
        var after = await app.Message(bouncedMessage.Id);
        Assert.Equal((message.Status, message.Reason, message.LastError), (after.Status, after.Reason, after.LastError));
    }

    private async Task<(int Blocks, int Consents, int Entries)> Counts(int bounced, int complained)
    {
        await using var db = await app.Db();
        int[] people = [bounced, complained];
        var addresses = await db.Contacts.AsNoTracking().Where(c => people.Contains(c.Id)).Select(c => c.Points).ToListAsync();
        var all = addresses.SelectMany(p => p).Select(p => p.NormalizedValue).ToList();
        return (await db.BlockedAddresses.CountAsync(b => all.Contains(b.Address)),
            await db.ConsentRecords.CountAsync(r => people.Contains(r.ContactId)),
            await db.Activities.CountAsync(a => a.ContactId != null && people.Contains(a.ContactId.Value)));
    }

    [Fact]
    public async Task A_report_without_the_original_headers_is_matched_by_its_recipient()
    {
        var (person, message, mail) = await Sent();
        await imap.Deliver(Dsn(mail, NewId(), "failed", "5.1.1", "550 5.1.1 user unknown", headers: false));
        await Poll();
        Assert.Equal((MessageStatus.Failed, MessageReason.Bounced), ((await app.Message(message.Id)).Status, (await app.Message(message.Id)).Reason));
        await using var db = await app.Db();
        Assert.True(await db.BlockedAddresses.AnyAsync(b => b.Address == person.Points[0].NormalizedValue && b.Source == EmailEvents.BounceSource));
    }

    [Fact]
    public async Task A_mail_that_is_no_report_is_flagged_and_left_and_changes_nothing()
    {
        var (person, message, mail) = await Sent();
        var reply = new MimeMessage { Subject = "Re: " + mail.Subject, MessageId = NewId(), Body = new TextPart("plain") { Text = "Out of office until Monday" } };
        reply.From.Add(MailboxAddress.Parse(person.Points[0].NormalizedValue));
        reply.To.Add(MailboxAddress.Parse(EmailApp.From));
        reply.InReplyTo = mail.MessageId;
        await imap.Deliver(reply);
        var receipt = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes($"""
            From: {person.Points[0].NormalizedValue}
            To: {EmailApp.From}
            Subject: Read: {mail.Subject}
            Message-ID: <{NewId()}>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=disposition-notification; boundary="mdn"

            --mdn
            Content-Type: text/plain

            Your message was displayed.

            --mdn
            Content-Type: message/disposition-notification

            Final-Recipient: rfc822; {person.Points[0].NormalizedValue}
            Original-Message-ID: <{mail.MessageId}>
            Disposition: manual-action/MDN-sent-manually; displayed

            --mdn--

            """)));
        await imap.Deliver(receipt);

        var result = await Poll();
        Assert.True(result.Skipped >= 2);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, await imap.Flags(reply.MessageId) & (MessageFlags.Seen | MessageFlags.Flagged));
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, await imap.Flags(receipt.MessageId!) & (MessageFlags.Seen | MessageFlags.Flagged));
        var sent = await app.Message(message.Id);
        Assert.Equal((MessageStatus.Sent, MessageReason.None, null), (sent.Status, sent.Reason, sent.LastError));
        await using var db = await app.Db();
        Assert.False(await db.BlockedAddresses.AnyAsync(b => b.Address == person.Points[0].NormalizedValue));

        // Flagged mails are not read again.
        Assert.Equal(0, (await Poll()).Read);
    }

    // A paused channel added through the API whose bounce mailbox is the test server's, with a wrong password: its id.
    private async Task<int> WrongPasswordChannel(HttpClient admin, string key, string name)
    {
        var created = await admin.PostAsJsonAsync("/api/channels/email", new
        {
            key,
            name,
            host = "127.0.0.1",
            port = app.Smtp.Port,
            tls = "None",
            fromAddress = key + "@shop.test",
            enabled = false,
            bounceHost = "127.0.0.1",
            bouncePort = imap.Port,
            bounceTls = "None",
            bounceUserName = TestImapServer.User,
            bouncePassword = "not the password",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    [Fact]
    public async Task A_wrong_imap_password_is_shown_on_the_channel_and_the_other_mailboxes_are_still_read()
    {
        using var admin = await app.Admin();
        var id = await WrongPasswordChannel(admin, "wrong-imap", "Wrong IMAP password");
        var (_, message, mail) = await Sent();
        await imap.Deliver(Dsn(mail, NewId(), "failed", "5.1.1", "550 5.1.1 user unknown"));

        await Poll();
        var wrong = await admin.GetFromJsonAsync<JsonElement>($"/api/channels/email/{id}");
        Assert.Contains("Authentication", wrong.GetProperty("bounceError").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(JsonValueKind.Null, wrong.GetProperty("bounceCheckedAt").ValueKind);
        var good = await admin.GetFromJsonAsync<JsonElement>($"/api/channels/email/{await Mailbox()}");
        Assert.Equal(JsonValueKind.Null, good.GetProperty("bounceError").ValueKind);
        Assert.Equal(MessageStatus.Failed, (await app.Message(message.Id)).Status);

        // The right password clears the error at the next reading; no host removes the mailbox.
        var input = new { key = "wrong-imap", name = "Wrong IMAP password", host = "127.0.0.1", port = app.Smtp.Port, tls = "None", fromAddress = "wrong-imap@shop.test", enabled = false, bounceHost = "127.0.0.1", bouncePort = imap.Port, bounceTls = "None", bounceUserName = TestImapServer.User, bouncePassword = TestImapServer.Password };
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/channels/email/{id}", input)).StatusCode);
        await Poll();
        Assert.Equal(JsonValueKind.Null, (await admin.GetFromJsonAsync<JsonElement>($"/api/channels/email/{id}")).GetProperty("bounceError").ValueKind);
        var removed = await admin.PutAsJsonAsync($"/api/channels/email/{id}", input with { bounceHost = "" });
        var view = await removed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((JsonValueKind.Null, false), (view.GetProperty("bounceHost").ValueKind, view.GetProperty("bouncePasswordSet").GetBoolean()));
    }

    [Fact]
    public async Task Bounce_mailbox_settings_through_the_api_never_return_the_password_and_bad_input_is_400_in_persian()
    {
        using var admin = await app.Admin();
        var created = await admin.PostAsJsonAsync("/api/channels/email", new
        {
            key = "imap-api",
            name = "IMAP API",
            host = "smtp.shop.test",
            fromAddress = "imap-api@shop.test",
            bounceHost = "imap.shop.test",
            bounceUserName = "bounces@shop.test",
            bouncePassword = "an imap secret 77",
            bounceFolder = "Bounces",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain("an imap secret 77", body, StringComparison.Ordinal);
        var view = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal(("imap.shop.test", 993, "Auto", "Bounces", true), (view.GetProperty("bounceHost").GetString(), view.GetProperty("bouncePort").GetInt32(),
            view.GetProperty("bounceTls").GetString(), view.GetProperty("bounceFolder").GetString(), view.GetProperty("bouncePasswordSet").GetBoolean()));
        var id = view.GetProperty("id").GetInt32();
        Assert.DoesNotContain("an imap secret 77", await admin.GetStringAsync("/api/channels/email"), StringComparison.Ordinal);
        await using (var db = await app.Db())
        {
            var stored = await db.Set<EmailChannel>().SingleAsync(c => c.Id == id);
            Assert.DoesNotContain("an imap secret 77", stored.ProtectedBouncePassword!, StringComparison.Ordinal);
            Assert.False(await db.Audit.AnyAsync(a => a.EntityType == nameof(EmailChannel) && a.Changes != null
                && (a.Changes.Contains("ProtectedBouncePassword") || a.Changes.Contains("an imap secret 77"))));
        }

        // Left out, the password stays.
        var changed = await admin.PutAsJsonAsync($"/api/channels/email/{id}", new { key = "imap-api", name = "IMAP API", host = "smtp.shop.test", fromAddress = "imap-api@shop.test", bounceHost = "imap.shop.test", bounceUserName = "bounces@shop.test" });
        Assert.True((await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bouncePasswordSet").GetBoolean());

        using var persian = await app.Admin("fa-IR");
        var bad = await persian.PostAsJsonAsync("/api/channels/email", new
        {
            key = "imap-bad",
            name = "IMAP bad",
            host = "smtp.shop.test",
            fromAddress = "imap-bad@shop.test",
            bounceHost = "not a host",
            bouncePort = 0,
            bounceFolder = "In\u0001box",
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "bounceHost", "bouncePort", "bounceUserName", "bouncePassword", "bounceFolder" }) Assert.True(errors.TryGetProperty(field, out _), field);
        Assert.Equal("وارد کردن نام کاربری IMAP الزامی است.", errors.GetProperty("bounceUserName")[0].GetString());
    }

    // A mail as a mail program sends it to the List-Unsubscribe mailto: from the person, with the mailto's subject.
    private static MimeMessage UnsubscribeMail(string from, string subject, string id)
    {
        var mail = new MimeMessage { Subject = subject, MessageId = id, Body = new TextPart("plain") { Text = "This message was sent to unsubscribe." } };
        mail.From.Add(MailboxAddress.Parse(from));
        mail.To.Add(MailboxAddress.Parse("reply@shop.test"));
        return mail;
    }

    private static string MailtoSubject(MimeMessage sent) =>
        Uri.UnescapeDataString(System.Text.RegularExpressions.Regex.Match(sent.Headers["List-Unsubscribe"] ?? "", @"<mailto:[^?>]+\?subject=([^>]+)>").Groups[1].Value);

    [Fact]
    public async Task A_mail_to_the_unsubscribe_mailto_opts_the_person_out_once_and_a_forged_one_changes_nothing()
    {
        var (person, message, mail) = await Sent();
        var subject = MailtoSubject(mail);
        Assert.StartsWith("unsubscribe-", subject, StringComparison.Ordinal);
        var request = NewId();
        await imap.Deliver(UnsubscribeMail(person.Points[0].NormalizedValue, subject, request));
        var (other, _, _) = await Sent();
        var forged = NewId();
        await imap.Deliver(UnsubscribeMail(other.Points[0].NormalizedValue, subject[..^4] + (subject.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"), forged));

        var result = await Poll();
        Assert.True(result.Unsubscribes >= 1);
        Assert.Equal(MessageFlags.Seen, await imap.Flags(request) & (MessageFlags.Seen | MessageFlags.Flagged));
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, await imap.Flags(forged) & (MessageFlags.Seen | MessageFlags.Flagged));
        await using (var db = await app.Db())
        {
            var contact = await db.Contacts.Include(c => c.Consents).SingleAsync(c => c.Id == person.Id);
            Assert.Equal(ConsentStatus.OptedOut, contact.ConsentFor(ConsentChannel.Email, ContactPurpose.Promotional));
            var record = await db.ConsentRecords.SingleAsync(r => r.ContactId == person.Id && r.Source == EmailBounceMailbox.MailtoSource);
            Assert.Equal((ConsentChannel.Email, ConsentStatus.OptedOut, $"message {message.Id}"), (record.Channel, record.Status, record.Note));
            var untouched = await db.Contacts.Include(c => c.Consents).SingleAsync(c => c.Id == other.Id);
            Assert.Equal(ConsentStatus.OptedIn, untouched.ConsentFor(ConsentChannel.Email, ContactPurpose.Promotional));
            Assert.False(await db.ConsentRecords.AnyAsync(r => r.ContactId == other.Id && r.Source == EmailBounceMailbox.MailtoSource));
        }

        // Read again (as after a crash before the mail was marked): nothing more is recorded.
        await imap.MarkAllUnseen();
        await Poll();
        await using (var db = await app.Db())
        {
            Assert.Equal(1, await db.ConsentRecords.CountAsync(r => r.ContactId == person.Id && r.Source == EmailBounceMailbox.MailtoSource));
            Assert.Equal(1, await db.ConsentRecords.CountAsync(r => r.ContactId == person.Id && r.Status == ConsentStatus.OptedOut));
        }

        // The next promotional email to the person is not sent.
        var next = await app.Queue(person.Id, "حراج", "متن");
        await app.Dispatch();
        Assert.Equal(MessageStatus.Suppressed, (await app.Message(next.Id)).Status);
    }

    [Fact]
    public async Task Check_now_reads_one_mailbox_at_once_says_what_it_found_or_why_not_in_persian_and_is_audited()
    {
        var (_, message, mail) = await Sent();
        await imap.Deliver(Dsn(mail, NewId(), "failed", "5.1.1", "550 5.1.1 user unknown"));
        var id = await Mailbox();
        using var admin = await app.Admin();
        var response = await admin.PostAsync($"/api/channels/email/{id}/mailbox/check", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var found = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(found.GetProperty("ok").GetBoolean());
        Assert.True(found.GetProperty("read").GetInt32() >= 1 && found.GetProperty("bounces").GetInt32() >= 1, found.GetRawText());
        Assert.Equal(JsonValueKind.Null, found.GetProperty("error").ValueKind);
        Assert.Equal((MessageStatus.Failed, MessageReason.Bounced), ((await app.Message(message.Id)).Status, (await app.Message(message.Id)).Reason));
        await using (var db = await app.Db())
        {
            var idText = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(await db.Audit.AnyAsync(a => a.EntityType == nameof(EmailChannel) && a.EntityId == idText && a.Detail!.StartsWith("Bounce mailbox checked") && a.UserName != null));
        }

        // A refused sign-in: the error in the caller's language, the server's words as detail, kept on the channel.
        var wrongId = await WrongPasswordChannel(admin, "check-wrong", "Check with a wrong password");
        using var persian = await app.Admin("fa-IR");
        var refused = await (await persian.PostAsync($"/api/channels/email/{wrongId}/mailbox/check", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(refused.GetProperty("ok").GetBoolean());
        Assert.Equal("سرور IMAP نام کاربری یا گذرواژه را نپذیرفت.", refused.GetProperty("error").GetString());
        Assert.Contains("Authentication", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("Authentication", (await admin.GetFromJsonAsync<JsonElement>($"/api/channels/email/{wrongId}")).GetProperty("bounceError").GetString(), StringComparison.Ordinal);
        var removed = await admin.PutAsJsonAsync($"/api/channels/email/{wrongId}", new { key = "check-wrong", name = "Check with a wrong password", host = "127.0.0.1", port = app.Smtp.Port, tls = "None", fromAddress = "check-wrong@shop.test", enabled = false });
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);

        // A channel without a bounce mailbox is 409, an unknown one 404.
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/channels/email/{wrongId}/mailbox/check", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/channels/email/999999/mailbox/check", null)).StatusCode);
    }
}
