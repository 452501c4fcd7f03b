using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging;
using Payvand.Platform.Auth;
using Payvand.Platform.Settings;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Messaging;

// The message outbox end to end against the fake Kavenegar process, on SQLite and PostgreSQL: every consent reason
// kept on the message, quiet hours with the test's clock, the opt-out text, delivery reports, the carrier blacklist,
// replies that opt out and back in, the webhook, and /api/messages with its Idempotency-Key, cancel and resend.
[Trait("Category", "Integration")]
public sealed class MessagingTests(MessagingApp app) : IClassFixture<MessagingApp>
{
    private static readonly string[] BadLines = ["12ab"];
    private static readonly string[] ChannelFields = ["key", "name", "baseUrl", "apiKey", "lines"];

    private async Task Settings(TimeOnly? quietFrom = null, TimeOnly? quietTo = null, int? cap = null) =>
        await app.Services.GetRequiredService<PayvandSettings>().Save(new BusinessSettings { QuietFrom = quietFrom, QuietTo = quietTo, WeeklyPromotionalCap = cap });

    private async Task<List<FakeKavenegarProcess.Sent>> SentTo(string mobile) =>
        (await app.Gateway.SentMessages()).Where(s => FakeKavenegarProcess.Number(s.Receptor) == FakeKavenegarProcess.Number(mobile)).ToList();

    private static string Mobile(Contact c) => c.Points[0].NormalizedValue;

    [Fact]
    public async Task A_promotional_message_is_sent_once_with_the_opt_out_text_and_its_delivery_is_recorded_on_the_timeline()
    {
        await Settings();
        app.MoveTo(12);
        var person = await app.Person();
        var message = await app.Queue(person.Id, "تخفیف ویژه آخر هفته");
        await app.Dispatch();
        await app.Dispatch(); // nothing due: nothing sent again

        var sent = await app.Message(message.Id);
        Assert.Equal(MessageStatus.Sent, sent.Status);
        Assert.Equal(Mobile(person), sent.Address);
        Assert.Equal(MessagingApp.Line, sent.SenderLine);
        var at = Assert.Single(await SentTo(Mobile(person)));
        Assert.Equal("تخفیف ویژه آخر هفته\nلغو۱۱", at.Message);
        Assert.Equal(sent.LocalId, at.LocalId);
        Assert.Equal(at.MessageId, sent.ProviderMessageId);

        Assert.Equal(1, await app.DeliveryReports());
        var delivered = await app.Message(message.Id);
        Assert.Equal(MessageStatus.Delivered, delivered.Status);
        Assert.NotNull(delivered.DeliveredAt);
        await using var db = await app.Db();
        var entry = await db.Activities.SingleAsync(a => a.SourceType == MessageStates.SourceType && a.SourceId == message.Id.ToString());
        Assert.Equal((person.Id, MessageStates.TimelineType), (entry.ContactId, entry.Type));
        Assert.Contains("\"Delivered\"", entry.Data, StringComparison.Ordinal);
        // The weekly cap counts it.
        Assert.Equal(1, await db.PromotionalContacts.CountAsync(p => p.ContactId == person.Id));
    }

    [Fact]
    public async Task Every_refusal_of_the_consent_service_is_kept_on_the_message_and_nothing_is_sent()
    {
        await Settings(cap: 1);
        app.MoveTo(12);
        var noConsent = await app.Person(ConsentStatus.Unknown);
        var optedOut = await app.Person(ConsentStatus.OptedOut);
        var blocked = await app.Person();
        var noMobile = await app.Person(change: c => c.Points.Clear());
        var capped = await app.Person();
        var transactionalOptOut = await app.Person(change: c => c.SetConsent(ConsentChannel.Sms, ContactPurpose.Transactional, ConsentStatus.OptedOut, "test", DateTime.UnixEpoch, null));
        await using (var db = await app.Db())
        {
            Reachability.Block(db, Mobile(blocked), null, "operator", app.Clock.GetUtcNow().UtcDateTime);
            Reachability.RecordPromotional(db, capped.Id, ConsentChannel.Sms, app.Clock.GetUtcNow().UtcDateTime.AddDays(-1));
            await db.SaveChangesAsync();
        }

        var expected = new Dictionary<long, MessageReason>
        {
            [(await app.Queue(noConsent.Id, "offer")).Id] = MessageReason.NoConsent,
            [(await app.Queue(optedOut.Id, "offer")).Id] = MessageReason.OptedOut,
            [(await app.Queue(blocked.Id, "offer")).Id] = MessageReason.Blocked,
            [(await app.Queue(noMobile.Id, "offer")).Id] = MessageReason.NoAddress,
            [(await app.Queue(capped.Id, "offer")).Id] = MessageReason.FrequencyCap,
            [(await app.Queue(transactionalOptOut.Id, "your code is 1234", ContactPurpose.Transactional)).Id] = MessageReason.OptedOut,
        };
        // A blocked number still gets its receipts and codes (the blocklist covers advertising only).
        var receipt = await app.Queue(blocked.Id, "receipt", ContactPurpose.Transactional);
        await app.Dispatch();

        foreach (var (id, reason) in expected)
        {
            var m = await app.Message(id);
            Assert.Equal((MessageStatus.Suppressed, reason), (m.Status, m.Reason));
        }

        Assert.Equal(MessageStatus.Sent, (await app.Message(receipt.Id)).Status);
        Assert.Empty(await SentTo(Mobile(optedOut)));
        Assert.Single(await SentTo(Mobile(blocked)));
        await Settings();
    }

    [Fact]
    public async Task Quiet_hours_hold_a_promotional_message_until_they_end_and_transactional_ones_go_at_once()
    {
        await Settings(new TimeOnly(21, 0), new TimeOnly(8, 0));
        var night = app.MoveTo(22, 30);
        var person = await app.Person();
        var offer = await app.Queue(person.Id, "offer at night");
        var code = await app.Queue(person.Id, "code 4321", ContactPurpose.Transactional);
        await app.Dispatch();

        var waiting = await app.Message(offer.Id);
        Assert.Equal((MessageStatus.Waiting, MessageReason.QuietHours), (waiting.Status, waiting.Reason));
        Assert.Equal(night.AddHours(9.5).UtcDateTime, waiting.NotBefore); // 08:00 the next morning
        Assert.Equal(MessageStatus.Sent, (await app.Message(code.Id)).Status);
        Assert.Single(await SentTo(Mobile(person)));

        app.MoveTo(7, 59);
        await app.Dispatch();
        Assert.Equal(MessageStatus.Waiting, (await app.Message(offer.Id)).Status);

        app.MoveTo(8, 1);
        await app.Dispatch();
        Assert.Equal(MessageStatus.Sent, (await app.Message(offer.Id)).Status);
        Assert.Equal(2, (await SentTo(Mobile(person))).Count);
        await Settings();
    }

    [Fact]
    public async Task Outside_the_persons_best_time_a_promotional_message_waits_for_it()
    {
        await Settings();
        app.MoveTo(12);
        var person = await app.Person(change: c => (c.Preferences.BestFrom, c.Preferences.BestTo) = (new TimeOnly(18, 0), new TimeOnly(20, 0)));
        var offer = await app.Queue(person.Id, "evening offer");
        await app.Dispatch();
        var waiting = await app.Message(offer.Id);
        Assert.Equal((MessageStatus.Waiting, MessageReason.OutsideBestTime), (waiting.Status, waiting.Reason));
        var noon = app.Clock.GetUtcNow();
        Assert.Equal(noon.AddHours(6).UtcDateTime, waiting.NotBefore); // 18:00 the same day
        app.MoveTo(18, 5);
        await app.Dispatch();
        Assert.Equal(MessageStatus.Sent, (await app.Message(offer.Id)).Status);
    }

    [Fact]
    public async Task A_carrier_blacklist_report_fails_the_message_and_blocks_the_number_for_promotional_sms()
    {
        await Settings();
        app.MoveTo(12);
        var person = await app.Person();
        await app.Gateway.SetStatus(Mobile(person), SmsStatusCodes.Blacklisted);
        var first = await app.Queue(person.Id, "offer one");
        await app.Dispatch();
        await app.DeliveryReports();
        var failed = await app.Message(first.Id);
        Assert.Equal((MessageStatus.Failed, MessageReason.CarrierBlacklist, SmsStatusCodes.Blacklisted), (failed.Status, failed.Reason, failed.ProviderStatus));
        await using (var db = await app.Db())
        {
            Assert.True(await db.BlockedAddresses.AnyAsync(b => b.Address == Mobile(person) && b.SenderLine == null));
        }

        var second = await app.Queue(person.Id, "offer two");
        await app.Dispatch();
        var suppressed = await app.Message(second.Id);
        Assert.Equal((MessageStatus.Suppressed, MessageReason.Blocked), (suppressed.Status, suppressed.Reason));
        Assert.Single(await SentTo(Mobile(person)));
    }

    [Theory]
    [InlineData("11")]
    [InlineData("۱۱")]
    [InlineData("لغو")]
    [InlineData("Stop")]
    public async Task A_reply_opts_the_person_out_with_history_and_12_opts_them_back_in(string reply)
    {
        await Settings();
        app.MoveTo(12);
        var person = await app.Person();
        var local = "0" + Mobile(person)[3..];
        await app.Gateway.Inbound(MessagingApp.Line, local, reply);
        Assert.Equal(1, await app.Replies());

        await using (var db = await app.Db())
        {
            var consent = await db.ContactConsents.SingleAsync(c => c.ContactId == person.Id && c.Channel == ConsentChannel.Sms && c.Purpose == ContactPurpose.Promotional);
            Assert.Equal((ConsentStatus.OptedOut, SmsReplies.Source), (consent.Status, consent.Source));
            Assert.True(await db.ConsentRecords.AnyAsync(r => r.ContactId == person.Id && r.Status == ConsentStatus.OptedOut && r.Source == SmsReplies.Source));
            Assert.True(await db.BlockedAddresses.AnyAsync(b => b.Address == Mobile(person) && b.SenderLine == MessagingApp.Line));
        }

        var offer = await app.Queue(person.Id, "offer");
        await app.Dispatch();
        Assert.Equal((MessageStatus.Suppressed, MessageReason.OptedOut), ((await app.Message(offer.Id)).Status, (await app.Message(offer.Id)).Reason));

        await app.Gateway.Inbound(MessagingApp.Line, local, "۱۲");
        Assert.Equal(1, await app.Replies());
        await using (var db = await app.Db())
        {
            var consent = await db.ContactConsents.SingleAsync(c => c.ContactId == person.Id && c.Channel == ConsentChannel.Sms && c.Purpose == ContactPurpose.Promotional);
            Assert.Equal(ConsentStatus.OptedIn, consent.Status);
            Assert.False(await db.BlockedAddresses.AnyAsync(b => b.Address == Mobile(person) && b.SenderLine == MessagingApp.Line));
        }

        var again = await app.Queue(person.Id, "offer again");
        await app.Dispatch();
        Assert.Equal(MessageStatus.Sent, (await app.Message(again.Id)).Status);
    }

    [Fact]
    public async Task The_webhook_takes_replies_and_delivery_reports_only_with_the_channels_secret()
    {
        await Settings();
        app.MoveTo(12);
        var person = await app.Person();
        var client = app.CreateClient();
        var path = "/hooks/sms/kavenegar/main";
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["from"] = "0" + Mobile(person)[3..], ["to"] = MessagingApp.Line, ["message"] = "STOP" });
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync(path + "?secret=wrong", form)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/hooks/sms/kavenegar/nobody?secret=" + Uri.EscapeDataString(MessagingApp.WebhookSecret), form)).StatusCode);
        await using (var db = await app.Db())
        {
            Assert.False(await db.ConsentRecords.AnyAsync(r => r.ContactId == person.Id && r.Source == SmsReplies.Source));
        }

        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
        request.Headers.Add(SmsWebhook.SecretHeader, MessagingApp.WebhookSecret);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        await using (var db = await app.Db())
        {
            Assert.Equal(ConsentStatus.OptedOut, (await db.ContactConsents.SingleAsync(c => c.ContactId == person.Id && c.Purpose == ContactPurpose.Promotional)).Status);
        }

        var code = await app.Queue(person.Id, "code 1111", ContactPurpose.Transactional);
        await app.Dispatch();
        var sent = await app.Message(code.Id);
        var report = await client.GetAsync($"{path}?secret={Uri.EscapeDataString(MessagingApp.WebhookSecret)}&messageid={sent.ProviderMessageId}&status=10");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal(MessageStatus.Delivered, (await app.Message(code.Id)).Status);
    }

    [Fact]
    public async Task A_server_error_is_retried_after_a_back_off_and_the_message_looked_up_first_then_sent_once()
    {
        await Settings();
        app.MoveTo(12);
        var person = await app.Person();
        var message = await app.Queue(person.Id, "code 9999", ContactPurpose.Transactional);
        await app.Gateway.FailNext(1, 502);
        await app.Dispatch();
        var unsure = await app.Message(message.Id);
        Assert.Equal(MessageStatus.Sending, unsure.Status); // the gateway may have taken it: looked up before another send
        Assert.NotNull(unsure.LastError);
        Assert.True(unsure.NotBefore > app.Clock.GetUtcNow().UtcDateTime);
        Assert.Empty(await SentTo(Mobile(person)));

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.Dispatch();
        var sent = await app.Message(message.Id);
        Assert.Equal((MessageStatus.Sent, 2), (sent.Status, sent.Attempts));
        Assert.Single(await SentTo(Mobile(person)));
    }

    [Fact]
    public async Task The_api_sends_one_message_per_idempotency_key_and_refuses_the_key_with_another_request()
    {
        await Settings();
        app.MoveTo(12);
        var person = await app.Person(ConsentStatus.Unknown);
        var client = await app.ClientAs(Roles.Admin);
        var key = Guid.NewGuid().ToString();

        async Task<HttpResponseMessage> Post(object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = JsonContent.Create(body, options: HttpExtensions.Json) };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }

        var created = await (await Post(new { contactId = person.Id, body = "کد ورود شما: ۴۴۵۵" })).Read<JsonElement>(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(("Queued", "Transactional"), (created.GetProperty("status").GetString(), created.GetProperty("purpose").GetString()));
        var replay = await (await Post(new { contactId = person.Id, body = "کد ورود شما: ۴۴۵۵" })).Read<JsonElement>(HttpStatusCode.OK);
        Assert.Equal(id, replay.GetProperty("id").GetInt64());
        await (await Post(new { contactId = person.Id, body = "another code" })).Problem(HttpStatusCode.UnprocessableEntity);
        await using (var db = await app.Db())
        {
            Assert.Equal(1, await db.Messages.CountAsync(m => m.ContactId == person.Id));
        }

        await app.Dispatch();
        Assert.Single(await SentTo(Mobile(person)));
        var log = await client.GetFromJsonAsync<JsonElement>($"/api/messages?contactId={person.Id}&status=Sent", HttpExtensions.Json);
        Assert.Equal(id, log.GetProperty("items")[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Bad_input_is_400_with_field_errors_in_the_callers_language()
    {
        var client = await app.ClientAs(Roles.Admin, "fa-IR");
        var problem = await (await client.PostJson("/api/messages", new { contactId = (int?)null, body = "" })).Problem(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("contactId", out _));
        Assert.True(errors.TryGetProperty("body", out var body));
        Assert.Matches("[\u0600-\u06FF]", body[0].GetString()!);
        var missing = await (await client.PostJson("/api/messages", new { contactId = 999_999, body = "x" })).Problem(HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("contactId", out _));
        var channel = await (await client.PostJson("/api/channels", new { key = "bad key", name = "", baseUrl = "ftp://x", lines = BadLines })).Problem(HttpStatusCode.BadRequest);
        foreach (var field in ChannelFields) Assert.True(channel.GetProperty("errors").TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task A_queued_message_can_be_cancelled_and_a_cancelled_one_sent_again_as_a_new_message()
    {
        await Settings();
        app.MoveTo(12);
        var person = await app.Person();
        var message = await app.Queue(person.Id, "reminder", ContactPurpose.Transactional);
        var client = await app.ClientAs(Roles.Admin);
        var cancelled = await (await client.PostAsync($"/api/messages/{message.Id}/cancel", null)).Read<JsonElement>();
        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        await (await client.PostAsync($"/api/messages/{message.Id}/cancel", null)).Problem(HttpStatusCode.Conflict);
        await app.Dispatch();
        Assert.Empty(await SentTo(Mobile(person)));

        var resent = await (await client.PostAsync($"/api/messages/{message.Id}/resend", null)).Read<JsonElement>();
        Assert.Equal(message.Id, resent.GetProperty("resendOf").GetInt64());
        await app.Dispatch();
        Assert.Equal(MessageStatus.Sent, (await app.Message(resent.GetProperty("id").GetInt64())).Status);
        Assert.Single(await SentTo(Mobile(person)));
        await (await client.PostAsync($"/api/messages/{resent.GetProperty("id").GetInt64()}/resend", null)).Problem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Channels_need_the_channels_permission_and_never_show_the_api_key()
    {
        var sales = await app.ClientAs(Roles.Sales);
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.GetAsync("/api/channels")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.PostAsync("/api/messages/1/cancel", null)).StatusCode);
        var admin = await app.ClientAs(Roles.Admin);
        var body = await (await admin.GetAsync("/api/channels")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(FakeKavenegarProcess.ApiKey, body, StringComparison.Ordinal);
        Assert.DoesNotContain(MessagingApp.WebhookSecret, body, StringComparison.Ordinal);
        var channel = JsonDocument.Parse(body).RootElement[0];
        Assert.True(channel.GetProperty("apiKeySet").GetBoolean());
        Assert.True(channel.GetProperty("webhookSecretSet").GetBoolean());
        await using var db = await app.Db();
        var stored = await db.SmsChannels.SingleAsync(c => c.Id == app.ChannelId);
        Assert.DoesNotContain(FakeKavenegarProcess.ApiKey, stored.ProtectedApiKey!, StringComparison.Ordinal);

        var test = await (await admin.PostJson($"/api/channels/{app.ChannelId}/test", new { mobile = "۰۹۱۲۳۴۵۶۷۸۹", text = "test" })).Read<JsonElement>();
        Assert.True(test.GetProperty("sent").GetBoolean());
    }
}
