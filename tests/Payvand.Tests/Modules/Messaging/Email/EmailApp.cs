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

namespace Payvand.Tests.Modules.Messaging.Email;

// Payvand in memory over a real database with a real SMTP server (TestSmtpServer) behind one email channel "mail"
// (From news@shop.test), links to http://localhost (the test client's address), a clock the tests move and no
// background sending: tests call Dispatch. The clock starts on Saturday 2026-12-05 at 12:00 in Tehran.
public sealed class EmailApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string WebhookSecret = "an email webhook secret of the test";
    public const string From = "news@shop.test";

    private TestDatabase? database;

    public TestSmtpServer Smtp { get; } = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero).AddHours(-3.5));

    public int MainBranchId { get; private set; }

    public int ChannelId { get; private set; }

    public async Task InitializeAsync()
    {
        database = await TestDatabase.Create();
        using var scope = Services.CreateScope();
        await using var db = await Db();
        MainBranchId = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
        var channel = await scope.ServiceProvider.GetRequiredService<EmailChannels>().Save(null, new EmailChannelInput(
            "mail", "Shop mail", "127.0.0.1", Smtp.Port, EmailTls.None, FromAddress: From, FromName: "فروشگاه", ReplyTo: "reply@shop.test",
            RatePerSecond: 1000, WebhookSecret: WebhookSecret), CancellationToken.None);
        ChannelId = channel!.Id;
        await scope.ServiceProvider.GetRequiredService<Payvand.Platform.Settings.PayvandSettings>().Save(new Payvand.Platform.Settings.BusinessSettings());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
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
        builder.UseSetting("Payvand:Messaging:PublicUrl", "http://localhost");
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(JobRunner)));
        });
    }

    public Task<PayvandDb> Db() => Services.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();

    public async Task Dispatch()
    {
        var dispatcher = Services.GetRequiredService<MessageDispatcher>();
        for (var i = 0; i < 20 && await dispatcher.RunOnce(CancellationToken.None) > 0; i++)
        {
            // each round handles what is due now
        }
    }

    public async Task<Message> Message(long id)
    {
        await using var db = await Db();
        return await db.Messages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    public static string NewAddress(string prefix = "p") => $"{prefix}{Guid.NewGuid():N}"[..20] + "@example.com";

    // A person with a new email address (given, or made), promotional email consent as given.
    public async Task<Contact> Person(ConsentStatus email = ConsentStatus.OptedIn, string? address = null)
    {
        await using var db = await Db();
        var contact = new Contact { LastName = "ایمیل " + Guid.NewGuid().ToString("N")[..6], BranchId = MainBranchId };
        address ??= NewAddress();
        contact.Points.Add(new ContactPoint { Kind = ContactPointKind.Email, Value = address, NormalizedValue = address, IsPrimary = true });
        if (email != ConsentStatus.Unknown) contact.SetConsent(ConsentChannel.Email, ContactPurpose.Promotional, email, "test", Clock.GetUtcNow().UtcDateTime.AddDays(-30), null);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync();
        return contact;
    }

    public async Task<Message> Queue(int contactId, string subject, string text, string? html = null, ContactPurpose purpose = ContactPurpose.Promotional, bool? track = null)
    {
        await using var db = await Db();
        var outbox = Services.GetRequiredService<MessageOutbox>();
        var message = await outbox.Add(db, new OutgoingMessage(contactId, text, "test")
        {
            Channel = ConsentChannel.Email,
            Purpose = purpose,
            Subject = subject,
            HtmlBody = html,
            TrackClicks = track,
            TrackOpens = track,
        }, CancellationToken.None);
        await db.SaveChangesAsync();
        return message!;
    }

    public async Task<HttpClient> Admin(string culture = "en-US")
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
        var user = (await users.FindByEmailAsync(PayvandApp.AdminEmail))!;
        var token = await Services.GetRequiredService<AccessTokenService>().Create(user.Id, "test", null, CancellationToken.None);
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        return client;
    }

    // A client with no sign-in and no cookies, as a mail provider or a person following a link.
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
}
