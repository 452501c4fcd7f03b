using System.Net;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Activities;

// The follow-ups of the dashboard card and GET /api/activities/follow-ups: the caller's own, due within a week,
// overdue ones of the last 30 days first and marked, older ones dropped.
[Trait("Category", "Integration")]
public sealed class MyFollowUpsTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [Fact]
    public async Task Lists_the_callers_follow_ups_due_this_week_with_the_overdue_ones_marked()
    {
        var branch = await app.CreateBranch("Follow " + Guid.NewGuid().ToString("N")[..6]);
        var me = await app.ClientFor(await app.CreateUser(Roles.Sales, branch));
        var colleague = await app.ClientFor(await app.CreateUser(Roles.Sales, branch));
        var person = await (await me.PostJson("/api/contacts", new ContactInput { FirstName = "Sara", LastName = "Follow " + Guid.NewGuid().ToString("N")[..6], BranchId = branch }))
            .Read<ContactDetails>(HttpStatusCode.Created);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;

        async Task Call(HttpClient client, string subject, DateTime followUpAt) =>
            await (await client.PostJson($"/api/contacts/{person.Id}/timeline", new ActivityInput
            {
                Kind = ActivityKind.Call,
                Subject = subject,
                Direction = CallDirection.Outbound,
                OccurredAt = followUpAt < now ? followUpAt.AddDays(-1) : now.AddMinutes(-1),
                FollowUpAt = followUpAt,
            })).Read<System.Text.Json.JsonElement>(HttpStatusCode.Created);

        await Call(me, "tomorrow", now.AddDays(1));
        await Call(me, "yesterday", now.AddDays(-1));
        await Call(me, "long ago", now.AddDays(-400));
        await Call(me, "next month", now.AddDays(30));
        await Call(colleague, "theirs", now.AddDays(1));

        var mine = await (await me.GetAsync("/api/activities/follow-ups")).Read<List<FollowUp>>();
        Assert.Equal(["yesterday", "tomorrow"], mine.Select(f => f.Subject!).ToArray());
        Assert.Equal([true, false], mine.Select(f => f.Overdue).ToArray());
        Assert.All(mine, f => Assert.Equal(person.Id, f.ContactId));
    }
}
