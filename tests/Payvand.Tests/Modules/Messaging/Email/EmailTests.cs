using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging;
using Payvand.Platform.Data;

namespace Payvand.Tests.Modules.Messaging.Email;

// The email channel end to end against a real SMTP server, on SQLite and PostgreSQL: the MIME (parts, Message-ID,
// List-Unsubscribe with one-click), tracked links and the open pixel, the public unsubscribe page, bounces and
// complaints through the webhook, consent, SMTP 4xx retried and 5xx refused, a send cut off mid-way sent again with the
// same Message-ID, and /api/channels/email and /api/messages for email.
[Trait("Category", "Integration")]
public sealed class EmailTests(EmailApp app) : IClassFixture<EmailApp>
{
    private const string Html = """<html><body><p>حراج</p><a href="https://shop.example/offer?x=1&amp;y=2">offer</a> <a href="mailto:help@shop.test">help</a></body></html>""";

    private static string Address(Contact c) => c.Points[0].NormalizedValue;

    private static string PathOf(string url) => new Uri(url).PathAndQuery;

    private static string Link(string? html, string path) =>
        WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html ?? "", $"""(?:href|src)="(http://localhost{path}[^"]+)""").Groups[1].Value);

    private static string Unsubscribe(MimeMessage mail) =>
        System.Text.RegularExpressions.Regex.Match(mail.Headers["List-Unsubscribe"] ?? "", "<(http[^>]+)>").Groups[1].Value;

    [Fact]
    public async Task A_promotional_email_has_both_parts_its_message_id_one_click_unsubscribe_tracked_links_and_the_pixel()
    {
        var person = await app.Person();
        var message = await app.Queue(person.Id, "حراج پاییزه", "حراج: https://shop.example/offer\nلغو: " + EmailMime.UnsubscribePlaceholder, Html, track: true);
        await app.Dispatch();
        await app.Dispatch();

        var sent = await app.Message(message.Id);
        Assert.Equal((MessageStatus.Sent, MessageReason.None), (sent.Status, sent.Reason));
        Assert.Equal((true, true), (sent.TrackClicks, sent.TrackOpens));
        var mail = Assert.Single(app.Smtp.To(Address(person)));
        Assert.Equal($"payvand.{sent.LocalId}@shop.test", mail.MessageId);
        Assert.Equal(sent.LocalId, EmailMime.LocalIdOf($"<{mail.MessageId}>"));
        Assert.Equal("حراج پاییزه", mail.Subject);
        Assert.Equal(EmailApp.From, mail.From.Mailboxes.Single().Address);
        Assert.Equal("reply@shop.test", mail.ReplyTo.Mailboxes.Single().Address);
        var alternative = Assert.IsType<MultipartAlternative>(mail.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType).ToArray());
        Assert.Equal($"حراج: https://shop.example/offer\nلغو: {Unsubscribe(mail)}", mail.TextBody?.ReplaceLineEndings("\n"));
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.Matches(@"^<http://localhost/u/[A-Za-z0-9_-]+>, <mailto:reply@shop\.test\?subject=unsubscribe-[A-Za-z0-9_-]+>$", mail.Headers["List-Unsubscribe"]);

        // The HTML's web link goes through /t/c (the mailto: stays), and the pixel is at the end of the body.
        Assert.DoesNotContain("https://shop.example", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("href=\"mailto:help@shop.test\"", mail.HtmlBody, StringComparison.Ordinal);
        var click = Link(mail.HtmlBody, "/t/c/");
        var pixel = Link(mail.HtmlBody, "/t/o/");
        Assert.Contains("<img src=\"http://localhost/t/o/", mail.HtmlBody, StringComparison.Ordinal);
        Assert.EndsWith("</body></html>", mail.HtmlBody, StringComparison.Ordinal);

        using var browser = app.Anonymous();
        var redirect = await browser.GetAsync(PathOf(click));
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("https://shop.example/offer?x=1&y=2", redirect.Headers.Location!.ToString());
        await browser.GetAsync(PathOf(click));
        var image = await browser.GetAsync(PathOf(pixel));
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/gif", image.Content.Headers.ContentType!.MediaType);

        var engaged = await app.Message(message.Id);
        Assert.Equal((2, 1), (engaged.Clicks, engaged.Opens));
        Assert.NotNull(engaged.FirstClickedAt);
        Assert.NotNull(engaged.FirstOpenedAt);
        await using var db = await app.Db();
        var entries = await db.Activities.Where(a => a.SourceType == MessageStates.SourceType && a.SourceId == message.Id.ToString()).ToListAsync();
        Assert.Equal([MessageStates.EmailTimelineType, MessageStates.ClickTimelineType, MessageStates.OpenTimelineType], entries.Select(e => e.Type!).Order().ToArray());
        Assert.Contains("\"count\":2", entries.Single(e => e.Type == MessageStates.ClickTimelineType).Data, StringComparison.Ordinal);
        Assert.Equal(1, await db.PromotionalContacts.CountAsync(p => p.ContactId == person.Id && p.Channel == ConsentChannel.Email));
    }

    [Fact]
    public async Task A_changed_or_foreign_token_is_refused_and_never_redirects()
    {
        var person = await app.Person();
        var message = await app.Queue(person.Id, "s", "t", Html, track: true);
        await app.Dispatch();
        var mail = Assert.Single(app.Smtp.To(Address(person)));
        var click = PathOf(Link(mail.HtmlBody, "/t/c/"));
        var token = click["/t/c/".Length..];
        var changed = token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..];

        using var browser = app.Anonymous();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/t/c/" + changed)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/t/c/not-a-token")).StatusCode);
        // A token of another kind (the unsubscribe token) is not a click token, and the reverse.
        var unsubscribe = PathOf(Unsubscribe(mail))["/u/".Length..];
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/t/c/" + unsubscribe)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/u/" + token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/t/o/" + changed)).StatusCode);
        Assert.Equal(0, (await app.Message(message.Id)).Clicks);
    }

    [Fact]
    public async Task One_click_unsubscribe_opts_out_without_cookies_once_and_the_page_shows_a_button()
    {
        var person = await app.Person();
        await app.Queue(person.Id, "s", "t");
        await app.Dispatch();
        var url = PathOf(Unsubscribe(Assert.Single(app.Smtp.To(Address(person)))));

        using var browser = app.Anonymous();
        var page = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\">", html, StringComparison.Ordinal);
        Assert.Contains("Unsubscribe", html, StringComparison.Ordinal);
        await using (var db = await app.Db())
        {
            Assert.Equal(ConsentStatus.OptedIn, (await db.Contacts.Include(c => c.Consents).SingleAsync(c => c.Id == person.Id)).ConsentFor(ConsentChannel.Email));
        }

        // What a mail provider sends (RFC 8058): a form POST, no cookie, no antiforgery token.
        for (var i = 0; i < 2; i++)
        {
            var post = await browser.PostAsync(url, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        }

        await using (var db = await app.Db())
        {
            var contact = await db.Contacts.Include(c => c.Consents).SingleAsync(c => c.Id == person.Id);
            Assert.Equal(ConsentStatus.OptedOut, contact.ConsentFor(ConsentChannel.Email));
            Assert.Equal(ConsentStatus.Unknown, contact.ConsentFor(ConsentChannel.Sms));
            var history = await db.ConsentRecords.Where(r => r.ContactId == person.Id && r.Source == PublicMessageLinks.Source).ToListAsync();
            Assert.Equal((ConsentChannel.Email, ConsentStatus.OptedOut), (Assert.Single(history).Channel, history[0].Status));
        }

        var next = await app.Queue(person.Id, "again", "t");
        await app.Dispatch();
        Assert.Equal((MessageStatus.Suppressed, MessageReason.OptedOut), ((await app.Message(next.Id)).Status, (await app.Message(next.Id)).Reason));
        Assert.Single(app.Smtp.To(Address(person)));
    }

    [Fact]
    public async Task Consent_is_asked_for_email_and_a_bounced_or_complained_address_is_suppressed_with_its_reason()
    {
        var noConsent = await app.Person(ConsentStatus.Unknown);
        var optedOut = await app.Person(ConsentStatus.OptedOut);
        var bounced = await app.Person();
        var complained = await app.Person();
        var first = await app.Queue(bounced.Id, "s", "t");
        var second = await app.Queue(complained.Id, "s", "t");
        var refused = new[] { await app.Queue(noConsent.Id, "s", "t"), await app.Queue(optedOut.Id, "s", "t") };
        await app.Dispatch();
        Assert.Equal((MessageStatus.Suppressed, MessageReason.NoConsent), ((await app.Message(refused[0].Id)).Status, (await app.Message(refused[0].Id)).Reason));
        Assert.Equal((MessageStatus.Suppressed, MessageReason.OptedOut), ((await app.Message(refused[1].Id)).Status, (await app.Message(refused[1].Id)).Reason));
        Assert.Empty(app.Smtp.To(Address(noConsent)));
        Assert.Empty(app.Smtp.To(Address(optedOut)));

        var firstId = Assert.Single(app.Smtp.To(Address(bounced))).MessageId;
        var secondId = Assert.Single(app.Smtp.To(Address(complained))).MessageId;
        using var hooks = app.Anonymous();
        var events = new
        {
            events = new object[]
            {
                new { type = "bounce", messageId = $"<{firstId}>", hard = true, reason = "550 5.1.1 user unknown" },
                new { type = "complaint", messageId = $"<{secondId}>" },
                new { type = "bounce", messageId = "<someone-else@example.com>" },
            },
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await hooks.PostAsJsonAsync("/hooks/email/mail?secret=wrong", events)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await hooks.PostAsJsonAsync("/hooks/email/nobody?secret=wrong", events)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostHook(hooks, new { events = new[] { new { type = "delivered", messageId = "x" } } })).StatusCode);
        var answer = await PostHook(hooks, events);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(JsonSerializer.SerializeToElement(new { applied = 2, unknown = 1 }).ToString(), (await answer.Content.ReadFromJsonAsync<JsonElement>()).ToString());
        Assert.Equal(HttpStatusCode.OK, (await PostHook(hooks, events)).StatusCode); // again: nothing more

        var bouncedMessage = await app.Message(first.Id);
        Assert.Equal((MessageStatus.Failed, MessageReason.Bounced, "550 5.1.1 user unknown"), (bouncedMessage.Status, bouncedMessage.Reason, bouncedMessage.LastError));
        Assert.Equal(MessageReason.Complained, (await app.Message(second.Id)).Reason);
        await using (var db = await app.Db())
        {
            Assert.Equal(1, await db.BlockedAddresses.CountAsync(b => b.Address == Address(bounced) && b.Source == EmailEvents.BounceSource));
            var contact = await db.Contacts.Include(c => c.Consents).SingleAsync(c => c.Id == complained.Id);
            Assert.Equal(ConsentStatus.OptedOut, contact.ConsentFor(ConsentChannel.Email));
            Assert.Equal(1, await db.ConsentRecords.CountAsync(r => r.ContactId == complained.Id && r.Source == EmailEvents.ComplaintSource));
        }

        // Later messages: a bounced address gets nothing, receipts included; a complaint stops promotions only.
        var promotion = await app.Queue(bounced.Id, "s", "t");
        var receipt = await app.Queue(bounced.Id, "receipt", "t", purpose: ContactPurpose.Transactional);
        var complainedReceipt = await app.Queue(complained.Id, "receipt", "t", purpose: ContactPurpose.Transactional);
        await app.Dispatch();
        Assert.Equal((MessageStatus.Suppressed, MessageReason.Bounced), ((await app.Message(promotion.Id)).Status, (await app.Message(promotion.Id)).Reason));
        Assert.Equal((MessageStatus.Suppressed, MessageReason.Bounced), ((await app.Message(receipt.Id)).Status, (await app.Message(receipt.Id)).Reason));
        Assert.Equal(MessageStatus.Sent, (await app.Message(complainedReceipt.Id)).Status);
        Assert.Single(app.Smtp.To(Address(bounced)));
    }

    private static Task<HttpResponseMessage> PostHook(HttpClient hooks, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/email/mail") { Content = JsonContent.Create(body) };
        request.Headers.Add(SmsWebhook.SecretHeader, EmailApp.WebhookSecret);
        return hooks.SendAsync(request);
    }

    [Fact]
    public async Task An_smtp_4xx_is_tried_again_later_and_a_5xx_fails_as_rejected()
    {
        var busy = await app.Person(address: EmailApp.NewAddress("busy"));
        var rejected = await app.Person(address: EmailApp.NewAddress("reject"));
        var later = await app.Queue(busy.Id, "s", "t", purpose: ContactPurpose.Transactional);
        var never = await app.Queue(rejected.Id, "s", "t", purpose: ContactPurpose.Transactional);
        app.Smtp.Busy = true;
        await app.Dispatch();

        var waiting = await app.Message(later.Id);
        Assert.Equal(MessageStatus.Queued, waiting.Status);
        Assert.StartsWith("SMTP 451", waiting.LastError, StringComparison.Ordinal);
        Assert.True(waiting.NotBefore > app.Clock.GetUtcNow().UtcDateTime);
        var failed = await app.Message(never.Id);
        Assert.Equal((MessageStatus.Failed, MessageReason.Rejected), (failed.Status, failed.Reason));
        Assert.StartsWith("SMTP 550", failed.LastError, StringComparison.Ordinal);

        app.Smtp.Busy = false;
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.Dispatch();
        var sent = await app.Message(later.Id);
        Assert.Equal((MessageStatus.Sent, 2), (sent.Status, sent.Attempts));
        Assert.Single(app.Smtp.To(Address(busy)));
        Assert.Null(app.Smtp.To(Address(busy))[0].Headers["List-Unsubscribe"]); // transactional
        Assert.IsType<TextPart>(app.Smtp.To(Address(busy))[0].Body);
        Assert.Empty(app.Smtp.To(Address(rejected)));
        app.Smtp.Busy = true;
    }

    [Fact]
    public async Task The_emails_of_one_batch_go_over_one_smtp_connection()
    {
        var people = new List<Contact>();
        for (var i = 0; i < 3; i++) people.Add(await app.Person());
        foreach (var p in people) await app.Queue(p.Id, "s", "t", purpose: ContactPurpose.Transactional);
        var before = app.Smtp.Sessions;
        await app.Dispatch();
        Assert.All(people, p => Assert.Single(app.Smtp.To(Address(p))));
        Assert.Equal(1, app.Smtp.Sessions - before);
    }

    [Fact]
    public async Task An_email_whose_send_was_cut_off_is_sent_again_with_the_same_message_id()
    {
        var person = await app.Person();
        var message = await app.Queue(person.Id, "s", "t", purpose: ContactPurpose.Transactional);
        await using (var db = await app.Db())
        {
            // As a dispatcher killed between "sending" and the server's answer leaves it.
            var m = await db.Messages.SingleAsync(x => x.Id == message.Id);
            (m.Status, m.Address, m.EmailChannelId, m.Attempts) = (MessageStatus.Sending, Address(person), app.ChannelId, 1);
            (m.LockToken, m.LockedUntil) = (Guid.NewGuid(), app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1));
            await db.SaveChangesAsync();
        }

        await app.Dispatch();
        var sent = await app.Message(message.Id);
        Assert.Equal((MessageStatus.Sent, 2), (sent.Status, sent.Attempts));
        Assert.Equal($"payvand.{sent.LocalId}@shop.test", Assert.Single(app.Smtp.To(Address(person))).MessageId);
    }

    [Fact]
    public async Task Email_channels_through_the_api_never_return_the_password_and_bad_input_is_400_with_fields()
    {
        using var admin = await app.Admin();
        var created = await admin.PostAsJsonAsync("/api/channels/email", new
        {
            key = "api-mail",
            name = "API mail",
            host = "127.0.0.1",
            port = app.Smtp.Port,
            tls = "None",
            userName = "u1",
            password = "a secret password 42",
            fromAddress = "hello@shop.test",
            ratePerSecond = 5,
            trackClicks = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain("a secret password 42", body, StringComparison.Ordinal);
        var view = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.True(view.GetProperty("passwordSet").GetBoolean());
        Assert.Equal("None", view.GetProperty("tls").GetString());
        var id = view.GetProperty("id").GetInt32();
        Assert.DoesNotContain("a secret password 42", await admin.GetStringAsync("/api/channels/email"), StringComparison.Ordinal);
        await using (var db = await app.Db())
        {
            var stored = await db.Set<EmailChannel>().SingleAsync(c => c.Id == id);
            Assert.DoesNotContain("a secret password 42", stored.ProtectedPassword!, StringComparison.Ordinal);
            Assert.False(await db.Audit.AnyAsync(a => a.EntityType == nameof(EmailChannel) && a.Changes != null && a.Changes.Contains("ProtectedPassword")));
        }

        // Left out, the password stays.
        var changed = await admin.PutAsJsonAsync($"/api/channels/email/{id}", new { key = "api-mail", name = "API mail 2", host = "127.0.0.1", port = app.Smtp.Port, tls = "None", userName = "u1", fromAddress = "hello@shop.test" });
        Assert.True((await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("passwordSet").GetBoolean());

        var bad = await admin.PostAsJsonAsync("/api/channels/email", new { key = "Bad Key!", name = "", host = "not a host", port = 70000, fromAddress = "nobody", replyTo = "x@", ratePerSecond = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "key", "name", "host", "port", "fromAddress", "replyTo", "ratePerSecond" }) Assert.True(errors.TryGetProperty(field, out _), field);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/channels/email/999999")).StatusCode);
        using var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/channels/email")).StatusCode);

        // The test send goes through the channel's server (the test server asks for no sign-in: a channel with a user
        // name cannot sign in there, and says so).
        var test = await admin.PostAsJsonAsync($"/api/channels/email/{app.ChannelId}/test", new { to = "admin-test@example.com" });
        Assert.True((await test.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sent").GetBoolean());
        Assert.Equal(EmailApp.From, Assert.Single(app.Smtp.To("admin-test@example.com")).From.Mailboxes.Single().Address);
        var refused = await (await admin.PostAsJsonAsync($"/api/channels/email/{id}/test", new { to = "admin-test-2@example.com" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(refused.GetProperty("sent").GetBoolean());
        Assert.False(string.IsNullOrEmpty(refused.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/channels/email/{id}/test", new { to = "nope" })).StatusCode);
    }

    [Fact]
    public async Task Api_messages_send_an_email_with_its_subject_and_html_and_refuse_an_email_without_a_subject()
    {
        var person = await app.Person();
        using var admin = await app.Admin();
        var created = await admin.PostAsJsonAsync("/api/messages", new
        {
            contactId = person.Id,
            channel = "email",
            subject = "رسید خرید",
            body = "سپاس از خرید شما",
            html = "<p>سپاس از <a href=\"https://shop.example/r/1\">خرید</a> شما</p>",
            trackClicks = false,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("email", "رسید خرید"), (view.GetProperty("channel").GetString(), view.GetProperty("subject").GetString()));
        await app.Dispatch();
        var mail = Assert.Single(app.Smtp.To(Address(person)));
        Assert.Equal("رسید خرید", mail.Subject);
        Assert.Contains("href=\"https://shop.example/r/1\"", mail.HtmlBody, StringComparison.Ordinal); // not tracked when asked so
        Assert.DoesNotContain("/t/o/", mail.HtmlBody, StringComparison.Ordinal);

        var bad = await admin.PostAsJsonAsync("/api/messages", new { contactId = person.Id, channel = "email", body = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("subject", out _));
        var smsWithSubject = await admin.PostAsJsonAsync("/api/messages", new { contactId = person.Id, body = "x", subject = "y" });
        Assert.Equal(HttpStatusCode.BadRequest, smsWithSubject.StatusCode);
        var unknown = await admin.PostAsJsonAsync("/api/messages", new { contactId = person.Id, body = "x", channel = "pigeon" });
        Assert.True((await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("channel", out _));
    }
}
