using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Notifications;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Messaging.Email;

// Staff notifications by email (ADR 17): a user who chose email for a kind gets each notification of it at their own
// address, in their language, with the link, through the email channel and a real SMTP server; a user who did not gets
// none. On SQLite and PostgreSQL.
[Trait("Category", "Integration")]
public sealed class NotificationEmailTests(EmailApp app) : IClassFixture<EmailApp>
{
    private async Task<AppUser> User(string? culture, string role = "Sales")
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = EmailApp.NewAddress("staff");
        var user = new AppUser { UserName = email, Email = email, DisplayName = "کارمند", Culture = culture, Branches = [new UserBranch { BranchId = app.MainBranchId }] };
        Assert.True((await users.CreateAsync(user, "a long test password 1")).Succeeded);
        await users.AddToRoleAsync(user, role);
        return user;
    }

    private async Task<HttpClient> ClientFor(AppUser user)
    {
        var token = await app.Services.GetRequiredService<AccessTokenService>().Create(user.Id, "test", null, CancellationToken.None);
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    [Fact]
    public async Task A_notification_goes_by_email_to_users_who_chose_it_in_their_language_with_its_link_and_to_nobody_else()
    {
        var wants = await User("fa");
        var doesNot = await User("en");
        var chosen = await (await (await ClientFor(wants)).PutJson("/api/notifications/preferences",
            new NotificationPreferencesInput([new("contact.owner", true)]))).Read<NotificationPreferencesView>();
        Assert.True(chosen.EmailAvailable);

        var admin = await app.Admin();
        var first = await (await admin.PostJson("/api/contacts", new ContactInput { LastName = "نیلوفر", OwnerId = wants.Id })).Read<ContactDetails>(HttpStatusCode.Created);
        await (await admin.PostJson("/api/contacts", new ContactInput { LastName = "Nobody", OwnerId = doesNot.Id })).Read<ContactDetails>(HttpStatusCode.Created);

        await using (var db = await app.Db())
        {
            var message = await db.Messages.AsNoTracking().SingleAsync(m => m.Address == wants.Email);
            Assert.Null(message.ContactId);
            Assert.Equal((ConsentChannel.Email, ContactPurpose.Transactional, NotificationEmails.Source), (message.Channel, message.Purpose, message.Source));
            Assert.False(await db.Messages.AnyAsync(m => m.Address == doesNot.Email));
        }

        await app.Dispatch();
        var mail = Assert.Single(app.Smtp.To(wants.Email!));
        Assert.Equal("شخصی که مسئولش شدم", mail.Subject);
        Assert.Equal(EmailApp.From, mail.From.Mailboxes.Single().Address);
        var link = $"http://localhost/contacts/{first.Id}";
        Assert.Contains("شما را مسئول نیلوفر کرد.", mail.TextBody, StringComparison.Ordinal);
        Assert.EndsWith($"باز کردن در پیوند: {link}", mail.TextBody?.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains($"href=\"{link}\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Null(mail.Headers["List-Unsubscribe"]);
        Assert.Empty(app.Smtp.To(doesNot.Email!));

        await using var check = await app.Db();
        var sent = await check.Messages.AsNoTracking().SingleAsync(m => m.Address == wants.Email);
        Assert.Equal(MessageStatus.Sent, sent.Status);
        Assert.False(await check.Activities.AnyAsync(a => a.SourceType == MessageStates.SourceType && a.SourceId == sent.Id.ToString()));

        // The staff email is not among people's messages; an admin finds it in the staff view of the log, a user
        // who reads the log but does not configure channels (Marketing) is refused that view and does not see it.
        var people = await (await admin.GetAsync("/api/messages?pageSize=100")).Read<PagedResult<MessageView>>();
        Assert.DoesNotContain(people.Items, m => m.Id == sent.Id);
        var staff = await (await admin.GetAsync("/api/messages?staff=true&pageSize=100")).Read<PagedResult<MessageView>>();
        var row = Assert.Single(staff.Items, m => m.Id == sent.Id);
        Assert.Equal((0, wants.Email, MessageStatus.Sent), (row.ContactId, row.Address, row.Status));
        Assert.All(staff.Items, m => Assert.Equal(0, m.ContactId));
        Assert.Equal(sent.Id, (await (await admin.GetAsync($"/api/messages/{sent.Id}")).Read<MessageView>()).Id);
        var marketing = await ClientFor(await User("fa", "Marketing"));
        Assert.Equal(HttpStatusCode.OK, (await marketing.GetAsync("/api/messages")).StatusCode);
        var refused = await marketing.GetAsync("/api/messages?staff=true");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("کانال‌ها را تنظیم می‌کنند", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await marketing.GetAsync($"/api/messages/{sent.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_bounced_staff_address_is_not_sent_to()
    {
        var user = await User("en");
        await (await (await ClientFor(user)).PutJson("/api/notifications/preferences", new NotificationPreferencesInput([new("contact.owner", true)]))).Read<NotificationPreferencesView>();
        await using (var db = await app.Db())
        {
            Reachability.Block(db, user.Email!.ToLowerInvariant(), null, EmailEvents.BounceSource, app.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }

        var admin = await app.Admin();
        await (await admin.PostJson("/api/contacts", new ContactInput { LastName = "Bounced", OwnerId = user.Id })).Read<ContactDetails>(HttpStatusCode.Created);
        await app.Dispatch();
        Assert.Empty(app.Smtp.To(user.Email!));
        await using var check = await app.Db();
        var message = await check.Messages.AsNoTracking().SingleAsync(m => m.Address == user.Email);
        Assert.Equal((MessageStatus.Suppressed, MessageReason.Bounced), (message.Status, message.Reason));
    }
}
