using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Payvand.E2E;

// Payvand on a real Kestrel port over a fresh SQLite file, and Debian's Chromium driven by Playwright.
// One per test class; each test opens its own browser context (cookies, language).
public class BrowserApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@e2e.local";
    public const string AdminPassword = "a long browser test password";

    private readonly string folder = Directory.CreateTempSubdirectory("payvand-e2e-").FullName;
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = default!;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/";
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM_EXECUTABLE") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // the OS cleans its temp folder
        }
    }

    // Whether the app starts with --demo (Payvand:Demo), as a newcomer's first run would.
    protected virtual bool WithDemoData => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Payvand:Demo", WithDemoData ? "true" : "false");
        builder.UseEnvironment("Testing");
        builder.UseSetting("Payvand:Database:Provider", "Sqlite");
        builder.UseSetting("Payvand:Database:ConnectionString", Path.Combine(folder, "payvand.db"));
        builder.UseSetting("Payvand:DataProtectionPath", Path.Combine(folder, "keys"));
        builder.UseSetting("Payvand:Admin:Email", AdminEmail);
        builder.UseSetting("Payvand:Admin:Password", AdminPassword);
        builder.UseSetting("Payvand:Culture", "fa-IR");
    }

    // A new browser tab with its own cookies, asking for the given language first, already signed in as the admin.
    public async Task<IPage> SignedInPage(string culture)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, Locale = culture });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"culture/{culture}?returnUrl=/account/login");
        await page.FillAsync("#email", AdminEmail);
        await page.FillAsync("#password", AdminPassword);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await WaitForBlazor(page);
        return page;
    }

    // Waits until a script condition holds in the page. Polled from here rather than with WaitForFunctionAsync, whose
    // polling inside the page evaluates the condition as a string, which Payvand's CSP (no 'unsafe-eval') forbids.
    public static async Task WaitUntil(IPage page, string condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await page.EvaluateAsync<bool>(condition)) return;
            }
            catch (PlaywrightException)
            {
                // The page was being replaced (its context destroyed): ask the new one.
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "Timed out waiting for " + condition);
            await Task.Delay(100);
        }
    }

    // Interactive pages answer clicks only once the Blazor circuit is up.
    public static async Task WaitForBlazor(IPage page) =>
        await page.WaitForSelectorAsync("body[data-interactive=true]");
}
