using Microsoft.Playwright;

namespace Payvand.E2E;

// The content security policy (script-src 'self' and a nonce, inline styles for MudBlazor) and the Origin check for
// cookie-authenticated changes leave the pages working: nothing is refused by the policy, and the interactive pages
// (the Blazor websocket, MudBlazor's scripts) come up and save.
public sealed class SecurityHeadersTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData("fa-IR")]
    [InlineData("en-US")]
    public async Task Pages_work_under_the_policy_and_nothing_is_refused(string culture)
    {
        var page = await app.SignedInPage(culture);
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) refused.Add(message.Text);
        };

        foreach (var path in new[] { "/", "contacts", "companies", "purchases", "imports", "account/security" })
        {
            var response = await page.GotoAsync(path);
            Assert.NotNull(response);
            Assert.Contains("script-src 'self'", await response.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
            await BrowserApp.WaitForBlazor(page);
        }

        // A change through the interactive page (the circuit) and a sign-out (a cookie POST from this origin) still work.
        await page.GotoAsync("contacts/new");
        await BrowserApp.WaitForBlazor(page);
        await page.FillAsync("[data-testid=last-name]", "Policy " + culture);
        await page.ClickAsync("[data-testid=save-contact]");
        await Assertions.Expect(page.Locator("[data-testid=contact-name]")).ToContainTextAsync("Policy " + culture);

        await page.ClickAsync("[data-testid=user-menu]");
        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        Assert.Empty(refused);
        await page.Context.CloseAsync();
    }
}
