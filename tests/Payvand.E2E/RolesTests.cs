using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Modules.Organization;
using Payvand.Platform.Auth;

namespace Payvand.E2E;

// An administrator takes a right away from a role on the roles page, in Persian: the box is saved and stays
// unticked after a reload, and the role's members are refused it at once.
public sealed class RolesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Admin_unticks_a_permission_of_a_role_in_persian_and_it_is_saved()
    {
        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("admin/roles");
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("[data-testid=role-column-Support]")).ToHaveTextAsync("کارشناس پشتیبانی");

        var box = page.Locator($"input[data-testid='permission-{Roles.Support}-{ContactsPermissions.Export}']");
        var save = page.Locator($"[data-testid=save-role-{Roles.Support}]");
        await Assertions.Expect(box).ToBeCheckedAsync();
        await Assertions.Expect(save).ToBeDisabledAsync();
        await box.ClickAsync();
        await Assertions.Expect(box).Not.ToBeCheckedAsync();
        await save.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("دسترسی‌های «کارشناس پشتیبانی» ذخیره شد.");
        await Assertions.Expect(save).ToBeDisabledAsync();

        // Administrators cannot take the management of roles away from themselves.
        await Assertions.Expect(page.Locator($"input[data-testid='permission-{Roles.Admin}-{OrganizationPermissions.Roles}']")).ToBeDisabledAsync();

        await page.ReloadAsync();
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator($"input[data-testid='permission-{Roles.Support}-{ContactsPermissions.Export}']")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.Locator($"input[data-testid='permission-{Roles.Support}-{ContactsPermissions.Read}']")).ToBeCheckedAsync();

        using var scope = app.Services.CreateScope();
        var roles = await scope.ServiceProvider.GetRequiredService<ListRoles>().Get(Roles.Support, CancellationToken.None);
        Assert.DoesNotContain(ContactsPermissions.Export, roles!.Permissions);
        Assert.Contains(ContactsPermissions.Read, roles.Permissions);

        // Give it back, so the other tests of this app see the default rights.
        await scope.ServiceProvider.GetRequiredService<SetRolePermissions.Handler>()
            .Handle(Roles.Support, new SetRolePermissions.Request([.. roles.Permissions, ContactsPermissions.Export]), UserScope.System, CancellationToken.None);
    }
}
