using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging;
using Payvand.Platform.Auth;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Messaging;

// Every SMS sent to the sender lines is kept once, on SQLite and PostgreSQL, against the fake Kavenegar process:
// polled twice (the gateway answered it again) or polled and pushed by the webhook, it is one row and one consent
// change; it names the person with the number and what was done, is on their timeline in the reader's language,
// listed by /api/messages/inbound with its filters, erased and moved with the person.
[Trait("Category", "Integration")]
public sealed class InboundSmsTests(MessagingApp app) : IClassFixture<MessagingApp>
{
    private static string Mobile(Contact c) => c.Points[0].NormalizedValue;

    private static string Local(Contact c) => "0" + Mobile(c)[3..];

    private async Task<List<InboundSms>> From(string mobile)
    {
        await using var db = await app.Db();
        return await db.Set<InboundSms>().AsNoTracking().Where(m => m.From == mobile).OrderBy(m => m.Id).ToListAsync();
    }

    private static HttpRequestMessage Webhook(Dictionary<string, string> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/sms/kavenegar/main") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(SmsWebhook.SecretHeader, MessagingApp.WebhookSecret);
        return request;
    }

    [Fact]
    public async Task An_inbound_sms_read_twice_by_polling_and_once_by_the_webhook_is_kept_once_with_one_consent_change()
    {
        var person = await app.Person();
        var stop = await app.Gateway.Inbound(MessagingApp.Line, Local(person), "لغو");
        await app.Gateway.Inbound(MessagingApp.Line, Local(person), "سلام، کی باز هستید؟");
        Assert.Equal(1, await app.Replies());

        await app.Gateway.Unread();
        Assert.Equal(0, await app.Replies());
        var client = app.CreateClient();
        var pushed = await client.SendAsync(Webhook(new() { ["messageid"] = stop.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["from"] = Local(person), ["to"] = MessagingApp.Line, ["message"] = "لغو" }));
        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);

        var kept = await From(Mobile(person));
        Assert.Equal(2, kept.Count);
        var optOut = kept.Single(m => m.ProviderMessageId == stop.MessageId);
        Assert.Equal((person.Id, InboundSmsAction.OptedOut, MessagingApp.Line, "لغو", app.ChannelId), (optOut.ContactId, optOut.Action, optOut.Line, optOut.Text, optOut.SmsChannelId));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(stop.Date).UtcDateTime, optOut.ReceivedAt);
        var question = kept.Single(m => m.Id != optOut.Id);
        Assert.Equal((person.Id, InboundSmsAction.None), (question.ContactId, question.Action));
        await using var db = await app.Db();
        Assert.Equal(1, await db.ConsentRecords.CountAsync(r => r.ContactId == person.Id && r.Source == SmsReplies.Source));
        Assert.Equal(2, await db.Activities.CountAsync(a => a.ContactId == person.Id && a.Type == InboundSms.TimelineType));
    }

    [Fact]
    public async Task Without_a_gateway_id_the_same_text_from_the_same_number_at_the_same_second_is_kept_once()
    {
        var person = await app.Person();
        var client = app.CreateClient();
        Dictionary<string, string> form = new() { ["from"] = Local(person), ["to"] = MessagingApp.Line, ["message"] = "STOP" };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Webhook(form))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Webhook(form))).StatusCode);
        var kept = Assert.Single(await From(Mobile(person)));
        Assert.Equal((null, InboundSmsAction.OptedOut), (kept.ProviderMessageId, kept.Action));

        // A second later it is another message.
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Webhook(form))).StatusCode);
        Assert.Equal(2, (await From(Mobile(person))).Count);
    }

    [Fact]
    public async Task A_message_from_an_unknown_number_is_kept_without_a_person()
    {
        var stranger = MessagingApp.NewMobile();
        await app.Gateway.Inbound(MessagingApp.Line, "0" + stranger[3..], "12");
        await app.Replies();
        var kept = Assert.Single(await From(stranger));
        Assert.Equal((null, InboundSmsAction.OptedIn), (kept.ContactId, kept.Action));
    }

    [Fact]
    public async Task The_api_lists_inbound_sms_newest_first_with_filters_and_needs_the_message_log_permission()
    {
        var person = await app.Person();
        await app.Gateway.Inbound(MessagingApp.Line, Local(person), "11");
        app.Clock.Advance(TimeSpan.FromSeconds(5));
        await app.Gateway.Inbound(MessagingApp.Line, Local(person), "ممنون");
        var stranger = MessagingApp.NewMobile();
        await app.Gateway.Inbound(MessagingApp.Line, "0" + stranger[3..], "قیمت؟");
        await app.Replies();

        var admin = await app.ClientAs(Roles.Admin);
        var all = await admin.GetFromJsonAsync<JsonElement>("/api/messages/inbound?pageSize=200", HttpExtensions.Json);
        var items = all.GetProperty("items").EnumerateArray().ToList();
        var mine = items.Where(i => i.GetProperty("from").GetString() == Mobile(person)).ToList();
        Assert.Equal(["ممنون", "11"], mine.Select(i => i.GetProperty("text").GetString()));
        Assert.Equal(person.Id, mine[0].GetProperty("contactId").GetInt32());
        Assert.Equal(person.LastName, mine[0].GetProperty("contactName").GetString());
        Assert.Contains(items, i => i.GetProperty("from").GetString() == stranger);

        var optedOut = await admin.GetFromJsonAsync<JsonElement>("/api/messages/inbound?action=OptedOut&hasPerson=true&pageSize=200", HttpExtensions.Json);
        Assert.All(optedOut.GetProperty("items").EnumerateArray(), i => Assert.Equal(("OptedOut", true),
            (i.GetProperty("action").GetString(), i.GetProperty("contactId").ValueKind == JsonValueKind.Number)));
        Assert.Contains(optedOut.GetProperty("items").EnumerateArray(), i => i.GetProperty("from").GetString() == Mobile(person));
        var unknown = await admin.GetFromJsonAsync<JsonElement>("/api/messages/inbound?hasPerson=false&pageSize=200", HttpExtensions.Json);
        Assert.All(unknown.GetProperty("items").EnumerateArray(), i => Assert.Equal(JsonValueKind.Null, i.GetProperty("contactId").ValueKind));
        Assert.Contains(unknown.GetProperty("items").EnumerateArray(), i => i.GetProperty("from").GetString() == stranger);
        var otherLine = await admin.GetFromJsonAsync<JsonElement>("/api/messages/inbound?line=۹۹۹۹", HttpExtensions.Json);
        Assert.Equal(0, otherLine.GetProperty("items").GetArrayLength());

        var persian = await app.ClientAs(Roles.Admin, "fa-IR");
        var bad = await (await persian.GetAsync("/api/messages/inbound?action=maybe")).Problem(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("action", out var error));
        Assert.Matches("[\u0600-\u06FF]", error[0].GetString()!);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAs(Roles.Sales)).GetAsync("/api/messages/inbound")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await app.ClientAs(Roles.Support)).GetAsync("/api/messages/inbound")).StatusCode);
    }

    [Fact]
    public async Task The_timeline_entry_is_drawn_in_the_readers_language()
    {
        var person = await app.Person();
        await app.Gateway.Inbound(MessagingApp.Line, Local(person), "لغو");
        await app.Replies();
        var persian = await app.ClientAs(Roles.Admin, "fa-IR");
        var timeline = await persian.GetFromJsonAsync<JsonElement>($"/api/contacts/{person.Id}/timeline", HttpExtensions.Json);
        var entry = timeline.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("type").GetString() == InboundSms.TimelineType);
        Assert.Equal("پاسخ پیامکی دریافت شد", entry.GetProperty("typeLabel").GetString());
        var subject = Payvand.Platform.Persian.PersianText.ToLatinDigits(entry.GetProperty("subject").GetString()!);
        Assert.StartsWith("به خط 10004346", subject, StringComparison.Ordinal);
        Assert.EndsWith("انصراف از پیامک‌های تبلیغاتی", subject, StringComparison.Ordinal);
        Assert.Equal("لغو", entry.GetProperty("body").GetString());
        var english = await (await app.ClientAs(Roles.Admin)).GetFromJsonAsync<JsonElement>($"/api/contacts/{person.Id}/timeline", HttpExtensions.Json);
        var en = english.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("type").GetString() == InboundSms.TimelineType);
        Assert.Equal("SMS reply received", en.GetProperty("typeLabel").GetString());
        Assert.Contains("Opted out of promotional SMS", en.GetProperty("subject").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erasing_a_person_deletes_their_inbound_sms_and_merging_moves_them()
    {
        var erased = await app.Person();
        var kept = await app.Person();
        var merged = await app.Person();
        foreach (var p in new[] { erased, kept, merged }) await app.Gateway.Inbound(MessagingApp.Line, Local(p), "سلام " + p.LastName);
        await app.Replies();

        using var scope = app.Services.CreateScope();
        await using (var db = await app.Db())
        {
            var contact = await db.Contacts.SingleAsync(c => c.Id == erased.Id);
            Assert.True(await scope.ServiceProvider.GetRequiredService<PersonalDataRequests>().Erase(
                erased.Id, new PersonalDataRequests.EraseRequest(contact.DisplayName, "asked by SMS"), UserScope.System, CancellationToken.None));
            var versions = await db.Contacts.Where(c => c.Id == kept.Id || c.Id == merged.Id).ToDictionaryAsync(c => c.Id, c => c.Version);
            Assert.True(await scope.ServiceProvider.GetRequiredService<MergeContacts>().Handle(
                kept.Id, new MergeContacts.Request(merged.Id, versions[kept.Id], versions[merged.Id]), UserScope.System, CancellationToken.None));
        }

        await using var after = await app.Db();
        Assert.Empty(await From(Mobile(erased)));
        Assert.False(await after.Set<InboundSms>().AnyAsync(m => m.ContactId == erased.Id));
        Assert.False(await after.Activities.AnyAsync(a => a.ContactId == erased.Id && a.Type == InboundSms.TimelineType));
        Assert.Equal(kept.Id, Assert.Single(await From(Mobile(merged))).ContactId);
        Assert.Equal(2, await after.Set<InboundSms>().CountAsync(m => m.ContactId == kept.Id));
    }
}
