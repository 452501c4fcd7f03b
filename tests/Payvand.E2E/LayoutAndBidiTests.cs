using Microsoft.Playwright;

namespace Payvand.E2E;

// How the pages are laid out and how mixed Persian and Latin text is drawn, read from the browser's own layout at a
// desktop (1440 px) and a phone (390 px) width. With PAYVAND_SCREENSHOTS set to a folder, each view is saved there.
public sealed class LayoutAndBidiTests(DemoApp app) : IClassFixture<DemoApp>
{
    [Fact]
    public async Task A_phone_number_in_persian_search_results_reads_in_its_own_order()
    {
        var page = await app.SignedInPage("fa-IR");
        await page.SetViewportSizeAsync(1440, 900);
        await page.Locator("input[data-testid=global-search], [data-testid=global-search] input").First.FillAsync("۰۹۱");
        var hit = page.Locator("[data-testid=search-hit]").First;
        await Assertions.Expect(hit).ToBeVisibleAsync();
        // The first group (۰۹۱x) is drawn left of the last one: the number is isolated from the right-to-left line.
        var inOrder = await hit.EvaluateAsync<bool?>("""
            el => {
                const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const start = node.nodeValue.indexOf('\u2066'), end = node.nodeValue.indexOf('\u2069');
                    if (start < 0 || end < 0) continue;
                    const rect = (from, to) => { const r = document.createRange(); r.setStart(node, from); r.setEnd(node, to); return r.getBoundingClientRect(); };
                    return rect(start + 1, start + 5).left < rect(end - 4, end).left;
                }
                return null;
            }
            """);
        Assert.True(inOrder, "the phone number is isolated and drawn from its first digit on the left");
        Assert.DoesNotContain("·", await hit.InnerTextAsync(), StringComparison.Ordinal);
        await Screenshot(page, "search-fa.png");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("fa-IR")]
    [InlineData("en-US")]
    public async Task The_people_list_fits_a_desktop_and_shows_people_first_on_a_phone(string culture)
    {
        var page = await app.SignedInPage(culture);
        await page.SetViewportSizeAsync(1440, 900);
        await page.GotoAsync("contacts");
        await BrowserApp.WaitForBlazor(page);
        var grid = page.Locator("[data-testid=contacts-grid]");
        await Assertions.Expect(grid.Locator("tbody tr")).ToHaveCountAsync(25);

        // The filter panel is closed, its button counts nothing; every mobile stays on one line.
        await Assertions.Expect(page.Locator("[data-testid=contacts-filters]")).Not.ToBeVisibleAsync();
        var lines = await grid.EvaluateAsync<int[]>("g => [...g.querySelectorAll('tbody td [dir=ltr]')].map(s => new Set([...s.getClientRects()].map(r => Math.round(r.top))).size)");
        Assert.All(lines, n => Assert.Equal(1, n));

        // Choosing rows shows the bulk bar and leaves every column of the list inside the window.
        await grid.Locator("tbody tr").First.Locator("input[type=checkbox]").CheckAsync();
        await Assertions.Expect(page.Locator("[data-testid=bulk-actions]")).ToBeVisibleAsync();
        await Screenshot(page, $"contacts-1440-{culture}.png");
        var outside = await grid.EvaluateAsync<string[]>("g => [...g.querySelectorAll('thead th')].filter(th => { const r = th.getBoundingClientRect(); return r.left < 0 || r.right > document.documentElement.clientWidth; }).map(th => th.innerText)");
        Assert.Empty(outside);

        // A filter from the address is counted on the closed panel's button.
        await page.GotoAsync("contacts?city=" + Uri.EscapeDataString("تهران"));
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(page.Locator("[data-testid=contacts-filters-toggle]")).ToContainTextAsync(culture == "fa-IR" ? "(۱)" : "(1)");
        await page.ClickAsync("[data-testid=contacts-filters-toggle]");
        await Assertions.Expect(page.Locator("[data-testid=contacts-filters]")).ToBeVisibleAsync();

        // On a phone the first person is on the first screen.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("contacts");
        await BrowserApp.WaitForBlazor(page);
        await Assertions.Expect(grid.Locator("tbody tr")).ToHaveCountAsync(25);
        var top = await grid.Locator("tbody tr").First.EvaluateAsync<double>("r => r.getBoundingClientRect().top + window.scrollY");
        Assert.True(top < 844, $"the first person starts {top} px down the page");
        await Screenshot(page, $"contacts-390-{culture}.png");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_notification_does_not_cover_the_title_and_goes_once_the_problem_is_fixed()
    {
        var page = await app.SignedInPage("fa-IR");
        await page.SetViewportSizeAsync(1440, 900);
        await page.GotoAsync("contacts/new");
        await BrowserApp.WaitForBlazor(page);
        await page.ClickAsync("[data-testid=save-contact]");
        var snackbar = page.Locator(".mud-snackbar");
        await Assertions.Expect(snackbar).ToBeVisibleAsync();
        var title = await page.Locator("h5, .mud-typography-h5").First.BoundingBoxAsync();
        var note = await snackbar.First.BoundingBoxAsync();
        Assert.True(note!.Y > title!.Y + title.Height, "the notification sits below the page's title");
        await Screenshot(page, "snackbar-fa.png");

        await page.FillAsync("[data-testid=last-name] input, input[data-testid=last-name]", "یگانه");
        await page.ClickAsync("[data-testid=save-contact]");
        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, @"/contacts/\d+$"));
        await Assertions.Expect(page.GetByText("برخی از فیلدها معتبر نیستند.")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_api_reference_works_offline_without_cloud_buttons()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl });
        var page = await context.NewPageAsync();
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(app.BaseUrl, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal)
                && !request.Url.StartsWith("blob:", StringComparison.Ordinal)) elsewhere.Add(request.Url);
        };
        await page.GotoAsync("api/docs");
        await Assertions.Expect(page.GetByText("Payvand API").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Screenshot(page, "api-docs.png");
        var text = await page.InnerTextAsync("body");
        Assert.Empty(elsewhere);
        foreach (var cloud in new[] { "Ask AI", "Deploy", "Generate SDK" }) Assert.DoesNotContain(cloud, text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Security and access tokens", text, StringComparison.Ordinal);
        await context.CloseAsync();
    }

    private static async Task Screenshot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PAYVAND_SCREENSHOTS") is not { Length: > 0 } folder) return;
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), FullPage = true });
    }
}
