using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// Walks the main pages over the demo data, in English and in Persian, and reads what a user sees: the visible text and
// the labels read aloud (aria-label, title, placeholder). English must never show a resource key or an identifier
// (Gender.Female, ACTIVITY.NOTE, FormerCustomer); Persian must show Persian digits (pagers, counts, quantities, order
// numbers, codes) and no English component text (Select row, Rows per page). Every offence of every page is listed.
public sealed partial class UiLanguageWalkTests(DemoApp app) : IClassFixture<DemoApp>
{
    // Words in PascalCase that are real English in the UI rather than identifiers.
    private static readonly HashSet<string> EnglishWords = ["PostgreSQL", "SQLite", "OpenAPI", "JavaScript"];

    [Fact]
    public async Task The_english_ui_shows_no_resource_keys_or_identifiers()
    {
        var offences = new List<string>();
        var page = await app.SignedInPage("en-US");
        await page.SetViewportSizeAsync(1440, 900);
        foreach (var (path, text) in await Walk(page))
        {
            // The audit log and a record's change history still list stored field names (BranchId, SortName): their
            // labels are the change-history work of issue 11, tested there.
            if (path.StartsWith("/admin/audit", StringComparison.Ordinal) || path.Contains("history", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (Match m in KeyShaped().Matches(text))
            {
                if (!EnglishWords.Contains(m.Value)) offences.Add($"{path}: \"{m.Value}\" in …{Around(text, m.Index)}…");
            }
        }

        await page.Context.CloseAsync();
        Assert.True(offences.Count == 0, string.Join('\n', offences.Distinct()));
    }

    [Fact]
    public async Task The_persian_ui_shows_persian_digits_and_no_english_component_text()
    {
        var offences = new List<string>();
        var page = await app.SignedInPage("fa-IR");
        await page.SetViewportSizeAsync(1440, 900);
        foreach (var (path, text) in await Walk(page))
        {
            if (path.StartsWith("/admin/audit", StringComparison.Ordinal) || path.Contains("تاریخچه", StringComparison.Ordinal)) continue; // as in English
            var plain = LatinAllowed().Replace(text, " ");
            foreach (Match m in LatinDigits().Matches(plain)) offences.Add($"{path}: Latin digits \"{m.Value}\" in …{Around(plain, m.Index)}…");
            foreach (Match m in EnglishWord().Matches(plain)) offences.Add($"{path}: English \"{m.Value}\" in …{Around(plain, m.Index)}…");
        }

        await page.Context.CloseAsync();
        Assert.True(offences.Count == 0, string.Join('\n', offences.Distinct()));
    }

    // Every main page, a person with each of their tabs, a company; for each the text a user sees or hears.
    private async Task<List<(string Path, string Text)>> Walk(IPage page)
    {
        int person, company, purchase;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync())
        {
            person = await db.Activities.Where(a => a.ContactId != null).GroupBy(a => a.ContactId!.Value)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).FirstAsync();
            company = await db.Companies.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
            purchase = await db.Purchases.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        }

        string[] paths =
        [
            "", "contacts", "companies", $"companies/{company}", "purchases", $"purchases/{purchase}", "products", "imports",
            "exports", "contacts/duplicates", "admin/settings", "admin/roles", "admin/users", "admin/audit", "admin/privacy",
            "admin/events", "admin/branches", "admin/custom-fields", "contacts/new", "purchases/new",
        ];
        var seen = new List<(string, string)>();
        foreach (var path in paths) seen.Add(("/" + path, await Read(page, path)));

        await Read(page, $"contacts/{person}");
        var tabs = page.GetByRole(AriaRole.Tab);
        for (var i = 0; i < await tabs.CountAsync(); i++)
        {
            var name = (await tabs.Nth(i).InnerTextAsync()).Trim();
            await tabs.Nth(i).ClickAsync();
            seen.Add(($"/contacts/{person} tab {name}", await Seen(page)));
        }

        return seen;
    }

    private static async Task<string> Read(IPage page, string path)
    {
        await page.GotoAsync(path);
        await BrowserApp.WaitForBlazor(page);
        return await Seen(page);
    }

    // The page's visible text and accessible labels, once it has stopped changing (server-paged grids fill in late).
    // Text marked translate="no" (table and column names on the personal data map) is an identifier on purpose.
    private static async Task<string> Seen(IPage page)
    {
        var last = "";
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(300);
            var now = await page.EvaluateAsync<string>("""
                () => {
                    const identifiers = [...document.querySelectorAll('[translate=no]')];
                    identifiers.forEach(e => e.style.setProperty('display', 'none'));
                    const text = document.body.innerText;
                    identifiers.forEach(e => e.style.removeProperty('display'));
                    return text + '\n' + [...document.querySelectorAll('[aria-label],[title],[placeholder]')]
                        .filter(e => e.checkVisibility ? e.checkVisibility() : true)
                        .map(e => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('placeholder')].filter(x => x).join('\n'))
                        .join('\n');
                }
                """);
            if (now == last && !now.Contains("Loading", StringComparison.Ordinal)) return now;
            last = now;
        }

        return last;
    }

    private static string Around(string text, int index)
    {
        var start = Math.Max(0, index - 30);
        return text.Substring(start, Math.Min(text.Length - start, 60)).ReplaceLineEndings(" ");
    }

    // Gender.Female, Activity.Call, FormerCustomer, ACTIVITY.NOTE, OUTCOME_BUSY.
    [GeneratedRegex(@"\b[A-Z][A-Za-z]*\.[A-Z][A-Za-z]+\b|\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b|\b[A-Z]{2,}[._][A-Z]{2,}\b")]
    private static partial Regex KeyShaped();

    [GeneratedRegex(@"[0-9]+")]
    private static partial Regex LatinDigits();

    // English words of two letters or more that are not part of an address (Latin words are kept in those).
    [GeneratedRegex(@"\b[A-Za-z]{3,}\b")]
    private static partial Regex EnglishWord();

    // What may be Latin in the Persian UI: e-mail and web addresses, file names, the language menu's "English",
    // format and encoding names (CSV, XLSX, JSON, API, SMS, UTF-8, Windows-1256), and codes in upper case.
    [GeneratedRegex(@"[\w.+-]+@[\w.-]+|https?://\S+|\b[\w-]+\.(?:csv|xlsx|json)\b|\bEnglish\b|\bUTF-8\b|\bWindows-1256\b|\b[A-Z]{2,5}\b")]
    private static partial Regex LatinAllowed();
}
