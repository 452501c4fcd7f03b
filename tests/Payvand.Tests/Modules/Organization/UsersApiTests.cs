using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Modules.Organization;
using Payvand.Platform.Api;
using Payvand.Platform.Audit;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Organization;

[Trait("Category", "Integration")]
public sealed class UsersApiTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private const string GoodPassword = "violet river under the bridge";
    private const string CommonEn = "This password is too common or too easy to guess.";
    private const string CommonFa = "این گذرواژه بسیار رایج یا قابل حدس است.";

    private static string NewEmail(string name = "user") => $"{name}-{Guid.NewGuid().ToString("N")[..8]}@example.com";

    private async Task<HttpClient> AdminIn(string culture) => await app.ClientFor(await app.CreateUser("Admin", app.MainBranchId), culture);

    private SaveUser.CreateRequest NewSales(string email, string? password = GoodPassword) =>
        new(email, "Test User", ["Sales"], [app.MainBranchId], password);

    public static TheoryData<string, string, string> WeakPasswords => new()
    {
        { "short one", "en-US", "The password must be at least 12 characters." },
        { "short one", "fa-IR", "گذرواژه باید دست\u200cکم 12 نویسه باشد." },
        { "password1234", "en-US", CommonEn },
        { "Password1234", "fa-IR", CommonFa },                 // the list is compared without letter case
        { "۱۲۳۴۵۶۷۸۹۰۱۲", "en-US", CommonEn },                 // Persian digits are the same password
        { "zzzzzzzzzzzzzz", "fa-IR", CommonFa },               // two different characters or fewer
        { "abcdefghijklmnop", "en-US", CommonEn },             // a run of the alphabet
        { "my payvand secret", "fa-IR", CommonFa },            // the product's name
        { "", "en-US", "Password is required." },
        { "", "fa-IR", "وارد کردن گذرواژه الزامی است." },
    };

    [Theory]
    [MemberData(nameof(WeakPasswords))]
    public async Task Weak_passwords_are_field_errors_in_the_callers_language(string password, string culture, string message)
    {
        var admin = await AdminIn(culture);
        var email = NewEmail();
        var problem = await (await admin.PostJson("/api/users", NewSales(email, password))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(culture == "fa-IR" ? "برخی از فیلدها معتبر نیستند." : "Some fields are not valid.", problem.GetProperty("title").GetString());
        Assert.Equal([message], problem.GetProperty("errors").GetProperty("password").EnumerateArray().Select(e => e.GetString()).Distinct());

        var found = await (await admin.GetAsync($"/api/users?q={email}")).Read<PagedResult<UserRow>>();
        Assert.Equal(0, found.Total);
    }

    [Fact]
    public async Task A_password_containing_the_email_name_is_refused()
    {
        var admin = await app.AdminClient();
        var problem = await (await admin.PostJson("/api/users", NewSales("rostam.dastan@example.com", "Rostam.Dastan of Zabol"))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(CommonEn, problem.GetProperty("errors").GetProperty("password")[0].GetString());
    }

    [Fact]
    public async Task Admin_creates_a_user_who_can_then_sign_in()
    {
        var admin = await app.AdminClient();
        var second = await app.CreateBranch("Users second " + Guid.NewGuid().ToString("N")[..6]);
        var email = NewEmail("new.user");
        var request = new SaveUser.CreateRequest(
            "  " + email.ToUpperInvariant() + " ", "  کاربر   جديد ", ["support", "SALES"], [second, app.MainBranchId], GoodPassword, "Europe/Berlin", "fa-IR");
        var created = await (await admin.PostJson("/api/users", request)).Read<UserDetails>(HttpStatusCode.Created);

        Assert.Equal(email, created.Email);
        Assert.Equal("کاربر جدید", created.DisplayName);
        Assert.Equal(["Sales", "Support"], created.Roles);
        Assert.Equal([app.MainBranchId, second], created.Branches.Select(b => b.Id).Order());
        Assert.Equal("Europe/Berlin", created.TimeZone);
        Assert.Equal("fa", created.Culture);
        Assert.True(created.IsActive);
        Assert.False(created.MustChangePassword);
        Assert.Equal(created.Id, (await (await admin.GetAsync($"/api/users/{created.Id}")).Read<UserDetails>()).Id);

        async Task<int[]> Ids(string query) => (await (await admin.GetAsync("/api/users?pageSize=500&" + query)).Read<PagedResult<UserRow>>())
            .Items.Select(u => u.Id).ToArray();
        Assert.Contains(created.Id, await Ids("q=new.user"));
        Assert.Contains(created.Id, await Ids("role=support"));
        Assert.Contains(created.Id, await Ids($"branchId={second}"));
        Assert.DoesNotContain(created.Id, await Ids("active=false"));
        Assert.DoesNotContain(created.Id, await Ids("role=Manager"));

        var token = await (await app.CreateClient().PostJson("/api/auth/token", new IssueToken.Request(email, GoodPassword))).Read<IssueToken.Response>();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.Token);
        var me = await (await client.GetAsync("/api/users/me")).Read<MyProfile>();
        Assert.Equal(created.Id, me.Id);
        Assert.Equal(["Sales", "Support"], me.Roles);

        await using var db = await app.Db();
        var audit = await db.Audit.Where(a => a.EntityType == "AppUser" && a.EntityId == created.Id.ToString(CultureInfo.InvariantCulture)
            && a.Action == AuditAction.Update).ToListAsync();
        Assert.Contains(audit, a => a.Changes!.Contains("\"Roles\"", StringComparison.Ordinal) && a.Changes.Contains("Sales, Support", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_invalid_field_is_reported_at_once()
    {
        var admin = await app.AdminClient();
        var problem = await (await admin.PostJson("/api/users",
            new SaveUser.CreateRequest("not-an-email", " ", ["Sales", "Janitor"], [999_999], GoodPassword, "Mars/Olympus", "de"))).Problem(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal("The email address is not valid.", errors.GetProperty("email")[0].GetString());
        Assert.Equal("Display name is required.", errors.GetProperty("displayName")[0].GetString());
        Assert.Equal("Role must be one of: Admin, Manager, Sales, Marketing, Support.", errors.GetProperty("roles")[0].GetString());
        Assert.Equal("The branch was not found.", errors.GetProperty("branchIds")[0].GetString());
        Assert.Equal("The time zone Mars/Olympus is not known.", errors.GetProperty("timeZone")[0].GetString());
        Assert.Equal("Language must be one of: fa, en.", errors.GetProperty("culture")[0].GetString());

        var noBranch = await (await admin.PostJson("/api/users", new SaveUser.CreateRequest(NewEmail(), "Branchless", ["Sales"], [], GoodPassword)))
            .Problem(HttpStatusCode.BadRequest);
        Assert.Equal("Choose at least one branch.", noBranch.GetProperty("errors").GetProperty("branchIds")[0].GetString());
        var noRole = await (await admin.PostJson("/api/users", new SaveUser.CreateRequest(NewEmail(), "Roleless", [], [app.MainBranchId], GoodPassword)))
            .Problem(HttpStatusCode.BadRequest);
        Assert.Equal("Choose at least one role.", noRole.GetProperty("errors").GetProperty("roles")[0].GetString());

        // An administrator needs no branch: they see all of them.
        var adminUser = await (await admin.PostJson("/api/users", new SaveUser.CreateRequest(NewEmail("admin"), "Second admin", ["Admin"], [], GoodPassword)))
            .Read<UserDetails>(HttpStatusCode.Created);
        Assert.Empty(adminUser.Branches);

        var email = NewEmail();
        await (await admin.PostJson("/api/users", NewSales(email))).Read<UserDetails>(HttpStatusCode.Created);
        var duplicate = await (await admin.PostJson("/api/users", NewSales(email.ToUpperInvariant()))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("Another user already has this email address.", duplicate.GetProperty("errors").GetProperty("email")[0].GetString());
    }

    [Fact]
    public async Task Admin_changes_roles_and_branches_and_a_stale_edit_is_refused()
    {
        var admin = await app.AdminClient();
        var second = await app.CreateBranch("Users move " + Guid.NewGuid().ToString("N")[..6]);
        var created = await (await admin.PostJson("/api/users", NewSales(NewEmail()))).Read<UserDetails>(HttpStatusCode.Created);

        var update = new SaveUser.UpdateRequest("Promoted", ["Manager"], [second], true, "Asia/Tehran", "en", created.ConcurrencyStamp);
        var changed = await (await admin.PutJson($"/api/users/{created.Id}", update)).Read<UserDetails>();
        Assert.Equal("Promoted", changed.DisplayName);
        Assert.Equal(["Manager"], changed.Roles);
        Assert.Equal([second], changed.Branches.Select(b => b.Id));
        Assert.Equal("en", changed.Culture);
        Assert.NotEqual(created.ConcurrencyStamp, changed.ConcurrencyStamp);

        var stale = await (await admin.PutJson($"/api/users/{created.Id}", update with { DisplayName = "Stale" })).Problem(HttpStatusCode.Conflict);
        Assert.NotNull(stale.GetProperty("title").GetString());
        Assert.Equal("Promoted", (await (await admin.GetAsync($"/api/users/{created.Id}")).Read<UserDetails>()).DisplayName);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutJson("/api/users/999999", update)).StatusCode);

        await using var db = await app.Db();
        var id = created.Id.ToString(CultureInfo.InvariantCulture);
        var entry = await db.Audit.Where(a => a.EntityType == "AppUser" && a.EntityId == id && a.Action == AuditAction.Update && a.Changes!.Contains("Manager"))
            .SingleAsync();
        var changes = JsonSerializer.Deserialize<List<FieldChange>>(entry.Changes!, HttpExtensions.Json)!;
        Assert.Contains(new FieldChange("Roles", "Sales", "Manager"), changes);
        Assert.Contains(changes, c => c.Field == "Branches" && c.To!.StartsWith("Users move", StringComparison.Ordinal));
    }

    // API callers' claims are kept between requests (AccessTokenHandler); a change of branches, roles or name must
    // still apply from the very next request.
    [Fact]
    public async Task A_changed_user_gets_new_rights_and_name_at_the_next_request_with_the_same_token()
    {
        var admin = await app.AdminClient();
        var away = await app.CreateBranch("Token cache away " + Guid.NewGuid().ToString("N")[..6]);
        var there = await (await admin.PostJson("/api/contacts", new ContactInput { LastName = "Far away", BranchId = away })).Read<ContactDetails>(HttpStatusCode.Created);
        var user = await app.CreateUser("Sales", app.MainBranchId);
        var client = await app.ClientFor(user);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/contacts/{there.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/contacts/{there.Id}")).StatusCode); // now from the cache

        var details = await (await admin.GetAsync($"/api/users/{user.Id}")).Read<UserDetails>();
        var moved = new SaveUser.UpdateRequest("Renamed seller", ["Sales"], [app.MainBranchId, away], true);
        await (await admin.PutJson($"/api/users/{user.Id}", moved)).Read<UserDetails>();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/contacts/{there.Id}")).StatusCode);

        var me = await (await client.GetAsync("/api/users/me")).Read<JsonElement>();
        Assert.Equal("Renamed seller", me.GetProperty("displayName").GetString());
        Assert.Equal(details.Id, me.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task A_deactivated_users_token_stops_working()
    {
        var admin = await app.AdminClient();
        var user = await app.CreateUser("Sales", app.MainBranchId);
        var client = await app.ClientFor(user);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/contacts")).StatusCode);

        var details = await (await admin.GetAsync($"/api/users/{user.Id}")).Read<UserDetails>();
        var off = new SaveUser.UpdateRequest(details.DisplayName, [.. details.Roles], [.. details.Branches.Select(b => b.Id)], IsActive: false);
        Assert.False((await (await admin.PutJson($"/api/users/{user.Id}", off)).Read<UserDetails>()).IsActive);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/contacts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/users/me")).StatusCode);
        var inactive = await (await admin.GetAsync("/api/users?active=false&pageSize=500")).Read<PagedResult<UserRow>>();
        Assert.Contains(inactive.Items, u => u.Id == user.Id);

        Assert.True((await (await admin.PutJson($"/api/users/{user.Id}", off with { IsActive = true })).Read<UserDetails>()).IsActive);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users/me")).StatusCode);
    }

    [Fact]
    public async Task Administrators_cannot_lock_themselves_out()
    {
        var me = await app.CreateUser("Admin", app.MainBranchId);
        var client = await app.ClientFor(me);
        var self = new SaveUser.UpdateRequest(me.DisplayName, ["Admin"], [app.MainBranchId], IsActive: false);
        var deactivate = await (await client.PutJson($"/api/users/{me.Id}", self)).Problem(HttpStatusCode.Conflict);
        Assert.Equal("You cannot deactivate your own account.", deactivate.GetProperty("title").GetString());
        var demote = await (await client.PutJson($"/api/users/{me.Id}", self with { IsActive = true, Roles = ["Manager"] })).Problem(HttpStatusCode.Conflict);
        Assert.Equal("You cannot remove your own administrator role.", demote.GetProperty("title").GetString());
        Assert.Equal(["Admin"], (await (await client.GetAsync("/api/users/me")).Read<MyProfile>()).Roles);
    }

    [Fact]
    public async Task A_reset_password_must_be_changed_before_signing_in_through_the_api()
    {
        var admin = await app.AdminClient();
        var email = NewEmail("forgetful");
        var created = await (await admin.PostJson("/api/users", NewSales(email))).Read<UserDetails>(HttpStatusCode.Created);

        var reset = await (await admin.PostJson($"/api/users/{created.Id}/reset-password", new { })).Read<ResetPassword.Response>();
        Assert.Equal(20, reset.TemporaryPassword!.Length);
        Assert.True((await (await admin.GetAsync($"/api/users/{created.Id}")).Read<UserDetails>()).MustChangePassword);

        var anonymous = app.CreateClient();
        var withTemporary = await (await anonymous.PostJson("/api/auth/token", new IssueToken.Request(email, reset.TemporaryPassword))).Problem(HttpStatusCode.Forbidden);
        Assert.Equal("password_change_required", withTemporary.GetProperty("reason").GetString());
        var withOld = await (await anonymous.PostJson("/api/auth/token", new IssueToken.Request(email, GoodPassword))).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_credentials", withOld.GetProperty("reason").GetString());

        var weak = await (await admin.PostJson($"/api/users/{created.Id}/reset-password", new ResetPassword.Request("password1234"))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(CommonEn, weak.GetProperty("errors").GetProperty("password")[0].GetString());
        var chosen = await (await admin.PostJson($"/api/users/{created.Id}/reset-password", new ResetPassword.Request("a chosen new passphrase"))).Read<ResetPassword.Response>();
        Assert.Null(chosen.TemporaryPassword);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostJson("/api/users/999999/reset-password", new { })).StatusCode);

        var manager = await app.ClientAs("Manager");
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostJson($"/api/users/{created.Id}/reset-password", new { })).StatusCode);
    }

    [Fact]
    public async Task Me_shows_and_changes_my_own_profile()
    {
        var second = await app.CreateBranch("Users me " + Guid.NewGuid().ToString("N")[..6]);
        var user = await app.CreateUser("Sales", app.MainBranchId, second);
        var client = await app.ClientFor(user, "en-US");

        var me = await (await client.GetAsync("/api/users/me")).Read<MyProfile>();
        Assert.Equal(user.Id, me.Id);
        Assert.Equal(user.Email, me.Email);
        Assert.Equal(["Sales"], me.Roles);
        Assert.Equal([app.MainBranchId, second], me.Branches.Select(b => b.Id).Order());
        Assert.Equal("Asia/Tehran", me.TimeZone);
        Assert.False(me.TwoFactorEnabled);
        Assert.False(me.MustChangePassword);

        var changed = await (await client.PutJson("/api/users/me", new MyAccount.ProfileRequest("  Me   Myself ", "fa", "Asia/Tehran"))).Read<MyProfile>();
        Assert.Equal("Me Myself", changed.DisplayName);
        Assert.Equal("fa", changed.Culture);

        // My saved language wins over the browser's (this client still sends Accept-Language: en-US).
        var problem = await (await client.PutJson("/api/users/me", new MyAccount.ProfileRequest("Me", "de", null))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("برخی از فیلدها معتبر نیستند.", problem.GetProperty("title").GetString());
        Assert.Equal("زبان باید یکی از این\u200cها باشد: fa, en.", problem.GetProperty("errors").GetProperty("culture")[0].GetString());
        var contact = await (await client.PostJson("/api/contacts", new ContactInput { LastName = " " })).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("وارد کردن نام خانوادگی الزامی است.", contact.GetProperty("errors").GetProperty("lastName")[0].GetString());

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/users/me")).StatusCode);
    }

    [Fact]
    public async Task Managers_see_the_users_of_their_branches_others_see_none()
    {
        var branch = await app.CreateBranch("Users managed " + Guid.NewGuid().ToString("N")[..6]);
        var colleague = await app.CreateUser("Sales", branch);
        var stranger = await app.CreateUser("Sales", app.MainBranchId);
        var manager = await app.ClientAs("Manager", branch);

        var listed = await (await manager.GetAsync("/api/users?pageSize=500")).Read<PagedResult<UserRow>>();
        Assert.Contains(listed.Items, u => u.Id == colleague.Id);
        Assert.DoesNotContain(listed.Items, u => u.Id == stranger.Id);
        Assert.All(listed.Items, u => Assert.Contains(u.Branches, b => b.Id == branch));
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/users/{colleague.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/users/{stranger.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostJson("/api/users", NewSales(NewEmail()))).StatusCode);

        foreach (var role in new[] { "Sales", "Marketing", "Support" })
        {
            var client = await app.ClientAs(role, branch);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/users")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/users/{colleague.Id}")).StatusCode);
        }
    }
}
