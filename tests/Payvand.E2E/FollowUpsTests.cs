using Microsoft.Playwright;

namespace Payvand.E2E;

// The dashboard's "My follow-ups": an old one is marked overdue, a coming one is not, and marking one done takes it
// off the list (the API behind it is tested in CompleteFollowUpTests).
public sealed class FollowUpsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task A_follow_up_marked_done_on_the_dashboard_leaves_the_list_and_an_old_one_shows_overdue()
    {
        var page = await app.SignedInPage("en-US");
        var suffix = Guid.NewGuid().ToString("N")[..6];
        // Sent with the page's cookie, so from the page's origin as the browser would (cookie changes need it: OriginCheck).
        var sameOrigin = new Dictionary<string, string> { ["Origin"] = app.BaseUrl.TrimEnd('/') };
        var created = await page.APIRequest.PostAsync("api/contacts", new() { DataObject = new { lastName = "Follow " + suffix }, Headers = sameOrigin });
        Assert.True(created.Ok, await created.TextAsync());
        var person = (await created.JsonAsync())!.Value.GetProperty("id").GetInt32();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        foreach (var (subject, due) in new[] { ("Call back " + suffix, now.AddDays(2)), ("Send the catalogue " + suffix, now.AddDays(-3)) })
        {
            var call = await page.APIRequest.PostAsync($"api/contacts/{person}/timeline", new()
            {
                DataObject = new { kind = "Call", subject, direction = "Outbound", occurredAt = now.AddDays(-4), followUpAt = due },
                Headers = sameOrigin,
            });
            Assert.True(call.Ok, await call.TextAsync());
        }

        await page.GotoAsync("");
        await BrowserApp.WaitForBlazor(page);
        var coming = page.Locator("[data-testid=follow-up]", new() { HasText = "Call back " + suffix });
        var old = page.Locator("[data-testid=follow-up]", new() { HasText = "Send the catalogue " + suffix });
        await Assertions.Expect(coming).ToBeVisibleAsync();
        await Assertions.Expect(old.Locator("[data-testid=follow-up-overdue]")).ToHaveTextAsync("Overdue");
        await Assertions.Expect(coming.Locator("[data-testid=follow-up-overdue]")).ToHaveCountAsync(0);

        await coming.Locator("[data-testid=follow-up-done]").ClickAsync();
        await Assertions.Expect(coming).ToHaveCountAsync(0);
        await Assertions.Expect(old).ToBeVisibleAsync();

        // Done stays done: another visit does not bring it back.
        await page.ReloadAsync();
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(old).ToBeVisibleAsync();
        await Assertions.Expect(coming).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
