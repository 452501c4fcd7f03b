using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.E2E;

// The public unsubscribe page of an email in Persian, as the person who got it opens it: no sign-in, right to left,
// one button; pressing it confirms, and the person is opted out of promotional email.
public sealed class UnsubscribeTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task The_unsubscribe_page_in_persian_opts_the_person_out_with_one_button()
    {
        int contactId;
        string path;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
            var branchId = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
            contactId = await scope.ServiceProvider.GetRequiredService<SaveContact>().Create(
                new ContactInput { FirstName = "مریم", LastName = "ایمیلی", BranchId = branchId, Points = [new ContactPointInput(ContactPointKind.Email, "maryam@example.com", IsPrimary: true)] },
                UserScope.System, CancellationToken.None);
            var person = await db.Contacts.Include(c => c.Consents).SingleAsync(c => c.Id == contactId);
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            person.SetConsent(ConsentChannel.Email, ContactPurpose.Promotional, ConsentStatus.OptedIn, "test", now, null);
            var message = MessageOutbox.Create(new OutgoingMessage(contactId, "حراج پاییزه", "test")
            {
                Channel = ConsentChannel.Email,
                Purpose = ContactPurpose.Promotional,
                Subject = "حراج",
            }, now);
            (message.Status, message.Address, message.SentAt) = (MessageStatus.Sent, "maryam@example.com", now);
            db.Messages.Add(message);
            await db.SaveChangesAsync();
            path = new Uri(scope.ServiceProvider.GetRequiredService<MessageLinks>().UnsubscribeUrl(message.Id)).PathAndQuery.TrimStart('/');
        }

        // A browser that never signed in, as the person reading their mail.
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, Locale = "fa-IR" });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("لغو عضویت");
        await Assertions.Expect(page.Locator("main p")).ToContainTextAsync("ایمیل");
        await page.ClickAsync("[data-testid=unsubscribe]");
        await Assertions.Expect(page.Locator("[data-testid=unsubscribed]")).ToContainTextAsync("عضویت شما لغو شد");
        await context.CloseAsync();

        await using var check = await app.Services.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();
        var after = await check.Contacts.Include(c => c.Consents).SingleAsync(c => c.Id == contactId);
        Assert.Equal(ConsentStatus.OptedOut, after.ConsentFor(ConsentChannel.Email));
    }
}
