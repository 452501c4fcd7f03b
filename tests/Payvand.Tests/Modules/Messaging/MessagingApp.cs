using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Jobs;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Messaging;

// Payvand in memory over a real database with the fake Kavenegar process as its SMS gateway (one channel, line
// 10004346), a clock the tests move, and no background sending: tests call Dispatch, DeliveryReports and Replies,
// so every step happens when the test says. The clock starts on Saturday 2026-12-05 at 12:00 in Tehran.
public sealed class MessagingApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Line = "10004346";
    public const string WebhookSecret = "a webhook secret of the test";

    private TestDatabase? database;

    public FakeKavenegarProcess Gateway { get; } = new();

    public FakeTimeProvider Clock { get; } = new(Tehran(5, 12));

    public int MainBranchId { get; private set; }

    public int ChannelId { get; private set; }

    public static DateTimeOffset Tehran(int day, int hour, int minute = 0) =>
        new DateTimeOffset(2026, 12, day, hour, minute, 0, TimeSpan.Zero).AddHours(-3.5);

    public async Task InitializeAsync()
    {
        database = await TestDatabase.Create();
        await Gateway.InitializeAsync();
        using var scope = Services.CreateScope();
        await using var db = await Db();
        MainBranchId = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
        var channel = await scope.ServiceProvider.GetRequiredService<SmsChannels>().Save(null, new SmsChannelInput(
            "main", "Kavenegar", "kavenegar", Gateway.Address.ToString(), FakeKavenegarProcess.ApiKey, [Line], WebhookSecret, 1000, null), CancellationToken.None);
        ChannelId = channel!.Id;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Gateway.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Payvand:Database:Provider", database!.Provider);
        builder.UseSetting("Payvand:Database:ConnectionString", database.ConnectionString);
        builder.UseSetting("Payvand:Admin:Email", PayvandApp.AdminEmail);
        builder.UseSetting("Payvand:Admin:Password", PayvandApp.AdminPassword);
        builder.UseSetting("Payvand:Culture", "en-US");
        builder.UseSetting("Payvand:Messaging:Dispatch", "false");
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(JobRunner)));
        });
    }

    // Moves the clock forward to the next hh:mm in Tehran (the clock never goes back: the tests share it).
    public DateTimeOffset MoveTo(int hour, int minute = 0)
    {
        var now = Clock.GetUtcNow();
        var local = now.ToOffset(TimeSpan.FromHours(3.5));
        var next = new DateTimeOffset(local.Year, local.Month, local.Day, hour, minute, 0, TimeSpan.FromHours(3.5));
        while (next <= now) next = next.AddDays(1);
        Clock.SetUtcNow(next.ToUniversalTime());
        return next.ToUniversalTime();
    }

    public Task<PayvandDb> Db() => Services.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();

    // Runs the dispatcher until it finds nothing due.
    public async Task Dispatch()
    {
        var dispatcher = Services.GetRequiredService<MessageDispatcher>();
        for (var i = 0; i < 20 && await dispatcher.RunOnce(CancellationToken.None) > 0; i++)
        {
            // each round handles what is due now
        }
    }

    public async Task<int> DeliveryReports()
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SmsDeliveryReports>().Poll(CancellationToken.None);
    }

    public async Task<int> Replies()
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SmsReplies>().Poll(CancellationToken.None);
    }

    public async Task<Message> Message(long id)
    {
        await using var db = await Db();
        return await db.Messages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    public static string NewMobile() => "+989" + Random.Shared.NextInt64(100_000_000, 999_999_999);

    // A person with a new mobile, promotional SMS consent as given.
    public async Task<Contact> Person(ConsentStatus sms = ConsentStatus.OptedIn, Action<Contact>? change = null)
    {
        await using var db = await Db();
        var contact = new Contact { LastName = "پیامک " + Guid.NewGuid().ToString("N")[..6], BranchId = MainBranchId };
        var mobile = NewMobile();
        contact.Points.Add(new ContactPoint { Kind = ContactPointKind.Mobile, Value = mobile, NormalizedValue = mobile, IsPrimary = true });
        if (sms != ConsentStatus.Unknown) contact.SetConsent(ConsentChannel.Sms, ContactPurpose.Promotional, sms, "test", Clock.GetUtcNow().UtcDateTime.AddDays(-30), null);
        change?.Invoke(contact);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync();
        return contact;
    }

    // Writes a message to the outbox the way another module would: in its own transaction.
    public async Task<Message> Queue(int contactId, string body, ContactPurpose purpose = ContactPurpose.Promotional, string? occasion = null)
    {
        await using var db = await Db();
        var outbox = Services.GetRequiredService<MessageOutbox>();
        var message = await outbox.Add(db, new OutgoingMessage(contactId, body, "test") { Purpose = purpose, Occasion = occasion }, CancellationToken.None);
        await db.SaveChangesAsync();
        return message!;
    }

    public async Task<HttpClient> ClientAs(string role, string culture = "en-US")
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
        AppUser user;
        if (role == Roles.Admin)
        {
            user = (await users.FindByEmailAsync(PayvandApp.AdminEmail))!;
        }
        else
        {
            var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}@test.local";
            user = new AppUser { UserName = email, Email = email, DisplayName = role, Branches = [new UserBranch { BranchId = MainBranchId }] };
            Assert.True((await users.CreateAsync(user, "a long test password 1")).Succeeded);
            await users.AddToRoleAsync(user, role);
        }

        var token = await Services.GetRequiredService<AccessTokenService>().Create(user.Id, "test", null, CancellationToken.None);
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        return client;
    }
}
