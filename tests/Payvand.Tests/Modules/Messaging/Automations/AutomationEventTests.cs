using System.Net;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging;
using Payvand.Modules.Messaging.Automations;
using Payvand.Modules.Purchases;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Messaging.Automations;

// The event-driven automations (thank-you, welcome) on SQLite and PostgreSQL: one message per person per occasion
// however often the event is delivered, nothing from a disabled automation, a template that fails to render recorded
// on the run log with nothing queued, and a thank-you SMS that reaches the fake Kavenegar process.
[Trait("Category", "Integration")]
public sealed class AutomationEventTests(MessagingApp app) : IClassFixture<MessagingApp>
{
    private PurchaseRecorded Purchase(int id, int contactId, long total = 1_500_000, int hoursAgo = 0) =>
        new(id, contactId, app.MainBranchId, total, "IRR", app.Clock.GetUtcNow().UtcDateTime.AddHours(-hoursAgo));

    [Fact]
    public async Task A_thank_you_is_queued_once_per_purchase_even_when_the_event_is_delivered_twice()
    {
        var template = await AutomationKit.Template(app, "{{ person.last_name }}، از خرید {{ amount | money }} شما سپاسگزاریم");
        var automation = await AutomationKit.Automation(app, "thank-you", template);
        var person = await app.Person();

        await AutomationKit.Deliver(app, Purchase(910_001, person.Id));
        await AutomationKit.Deliver(app, Purchase(910_001, person.Id)); // the same event again
        await AutomationKit.Deliver(app, Purchase(910_002, person.Id, total: 20_000));

        var messages = await AutomationKit.Messages(app, automation, person.Id);
        Assert.Equal(["purchase:910001", "purchase:910002"], messages.Select(m => m.Occasion));
        Assert.Equal($"{person.LastName}، از خرید ۱۵۰٬۰۰۰ تومان شما سپاسگزاریم", messages[0].Body);
        Assert.All(messages, m => Assert.Equal((ConsentChannel.Sms, ContactPurpose.Transactional, MessageStatus.Queued), (m.Channel, m.Purpose, m.Status)));
        // An event queues without a run entry: the message is the record.
        Assert.Empty(await AutomationKit.Runs(app, automation));
    }

    [Fact]
    public async Task An_email_automation_queues_the_templates_subject_text_and_html_rendered_for_the_person()
    {
        var template = await AutomationKit.Template(app, "{{ person.last_name }}، سپاس از خرید {{ amount | money }}",
            subject: "رسید خرید {{ person.last_name }}", html: "<p>سپاس از خرید <b>{{ amount | money }}</b></p>");
        var automation = await AutomationKit.Automation(app, "thank-you", template, channel: ConsentChannel.Email);
        var person = await app.Person();

        await AutomationKit.Deliver(app, Purchase(910_101, person.Id));

        var message = Assert.Single(await AutomationKit.Messages(app, automation, person.Id));
        Assert.Equal(ConsentChannel.Email, message.Channel);
        Assert.Equal($"رسید خرید {person.LastName}", message.Subject);
        Assert.Equal($"{person.LastName}، سپاس از خرید ۱۵۰٬۰۰۰ تومان", message.Body);
        Assert.Equal("<p>سپاس از خرید <b>۱۵۰٬۰۰۰ تومان</b></p>", message.HtmlBody);
    }

    [Fact]
    public async Task Purchases_below_the_minimum_or_brought_in_as_history_get_no_thank_you()
    {
        var template = await AutomationKit.Template(app, "ممنونیم");
        var automation = await AutomationKit.Automation(app, "thank-you", template, new() { ["minTotal"] = "1000000", ["maxAgeHours"] = "48" });
        var person = await app.Person();

        await AutomationKit.Deliver(app, Purchase(920_001, person.Id, total: 999_999));
        await AutomationKit.Deliver(app, Purchase(920_002, person.Id, hoursAgo: 49));
        await AutomationKit.Deliver(app, Purchase(920_003, person.Id, hoursAgo: 47));

        Assert.Equal(["purchase:920003"], (await AutomationKit.Messages(app, automation, person.Id)).Select(m => m.Occasion));
    }

    [Fact]
    public async Task A_disabled_automation_sends_nothing_until_it_is_switched_on()
    {
        var template = await AutomationKit.Template(app, "ممنونیم");
        var automation = await AutomationKit.Automation(app, "thank-you", template, enabled: false);
        var person = await app.Person();

        await AutomationKit.Deliver(app, Purchase(930_001, person.Id));
        Assert.Empty(await AutomationKit.Messages(app, automation, person.Id));

        var admin = await app.ClientAs(Payvand.Platform.Auth.Roles.Admin);
        Assert.True((await (await admin.PostAsync($"/api/automations/{automation}/enable", null)).Read<AutomationDto>()).Enabled);
        await AutomationKit.Deliver(app, Purchase(930_002, person.Id));
        Assert.Equal(["purchase:930002"], (await AutomationKit.Messages(app, automation, person.Id)).Select(m => m.Occasion));

        Assert.False((await (await admin.PostAsync($"/api/automations/{automation}/disable", null)).Read<AutomationDto>()).Enabled);
        await AutomationKit.Deliver(app, Purchase(930_003, person.Id));
        Assert.Single(await AutomationKit.Messages(app, automation, person.Id));
    }

    [Fact]
    public async Task A_template_that_fails_to_render_is_recorded_on_the_run_log_and_queues_nothing()
    {
        // {{ coupon }} is a value the sender gives: the thank-you trigger gives none, so rendering fails.
        var template = await AutomationKit.Template(app, "کد تخفیف شما {{ coupon }}");
        var automation = await AutomationKit.Automation(app, "thank-you", template);
        var person = await app.Person();

        await AutomationKit.Deliver(app, Purchase(940_001, person.Id));

        Assert.Empty(await AutomationKit.Messages(app, automation, person.Id));
        // (Purchases of other tests' people reach this automation too: only this person's run is looked at.)
        var run = Assert.Single(await AutomationKit.Runs(app, automation), r => r.Error!.StartsWith($"#{person.Id}:", StringComparison.Ordinal));
        Assert.Equal((nameof(PurchaseRecorded), 0, 1), (run.Cause, run.Queued, run.Failed));
        Assert.Contains("coupon", run.Error, StringComparison.Ordinal);
        Assert.StartsWith($"#{person.Id}: body:", run.Error, StringComparison.Ordinal);

        var admin = await app.ClientAs(Payvand.Platform.Auth.Roles.Admin);
        var activity = await (await admin.GetAsync($"/api/automations/{automation}/runs")).Read<AutomationActivity>();
        Assert.Contains(activity.Runs, r => r.Id == run.Id && r.Failed == 1);
        Assert.Equal(0, activity.Messages.Queued);
    }

    [Fact]
    public async Task A_welcome_after_sign_up_is_sent_once_for_a_person_created_through_the_api()
    {
        var template = await AutomationKit.Template(app, "{{ person.first_name }} عزیز، خوش آمدید");
        var automation = await AutomationKit.Automation(app, "welcome", template, new() { ["after"] = "signup" });
        var admin = await app.ClientAs(Payvand.Platform.Auth.Roles.Admin);
        var person = await (await admin.PostJson("/api/contacts", new ContactInput
        {
            FirstName = "سارا",
            LastName = "کریمی",
            Points = [new ContactPointInput(ContactPointKind.Mobile, MessagingApp.NewMobile())],
        })).Read<ContactDetails>(HttpStatusCode.Created);

        // ContactCreated was written with the person and is delivered by the app's event dispatcher.
        var messages = await AutomationKit.WaitForMessages(app, automation, person.Id);
        await AutomationKit.Deliver(app, new ContactCreated(person.Id, person.BranchId, RecordSource.Api, app.Clock.GetUtcNow().UtcDateTime));

        var welcome = Assert.Single(await AutomationKit.Messages(app, automation, person.Id));
        Assert.Equal(("welcome", "سارا عزیز، خوش آمدید"), (welcome.Occasion, welcome.Body));
        Assert.Single(messages);
    }

    [Fact]
    public async Task A_welcome_after_the_first_purchase_comes_with_the_first_purchase_only()
    {
        var template = await AutomationKit.Template(app, "به باشگاه مشتریان خوش آمدید");
        var automation = await AutomationKit.Automation(app, "welcome", template, new() { ["after"] = "first-purchase" });
        var admin = await app.ClientAs(Payvand.Platform.Auth.Roles.Admin);
        var person = await app.Person();
        var buyer = await app.Person();
        // Signing up alone does not welcome with this automation.
        await AutomationKit.Deliver(app, new ContactCreated(person.Id, app.MainBranchId, RecordSource.Api, app.Clock.GetUtcNow().UtcDateTime));
        Assert.Empty(await AutomationKit.Messages(app, automation, person.Id));

        var first = await (await admin.PostJson("/api/purchases", new RecordPurchase.Request
        {
            ContactId = buyer.Id,
            Lines = [new RecordPurchase.LineInput(Description: "کتاب", UnitPrice: 500_000)],
        })).Read<PurchaseDetails>(HttpStatusCode.Created);
        var welcome = Assert.Single(await AutomationKit.WaitForMessages(app, automation, buyer.Id));
        Assert.Equal("welcome", welcome.Occasion);

        // A later purchase (its event delivered again for good measure) is not a first purchase.
        await AutomationKit.Deliver(app, Purchase(first.Id + 1000, buyer.Id));
        await AutomationKit.Deliver(app, Purchase(first.Id, buyer.Id));
        Assert.Single(await AutomationKit.Messages(app, automation, buyer.Id));
    }

    [Fact]
    public async Task A_thank_you_sms_reaches_the_gateway_once()
    {
        var template = await AutomationKit.Template(app, "{{ person.last_name }}، ممنون از خرید شما");
        var automation = await AutomationKit.Automation(app, "thank-you", template);
        var person = await app.Person();
        var admin = await app.ClientAs(Payvand.Platform.Auth.Roles.Admin);

        await (await admin.PostJson("/api/purchases", new RecordPurchase.Request
        {
            ContactId = person.Id,
            Lines = [new RecordPurchase.LineInput(Description: "کفش", UnitPrice: 2_000_000)],
        })).Read<PurchaseDetails>(HttpStatusCode.Created);
        var queued = Assert.Single(await AutomationKit.WaitForMessages(app, automation, person.Id));
        await app.Dispatch();
        await app.Dispatch();

        var mobile = person.Points[0].NormalizedValue;
        var sent = (await app.Gateway.SentMessages()).Where(s => FakeKavenegarProcess.Number(s.Receptor) == FakeKavenegarProcess.Number(mobile)).ToList();
        // Transactional: no opt-out text. (Other tests' automations, a welcome, may greet this buyer too.)
        var sms = Assert.Single(sent, s => s.Message == $"{person.LastName}، ممنون از خرید شما");
        Assert.Equal(queued.LocalId, sms.LocalId);
        Assert.Equal(MessageStatus.Sent, (await app.Message(queued.Id)).Status);

        var counts = (await (await admin.GetAsync($"/api/automations/{automation}")).Read<AutomationDto>()).Messages;
        Assert.Equal((1, 1, 0), (counts.Queued, counts.Sent, counts.Suppressed));
    }
}
