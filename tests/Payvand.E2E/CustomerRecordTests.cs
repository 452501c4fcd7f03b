using Microsoft.Playwright;

namespace Payvand.E2E;

// A person's first minutes with Payvand, in Persian and in English: sign in, see the right direction,
// create a person with a Jalali birthday typed in Persian digits, find her by a name typed with Arabic ي and ك,
// log a call and see it on her timeline.
public sealed class CustomerRecordTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData("fa-IR", "rtl", "اشخاص")]
    [InlineData("en-US", "ltr", "People")]
    public async Task Sign_in_shows_the_layout_in_the_right_direction(string culture, string direction, string peopleLabel)
    {
        var page = await app.SignedInPage(culture);
        Assert.Equal(direction, await page.GetAttributeAsync("html", "dir"));
        Assert.Equal(culture[..2], await page.GetAttributeAsync("html", "lang"));
        await Assertions.Expect(page.Locator("[data-testid=nav-contacts]")).ToContainTextAsync(peopleLabel);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Wrong_password_is_refused_in_persian()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, Locale = "fa-IR" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("account/login");
        await page.FillAsync("#email", BrowserApp.AdminEmail);
        await page.FillAsync("#password", "not the password at all");
        await page.ClickAsync("[data-testid=login-submit]");
        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToHaveTextAsync("ایمیل یا گذرواژه درست نیست.");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Create_find_and_log_a_call_in_persian()
    {
        var page = await app.SignedInPage("fa-IR");
        await page.GotoAsync("contacts/new");
        await BrowserApp.WaitForBlazor(page);
        await page.FillAsync("[data-testid=first-name]", "نرگس");
        await page.FillAsync("[data-testid=last-name]", "یزدانی‌کیا");
        await page.FillAsync("[data-testid=birth-date]", "۱۳۷۰/۰۱/۳۱");
        await page.Locator("[data-testid=birth-date]").BlurAsync();
        await page.FillAsync("[data-testid=point-0]", "۰۹۱۲-۳۳۳-۴۴۵۵");
        await page.ClickAsync("[data-testid=save-contact]");

        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, @"/contacts/\d+$"));
        await Assertions.Expect(page.Locator("[data-testid=contact-name]")).ToHaveTextAsync("نرگس یزدانی‌کیا");
        // 1370/01/31 is 1991-04-20; shown back in Jalali with Persian digits.
        await Assertions.Expect(page.Locator("[data-testid=contact-birth-date]")).ToHaveTextAsync("۱۳۷۰/۰۱/۳۱");
        var profileUrl = page.Url;

        // Typed with Arabic letters (ي, ك) the way many keyboards produce them.
        await page.GotoAsync("contacts");
        await BrowserApp.WaitForBlazor(page);
        await page.FillAsync("[data-testid=contacts-q] input, input[data-testid=contacts-q]", "يزداني");
        await Assertions.Expect(page.Locator("[data-testid=contacts-grid]")).ToContainTextAsync("نرگس یزدانی‌کیا");
        await page.FillAsync("[data-testid=contacts-q] input, input[data-testid=contacts-q]", "كيا");
        await Assertions.Expect(page.Locator("[data-testid=contacts-grid]")).ToContainTextAsync("نرگس یزدانی‌کیا");

        await page.GotoAsync(profileUrl);
        await BrowserApp.WaitForBlazor(page);
        await page.Locator("[data-testid=activity-kind] >> text=تماس").ClickAsync();
        await page.FillAsync("[data-testid=call-minutes]", "۷");
        await page.Locator("[data-testid=call-minutes]").BlurAsync();
        await page.FillAsync("[data-testid=activity-body]", "درباره تمدید قرارداد صحبت شد");
        await page.ClickAsync("[data-testid=log-activity]");
        var item = page.Locator("[data-testid=timeline-item]").First;
        await Assertions.Expect(item).ToContainTextAsync("درباره تمدید قرارداد صحبت شد");
        await Assertions.Expect(item).ToContainTextAsync("۷ دقیقه");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Create_a_person_in_english_with_an_iso_birthday()
    {
        var page = await app.SignedInPage("en-US");
        await page.GotoAsync("contacts/new");
        await BrowserApp.WaitForBlazor(page);
        await page.FillAsync("[data-testid=first-name]", "Sara");
        await page.FillAsync("[data-testid=last-name]", "Ahmadi");
        await page.FillAsync("[data-testid=birth-date]", "1991-04-20");
        await page.Locator("[data-testid=birth-date]").BlurAsync();
        await page.ClickAsync("[data-testid=save-contact]");
        await Assertions.Expect(page.Locator("[data-testid=contact-name]")).ToHaveTextAsync("Sara Ahmadi");
        await Assertions.Expect(page.Locator("[data-testid=contact-birth-date]")).ToHaveTextAsync("1991-04-20");
        await page.Context.CloseAsync();
    }
}
