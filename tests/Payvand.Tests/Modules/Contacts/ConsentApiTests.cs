using System.Net;
using Payvand.Modules.Contacts;
using Payvand.Modules.Organization;
using Payvand.Platform.Api;
using Payvand.Platform.Persian;
using Payvand.Platform.Settings;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Contacts;

// Consent over HTTP: recording it per channel and purpose (old clients' "Sms" still works), the people list's consent
// filters on the new table, and /api/consent: channels, eligibility counts and pages for a list filter, blocked addresses.
[Trait("Category", "Integration")]
public sealed class ConsentApiTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static string NewMobile() => "0912" + Random.Shared.Next(1_000_000, 9_999_999);

    private static readonly ReachQuestion Sms = new(ConsentChannel.Sms, ContactPurpose.Promotional);

    private static async Task<ContactDetails> Create(HttpClient client, string tag, string? mobile = null) =>
        await (await client.PostJson("/api/contacts", new ContactInput
        {
            FirstName = "سارا",
            LastName = "رضایی",
            Points = [new ContactPointInput(ContactPointKind.Mobile, mobile ?? NewMobile(), IsPrimary: true)],
            Tags = [tag],
        })).Read<ContactDetails>(HttpStatusCode.Created);

    private static string Tag() => "c" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Consent_is_recorded_per_channel_and_purpose_and_read_back_with_its_history()
    {
        var client = await app.ClientAs("Sales");
        var person = await Create(client, Tag());
        // As clients of the first release send it: the enum name, no purpose (promotional).
        await (await client.PostJson($"/api/contacts/{person.Id}/consent", new { channel = "Sms", status = "OptedIn", source = "form" })).Expect(HttpStatusCode.NoContent);
        await (await client.PostJson($"/api/contacts/{person.Id}/consent",
            new SetConsent.Request("email", ConsentStatus.OptedOut, "reply", Purpose: ContactPurpose.Transactional))).Expect(HttpStatusCode.NoContent);

        var read = await (await client.GetAsync($"/api/contacts/{person.Id}")).Read<ContactDetails>();
        Assert.Equal(new ConsentDto(ConsentStatus.OptedIn, ConsentStatus.Unknown, ConsentStatus.Unknown, ConsentStatus.Unknown), read.Consent);
        Assert.Equal([("email", ContactPurpose.Transactional, ConsentStatus.OptedOut, "reply"), ("sms", ContactPurpose.Promotional, ConsentStatus.OptedIn, "form")],
            read.Consents.Select(c => (c.Channel, c.Purpose, c.Status, c.Source)));
        var history = await (await client.GetAsync($"/api/contacts/{person.Id}/consent")).Read<List<ConsentHistoryItem>>();
        Assert.Equal([("email", ContactPurpose.Transactional, ConsentStatus.OptedOut), ("sms", ContactPurpose.Promotional, ConsentStatus.OptedIn)],
            history.Select(h => (h.Channel, h.Purpose, h.Status)));

        var decision = await (await client.GetAsync($"/api/contacts/{person.Id}/may-contact?channel=sms&purpose=Promotional")).Read<ContactDecision>();
        Assert.Equal((true, "opted-in", PhoneE164(person)), (decision.Allowed, decision.Reason, decision.Address));
    }

    private static string PhoneE164(ContactDetails person) => person.Points.Single(p => p.Kind == ContactPointKind.Mobile).NormalizedValue;

    [Fact]
    public async Task An_unknown_channel_is_a_field_error_in_the_users_language()
    {
        var client = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "fa-IR");
        var person = await Create(client, Tag());
        var problem = await (await client.PostJson($"/api/contacts/{person.Id}/consent", new SetConsent.Request("pigeon", ConsentStatus.OptedIn))).Problem(HttpStatusCode.BadRequest);
        Assert.StartsWith("کانال ارتباطی", problem.GetProperty("errors").GetProperty("channel")[0].GetString(), StringComparison.Ordinal);

        var eligibility = await (await client.PostJson("/api/consent/eligibility", Sms with { Channel = "pigeon" })).Problem(HttpStatusCode.BadRequest);
        Assert.Contains("sms", eligibility.GetProperty("errors").GetProperty("channel")[0].GetString(), StringComparison.Ordinal);
        var filter = await (await client.PostJson("/api/consent/eligibility?lifecycle=Nobody", Sms)).Problem(HttpStatusCode.BadRequest);
        Assert.True(filter.GetProperty("errors").TryGetProperty("lifecycle", out _));
    }

    [Fact]
    public async Task The_people_list_filters_by_sms_consent_on_the_new_table()
    {
        var client = await app.ClientAs("Sales");
        var tag = Tag();
        var optedIn = await Create(client, tag);
        var optedOut = await Create(client, tag);
        var unknown = await Create(client, tag);
        await (await client.PostJson($"/api/contacts/{optedIn.Id}/consent", new SetConsent.Request(ConsentChannel.Sms, ConsentStatus.OptedIn))).Expect(HttpStatusCode.NoContent);
        await (await client.PostJson($"/api/contacts/{optedOut.Id}/consent", new SetConsent.Request(ConsentChannel.Sms, ConsentStatus.OptedOut))).Expect(HttpStatusCode.NoContent);
        // A transactional opt-in is not marketing consent.
        await (await client.PostJson($"/api/contacts/{unknown.Id}/consent", new SetConsent.Request(ConsentChannel.Sms, ConsentStatus.OptedIn, Purpose: ContactPurpose.Transactional)))
            .Expect(HttpStatusCode.NoContent);

        async Task<List<int>> Ids(string status) =>
            (await (await client.GetAsync($"/api/contacts?tag={tag}&smsConsent={status}")).Read<PagedResult<ContactRow>>()).Items.Select(r => r.Id).Order().ToList();
        Assert.Equal([optedIn.Id], await Ids("OptedIn"));
        Assert.Equal([optedOut.Id], await Ids("OptedOut"));
        Assert.Equal([unknown.Id], await Ids("Unknown"));
        Assert.Equal([], (await (await client.GetAsync($"/api/contacts?tag={tag}&emailConsent=OptedIn")).Read<PagedResult<ContactRow>>()).Items);
    }

    [Fact]
    public async Task Eligibility_counts_the_list_filters_people_by_reason_within_the_callers_branches()
    {
        var client = await app.ClientAs("Marketing");
        var tag = Tag();
        var people = new List<ContactDetails>();
        for (var i = 0; i < 4; i++) people.Add(await Create(client, tag));
        foreach (var p in people.Take(3))
        {
            await (await client.PostJson($"/api/contacts/{p.Id}/consent", new SetConsent.Request(ConsentChannel.Sms, ConsentStatus.OptedIn))).Expect(HttpStatusCode.NoContent);
        }

        await (await client.PostJson("/api/consent/blocked", new BlockRequest(PersianText.ToPersianDigits("0" + PhoneE164(people[2])[3..]), "3000123", "STOP")))
            .Expect(HttpStatusCode.NoContent);

        var all = await (await client.PostJson($"/api/consent/eligibility?tag={tag}", Sms)).Read<ReachSummary>();
        Assert.Equal((4, 3), (all.Total, all.Eligible));
        Assert.Equal(1, all.Reasons.Single(r => r.Reason == ReachReason.NoConsent).Count);
        var line = await (await client.PostJson($"/api/consent/eligibility?tag={tag}", Sms with { SenderLine = "3000123" })).Read<ReachSummary>();
        Assert.Equal((2, 1), (line.Eligible, line.Reasons.Single(r => r.Reason == ReachReason.Blocked).Count));

        var page = await (await client.PostJson($"/api/consent/eligibility/people?tag={tag}&pageSize=2", Sms with { SenderLine = "3000123" })).Read<List<ReachRow>>();
        Assert.Equal(people.Take(2).Select(p => (p.Id, ReachReason.Eligible, (string?)PhoneE164(p))), page.Select(r => (r.ContactId, r.Reason, r.Address)));
        var refused = await (await client.PostJson($"/api/consent/eligibility/people?tag={tag}&refused=true", Sms with { SenderLine = "3000123" })).Read<List<ReachRow>>();
        Assert.Equal([(people[2].Id, ReachReason.Blocked), (people[3].Id, ReachReason.NoConsent)], refused.Select(r => (r.ContactId, r.Reason)));

        // Someone who sees only another branch counts nobody of these.
        var elsewhere = await app.ClientFor(await app.CreateUser("Sales", await app.CreateBranch("دور " + tag)));
        Assert.Equal(0, (await (await elsewhere.PostJson($"/api/consent/eligibility?tag={tag}", Sms)).Read<ReachSummary>()).Total);

        // Without a filter (counted from the narrow rows alone): everyone the caller sees, in their branches only, and the
        // same answer as the list's own people; a branch asked for narrows it, one the caller does not see is nobody.
        var mover = await (await client.PostJson("/api/contacts", new ContactInput { LastName = "دور " + tag, BranchId = await app.CreateBranch("جای " + tag) }))
            .Read<ContactDetails>(HttpStatusCode.Created);
        var mine = await app.ClientFor(await app.CreateUser("Sales", mover.BranchId));
        var everyone = await (await mine.PostJson("/api/consent/eligibility", Sms)).Read<ReachSummary>();
        Assert.Equal((1, 0, 1), (everyone.Total, everyone.Eligible, everyone.Reasons.Single(r => r.Reason == ReachReason.NoAddress).Count));
        Assert.Equal(0, (await (await mine.PostJson($"/api/consent/eligibility?branchId={app.MainBranchId}", Sms)).Read<ReachSummary>()).Total);
        var unfiltered = await (await client.PostJson("/api/consent/eligibility", Sms)).Read<ReachSummary>();
        var listed = await (await client.PostJson("/api/consent/eligibility?createdFrom=2000-01-01T00:00:00Z", Sms)).Read<ReachSummary>();
        Assert.Equal(listed.Reasons, unfiltered.Reasons);
        Assert.Equal(1, (await (await client.PostJson($"/api/consent/eligibility?branchId={mover.BranchId}", Sms)).Read<ReachSummary>()).Total);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostJson("/api/consent/eligibility", Sms)).StatusCode);
    }

    [Fact]
    public async Task Channels_are_listed_and_a_bad_address_cannot_be_blocked()
    {
        var client = await app.ClientAs("Support");
        var channels = await (await client.GetAsync("/api/consent/channels")).Read<List<ChannelDto>>();
        Assert.Equal(ConsentChannel.Seeded, channels.Select(c => c.Key).Take(4));
        Assert.Equal([ContactPointKind.Mobile, ContactPointKind.Phone], channels.Single(c => c.Key == "call").Kinds);
        var problem = await (await client.PostJson("/api/consent/blocked", new BlockRequest("12"))).Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("address", out _));
    }

    [Fact]
    public async Task Quiet_hours_and_the_weekly_cap_are_settings_checked_like_every_field()
    {
        var admin = await app.AdminClient();
        try
        {
            var half = await (await admin.PutJson("/api/settings", new EditSettings.Request(MoneyUnit.Toman, [], QuietFrom: new TimeOnly(22, 0)))).Problem(HttpStatusCode.BadRequest);
            Assert.True(half.GetProperty("errors").TryGetProperty("quietTo", out _));
            var cap = await (await admin.PutJson("/api/settings", new EditSettings.Request(MoneyUnit.Toman, [], WeeklyPromotionalCap: 0))).Problem(HttpStatusCode.BadRequest);
            Assert.True(cap.GetProperty("errors").TryGetProperty("weeklyPromotionalCap", out _));

            var saved = await (await admin.PutJson("/api/settings",
                new EditSettings.Request(MoneyUnit.Toman, [], QuietFrom: new TimeOnly(22, 0), QuietTo: new TimeOnly(8, 0), WeeklyPromotionalCap: 3))).Read<BusinessSettings>();
            Assert.Equal((new TimeOnly(22, 0), new TimeOnly(8, 0), 3), (saved.QuietFrom, saved.QuietTo, saved.WeeklyPromotionalCap));
            var read = await (await admin.GetAsync("/api/settings")).Read<BusinessSettings>();
            Assert.Equal((new TimeOnly(22, 0), new TimeOnly(8, 0), 3), (read.QuietFrom, read.QuietTo, read.WeeklyPromotionalCap));
        }
        finally
        {
            await (await admin.PutJson("/api/settings", new EditSettings.Request(MoneyUnit.Toman, []))).Read<BusinessSettings>();
        }
    }
}
