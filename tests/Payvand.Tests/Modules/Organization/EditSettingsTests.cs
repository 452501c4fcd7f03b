using System.Net;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Organization;
using Payvand.Platform.Audit;
using Payvand.Platform.Persian;
using Payvand.Platform.Settings;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Organization;

// The business settings (GET/PUT /api/settings): administrators only; changes are audited. Each test puts the
// defaults back, since the settings are shared by the whole app.
[Trait("Category", "Integration")]
public sealed class EditSettingsTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static readonly EditSettings.Request Defaults = new(MoneyUnit.Toman, []);

    [Theory]
    [InlineData("Manager")]
    [InlineData("Sales")]
    [InlineData("Marketing")]
    [InlineData("Support")]
    public async Task Only_administrators_read_or_change_the_settings(string role)
    {
        var client = await app.ClientAs(role);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutJson("/api/settings", new EditSettings.Request(MoneyUnit.Rial, [role]))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/settings")).StatusCode);

        var settings = await (await (await app.AdminClient()).GetAsync("/api/settings")).Read<BusinessSettings>();
        Assert.Equal(MoneyUnit.Toman, settings.MoneyUnit);
        Assert.Empty(settings.TwoFactorRequiredRoles);
    }

    [Fact]
    public async Task Administrators_change_the_settings_and_the_change_is_audited()
    {
        var admin = await app.AdminClient();
        try
        {
            var saved = await (await admin.PutJson("/api/settings", new EditSettings.Request(MoneyUnit.Rial, ["support", "Sales", "Sales"]))).Read<BusinessSettings>();
            Assert.Equal(MoneyUnit.Rial, saved.MoneyUnit);
            Assert.Equal(["Sales", "Support"], saved.TwoFactorRequiredRoles);

            var read = await (await admin.GetAsync("/api/settings")).Read<BusinessSettings>();
            Assert.Equal(MoneyUnit.Rial, read.MoneyUnit);
            Assert.Equal(["Sales", "Support"], read.TwoFactorRequiredRoles);

            await using var db = await app.Db();
            var entry = await db.Audit.Where(a => a.EntityType == "AppSetting" && a.EntityId == "business").OrderByDescending(a => a.Id).FirstAsync();
            Assert.Equal(AuditAction.Update, entry.Action);
            Assert.Contains("\"MoneyUnit\"", entry.Changes, StringComparison.Ordinal);
            Assert.Contains("Sales, Support", entry.Changes, StringComparison.Ordinal);
            Assert.NotNull(entry.UserId);
        }
        finally
        {
            await (await admin.PutJson("/api/settings", Defaults)).Read<BusinessSettings>();
        }
    }

    [Fact]
    public async Task Unknown_roles_are_field_errors_and_change_nothing()
    {
        var admin = await app.AdminClient();
        var problem = await (await admin.PutJson("/api/settings", new EditSettings.Request(MoneyUnit.Rial, ["Janitor"]))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("Role must be one of: Admin, Manager, Sales, Marketing, Support.", problem.GetProperty("errors").GetProperty("twoFactorRequiredRoles")[0].GetString());
        Assert.Equal(MoneyUnit.Toman, (await (await admin.GetAsync("/api/settings")).Read<BusinessSettings>()).MoneyUnit);
    }

    [Fact]
    public async Task An_administrator_without_two_step_sign_in_cannot_require_it_for_administrators()
    {
        var admin = await app.AdminClient();
        var problem = await (await admin.PutJson("/api/settings", new EditSettings.Request(MoneyUnit.Toman, ["Admin"]))).Problem(HttpStatusCode.Conflict);
        Assert.Equal("Set up two-step sign-in for yourself before requiring it for your own role.", problem.GetProperty("title").GetString());
        Assert.Empty((await (await admin.GetAsync("/api/settings")).Read<BusinessSettings>()).TwoFactorRequiredRoles);
    }
}
