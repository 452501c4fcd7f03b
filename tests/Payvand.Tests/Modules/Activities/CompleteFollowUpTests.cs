using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Activities;

// A follow-up marked done (POST /api/activities/{id}/follow-up/done) leaves "my follow-ups", and the audit trail says so.
[Trait("Category", "Integration")]
public sealed class CompleteFollowUpTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [Fact]
    public async Task A_follow_up_marked_done_leaves_the_list_and_is_audited()
    {
        var branch = await app.CreateBranch("Done " + Guid.NewGuid().ToString("N")[..6]);
        var user = await app.CreateUser(Roles.Sales, branch);
        var me = await app.ClientFor(user);
        var person = await (await me.PostJson("/api/contacts", new ContactInput { LastName = "Done " + Guid.NewGuid().ToString("N")[..6], BranchId = branch }))
            .Read<ContactDetails>(HttpStatusCode.Created);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        async Task<long> Call(string subject) =>
            (await (await me.PostJson($"/api/contacts/{person.Id}/timeline", new ActivityInput
            {
                Kind = ActivityKind.Call,
                Subject = subject,
                Direction = CallDirection.Outbound,
                OccurredAt = now.AddMinutes(-5),
                FollowUpAt = now.AddDays(1),
            })).Read<JsonElement>(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var first = await Call("call back about the offer");
        await Call("send the catalogue");

        Assert.Equal(HttpStatusCode.NoContent, (await me.PostAsync($"/api/activities/{first}/follow-up/done", null)).StatusCode);
        var left = await (await me.GetAsync("/api/activities/follow-ups")).Read<List<FollowUp>>();
        Assert.Equal(["send the catalogue"], left.Select(f => f.Subject!).ToArray());

        // Twice is once.
        Assert.Equal(HttpStatusCode.NoContent, (await me.PostAsync($"/api/activities/{first}/follow-up/done", null)).StatusCode);
        await using var db = await app.Db();
        var audit = await db.Audit.SingleAsync(a => a.EntityType == CompleteFollowUp.AuditEntity && a.EntityId == first.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((AuditAction.Update, user.Id), (audit.Action, audit.UserId));
        Assert.Contains("FollowUpDoneAt", audit.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_the_caller_cannot_see_or_without_a_follow_up_is_not_found()
    {
        var home = await app.CreateBranch("Done home " + Guid.NewGuid().ToString("N")[..6]);
        var away = await app.CreateBranch("Done away " + Guid.NewGuid().ToString("N")[..6]);
        var admin = await app.AdminClient();
        var person = await (await admin.PostJson("/api/contacts", new ContactInput { LastName = "Away", BranchId = away })).Read<ContactDetails>(HttpStatusCode.Created);
        var theirs = (await (await admin.PostJson($"/api/contacts/{person.Id}/timeline", new ActivityInput { Kind = ActivityKind.Note, Body = "note", FollowUpAt = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(1) }))
            .Read<JsonElement>(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var plain = (await (await admin.PostJson($"/api/contacts/{person.Id}/timeline", new ActivityInput { Kind = ActivityKind.Note, Body = "no follow-up" }))
            .Read<JsonElement>(HttpStatusCode.Created)).GetProperty("id").GetInt64();

        var sales = await app.ClientAs(Roles.Sales, home);
        Assert.Equal(HttpStatusCode.NotFound, (await sales.PostAsync($"/api/activities/{theirs}/follow-up/done", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/activities/{plain}/follow-up/done", null)).StatusCode);
    }
}
