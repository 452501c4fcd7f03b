using System.Net;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Modules.Organization;
using Payvand.Platform.Api;
using Payvand.Platform.Audit;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Organization;

// The audit trail: the whole of it for administrators (GET /api/audit), and the history of one record for
// whoever may see that record (GET /api/audit/record/{type}/{id}).
[Trait("Category", "Integration")]
public sealed class AuditApiTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static async Task<ContactDetails> NewPerson(HttpClient client, int branch, string city = "تهران")
    {
        var input = new ContactInput { LastName = "Audited" + Guid.NewGuid().ToString("N")[..8], City = city, BranchId = branch };
        return await (await client.PostJson("/api/contacts", input)).Read<ContactDetails>(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("Manager")]
    [InlineData("Sales")]
    [InlineData("Marketing")]
    [InlineData("Support")]
    public async Task Only_administrators_search_the_trail(string role)
    {
        var user = await app.CreateUser(role, app.MainBranchId);
        var client = await app.ClientFor(user);
        var response = await client.GetAsync("/api/audit?entityType=contact");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("\"items\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var db = await app.Db();
        Assert.True(await db.Audit.AnyAsync(a => a.Action == AuditAction.AccessDenied && a.UserId == user.Id && a.Detail == "GET /api/audit"));
    }

    [Fact]
    public async Task Administrators_find_who_changed_what()
    {
        var sales = await app.CreateUser("Sales", app.MainBranchId);
        var client = await app.ClientFor(sales);
        var person = await NewPerson(client, app.MainBranchId);
        var newCity = "کاشان" + Guid.NewGuid().ToString("N")[..4];
        await (await client.PutJson($"/api/contacts/{person.Id}", new ContactInput { LastName = person.LastName, City = newCity, Version = person.Version })).Read<ContactDetails>();

        var admin = await app.AdminClient();
        var trail = await (await admin.GetAsync($"/api/audit?entityType=contact&entityId={person.Id}")).Read<PagedResult<AuditRow>>();
        Assert.Equal(2, trail.Total);
        Assert.Equal([AuditAction.Update, AuditAction.Create], trail.Items.Select(a => a.Action));   // newest first
        Assert.All(trail.Items, a => Assert.Equal(sales.Id, a.UserId));
        Assert.All(trail.Items, a => Assert.Equal("Contact", a.EntityType));
        Assert.Contains(trail.Items[0].Changes, c => (c.Field, c.From, c.To) == ("City", "تهران", newCity));

        var oldestFirst = await (await admin.GetAsync($"/api/audit?entityType=Contact&entityId={person.Id}&sort=at")).Read<PagedResult<AuditRow>>();
        Assert.Equal([AuditAction.Create, AuditAction.Update], oldestFirst.Items.Select(a => a.Action));

        var creates = await (await admin.GetAsync($"/api/audit?entityType=contact&entityId={person.Id}&action=create")).Read<PagedResult<AuditRow>>();
        Assert.Equal(AuditAction.Create, Assert.Single(creates.Items).Action);

        var byText = await (await admin.GetAsync($"/api/audit?q={newCity}")).Read<PagedResult<AuditRow>>();
        Assert.Equal(trail.Items[0].Id, Assert.Single(byText.Items).Id);

        var byUser = await (await admin.GetAsync($"/api/audit?userId={sales.Id}&entityType=contact")).Read<PagedResult<AuditRow>>();
        Assert.Equal(2, byUser.Total);

        var today = TimeProvider.System.GetUtcNow().UtcDateTime.Date;
        var before = await (await admin.GetAsync($"/api/audit?entityType=contact&entityId={person.Id}&to={today.AddDays(-1):yyyy-MM-dd}")).Read<PagedResult<AuditRow>>();
        Assert.Equal(0, before.Total);
        var through = await (await admin.GetAsync($"/api/audit?entityType=contact&entityId={person.Id}&from={today:yyyy-MM-dd}&to={today:yyyy-MM-dd}")).Read<PagedResult<AuditRow>>();
        Assert.Equal(2, through.Total);

        var bad = await (await admin.GetAsync("/api/audit?action=Burgle&userId=abc")).Problem(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("action", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("userId", out _));
    }

    [Fact]
    public async Task A_record_history_is_open_to_whoever_sees_the_record()
    {
        var home = await app.CreateBranch("Audit home " + Guid.NewGuid().ToString("N")[..6]);
        var away = await app.CreateBranch("Audit away " + Guid.NewGuid().ToString("N")[..6]);
        var admin = await app.AdminClient();
        var mine = await NewPerson(admin, home);
        var theirs = await NewPerson(admin, away);
        var company = await (await admin.PostJson("/api/companies", new CompanyInput { Name = "Audited Co " + Guid.NewGuid().ToString("N")[..6], BranchId = away }))
            .Read<CompanyDetails>(HttpStatusCode.Created);

        var sales = await app.ClientAs("Sales", home);
        var history = await (await sales.GetAsync($"/api/audit/record/contact/{mine.Id}")).Read<PagedResult<AuditRow>>();
        Assert.Equal(AuditAction.Create, Assert.Single(history.Items).Action);
        Assert.All(history.Items, a => Assert.Null(a.IpAddress));

        foreach (var path in new[] { $"contact/{theirs.Id}", $"company/{company.Id}", "contact/999999", "contact/abc" })
        {
            var refused = await sales.GetAsync($"/api/audit/record/{path}");
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.DoesNotContain(theirs.LastName, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var marketing = await app.ClientAs("Marketing", home);
        Assert.Equal(HttpStatusCode.OK, (await marketing.GetAsync($"/api/audit/record/contact/{theirs.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await marketing.GetAsync($"/api/audit/record/company/{company.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/audit/record/contact/{theirs.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_deleted_record_history_is_open_to_its_managers_only()
    {
        var home = await app.CreateBranch("Audit deleted " + Guid.NewGuid().ToString("N")[..6]);
        var admin = await app.AdminClient();
        var person = await NewPerson(admin, home);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/contacts/{person.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ClientAs("Sales", home)).GetAsync($"/api/audit/record/contact/{person.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ClientAs("Manager", app.MainBranchId)).GetAsync($"/api/audit/record/contact/{person.Id}")).StatusCode);
        var history = await (await (await app.ClientAs("Manager", home)).GetAsync($"/api/audit/record/contact/{person.Id}")).Read<PagedResult<AuditRow>>();
        Assert.Equal(2, history.Total);
        Assert.Contains(history.Items[0].Changes, c => c.Field == "DeletedAt" && c.From is null && c.To is not null);
    }

    [Fact]
    public async Task A_users_own_account_history_is_theirs_and_other_records_are_for_administrators()
    {
        var admin = await app.AdminClient();
        var me = await app.CreateUser("Sales", app.MainBranchId);
        var someone = await app.CreateUser("Sales", app.MainBranchId);
        var client = await app.ClientFor(me);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/audit/record/appuser/{me.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/audit/record/appuser/{someone.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/audit/record/branch/{app.MainBranchId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/audit/record/appsetting/business")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/audit/record/appuser/{someone.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/audit/record/branch/{app.MainBranchId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync($"/api/audit/record/appuser/{me.Id}")).StatusCode);
    }
}
