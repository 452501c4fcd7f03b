using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Payvand.Modules.Contacts;
using Payvand.Platform;
using Payvand.Platform.Api;
using Payvand.Platform.Audit;
using Payvand.Platform.Persian;
using Payvand.Tests.Infrastructure;
using ActivityKind = Payvand.Modules.Activities.ActivityKind;

namespace Payvand.Tests.Platform;

// The application over a database that demo data was filled into once, and how long the filling took.
public sealed class DemoApp : IAsyncLifetime
{
    public PayvandApp App { get; } = new();

    public TimeSpan FillTime { get; private set; }

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        var watch = Stopwatch.StartNew();
        await DemoData.FillIfEmpty(App.Services, NullLogger.Instance, CancellationToken.None);
        FillTime = watch.Elapsed;
    }

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}

// Demo data (--demo): an empty database gets Persian people, companies, users and timelines, through the same
// rules, search index and audit trail as records people enter; a second run adds nothing.
[Trait("Category", "Integration")]
public sealed class DemoDataTests(DemoApp demo) : IClassFixture<DemoApp>
{
    private readonly PayvandApp app = demo.App;
    private readonly DateTime now = TimeProvider.System.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task Fills_branches_users_companies_people_and_timelines()
    {
        await using var db = await app.Db();
        Assert.Equal(DemoData.PeopleCount, await db.Contacts.CountAsync());
        Assert.Equal(DemoData.CompanyCount, await db.Companies.CountAsync());
        Assert.Equal(3, await db.Branches.CountAsync(b => b.City != null));
        Assert.Equal(8, await db.Users.CountAsync(u => u.Email!.EndsWith("@" + DemoData.EmailDomain)));
        Assert.True(await db.Contacts.CountAsync(c => c.CompanyId != null) > 50);
        Assert.True(await db.Contacts.Select(c => c.City).Distinct().CountAsync() >= 15);
        Assert.True(await db.Contacts.Select(c => c.OwnerId).Distinct().CountAsync() >= 5);

        var activities = await db.Activities.Select(a => new { a.Kind, a.OccurredAt, a.DurationSeconds, a.Outcome }).ToListAsync();
        Assert.True(activities.Count > 1000, $"{activities.Count} timeline entries");
        Assert.Equal(5, activities.Select(a => a.Kind).Where(Payvand.Modules.Activities.Activity.IsLoggedByHand).Distinct().Count());
        Assert.All(activities.Where(a => a.Kind == ActivityKind.Call), a => Assert.NotNull(a.Outcome));
        Assert.Contains(activities, a => a.DurationSeconds > 60);
        Assert.Contains(activities, a => a.OccurredAt < now.AddMonths(-15));
        Assert.All(activities, a => Assert.True(a.OccurredAt > now.AddMonths(-19), $"{a.OccurredAt:O} is older than 18 months"));
    }

    // Customers have bought (and sometimes returned) things; their summaries agree with their purchases.
    [Fact]
    public async Task Customers_have_purchases_with_matching_summaries()
    {
        await using var db = await app.Db();
        var purchases = await db.Purchases.Include(p => p.Refunds).ToListAsync();
        Assert.True(purchases.Count > 100, $"{purchases.Count} purchases");
        Assert.Contains(purchases, p => p.Refunds.Count > 0);
        Assert.All(purchases, p => Assert.True(p.OccurredAt <= now.AddMinutes(1)));
        var buyers = purchases.GroupBy(p => p.ContactId!.Value).ToDictionary(g => g.Key, g => g.ToList());
        var people = await db.Contacts.Where(c => buyers.Keys.Contains(c.Id)).ToListAsync();
        Assert.All(people, c =>
        {
            Assert.True(c.Lifecycle is LifecycleStage.Customer or LifecycleStage.FormerCustomer);
            Assert.Equal(buyers[c.Id].Count, c.PurchaseCount);
            Assert.Equal(buyers[c.Id].Sum(p => p.Total - p.Refunds.Sum(r => r.Amount)), c.NetSpent);
        });
    }

    [Fact]
    public async Task People_look_Iranian()
    {
        await using var db = await app.Db();
        var people = await db.Contacts.Include(c => c.Points).Include(c => c.Tags).ToListAsync();

        Assert.All(people, p => Assert.True(IsPersian(p.FirstName) && IsPersian(p.LastName), $"{p.FirstName} {p.LastName}"));
        Assert.InRange(people.Count(p => p.Gender == Gender.Female), 100, 200);
        Assert.InRange(people.Count(p => p.Gender == Gender.Male), 100, 200);

        var codes = people.Where(p => p.NationalCode is not null).Select(p => p.NationalCode!).ToList();
        Assert.True(codes.Count > 200);
        Assert.All(codes, c => Assert.True(NationalCode.Validate(c).IsValid, c));

        var mobiles = people.SelectMany(p => p.Points).Where(p => p.Kind == ContactPointKind.Mobile).ToList();
        Assert.True(mobiles.Count >= DemoData.PeopleCount);
        Assert.All(mobiles, m => Assert.Matches("^09[0-9]{9}$", m.Value));
        Assert.All(mobiles, m => Assert.Matches(@"^\+989[0-9]{9}$", m.NormalizedValue));
        Assert.InRange(people.Count(p => p.Points.Any(x => x.Kind == ContactPointKind.Email)), 90, 200);

        var today = DateOnly.FromDateTime(now);
        Assert.All(people.Where(p => p.BirthDate is not null), p => Assert.InRange(p.BirthDate!.Value, today.AddYears(-77), today.AddYears(-17)));
        var tags = people.SelectMany(p => p.Tags).Select(t => t.Name).ToHashSet();
        Assert.Contains("vip", tags);
        Assert.Contains(PersianText.Normalize("مشتری وفادار"), tags);
        Assert.Contains(PersianText.Normalize("عمده‌فروش"), tags);
    }

    [Fact]
    public async Task Consent_has_sources_and_history_is_audited()
    {
        await using var db = await app.Db();
        var consent = await db.ConsentRecords.ToListAsync();
        Assert.True(consent.Count > 200);
        Assert.All(consent, r => Assert.False(string.IsNullOrWhiteSpace(r.Source)));
        Assert.Contains(consent, r => r.Status == ConsentStatus.OptedOut);

        var ids = await db.Contacts.Select(c => c.Id.ToString()).ToListAsync();
        var created = await db.Audit.Where(a => a.EntityType == nameof(Contact) && a.Action == AuditAction.Create).Select(a => a.EntityId).ToListAsync();
        Assert.Equal(ids.Order(), created.Order());

        // The record, its audit entry and its first consent share the date it was registered on.
        var person = await db.Contacts.Include(c => c.ConsentHistory).Where(c => c.ConsentHistory.Count > 0).OrderBy(c => c.Id).FirstAsync();
        var audit = await db.Audit.SingleAsync(a => a.EntityType == nameof(Contact) && a.EntityId == person.Id.ToString() && a.Action == AuditAction.Create);
        Assert.Equal(person.CreatedAt, audit.At);
        Assert.Equal(person.CreatedAt, person.ConsentHistory.Min(r => r.RecordedAt));
        Assert.True(person.CreatedAt < now.AddDays(-2));
    }

    [Fact]
    public async Task Search_finds_a_demo_person_by_name_and_by_mobile()
    {
        await using var db = await app.Db();
        var person = await db.Contacts.Include(c => c.Points).OrderBy(c => c.Id).Skip(17).FirstAsync();
        var client = await app.AdminClient();

        var byName = await (await client.GetAsync($"/api/contacts?q={Uri.EscapeDataString($"{person.FirstName} {person.LastName}")}"))
            .Read<PagedResult<ContactRow>>();
        Assert.Contains(byName.Items, r => r.Id == person.Id);

        var mobile = person.Points.First(p => p.Kind == ContactPointKind.Mobile).Value;
        var byMobile = await (await client.GetAsync($"/api/contacts?q={mobile}")).Read<PagedResult<ContactRow>>();
        Assert.Contains(byMobile.Items, r => r.Id == person.Id);
    }

    [Fact]
    public async Task Running_again_adds_nothing()
    {
        await using var db = await app.Db();
        var before = (People: await db.Contacts.CountAsync(), Companies: await db.Companies.CountAsync(), Users: await db.Users.CountAsync(),
            Activities: await db.Activities.CountAsync(), Terms: await db.SearchTerms.CountAsync(), Audit: await db.Audit.CountAsync());

        await DemoData.FillIfEmpty(app.Services, NullLogger.Instance, CancellationToken.None);

        var after = (People: await db.Contacts.CountAsync(), Companies: await db.Companies.CountAsync(), Users: await db.Users.CountAsync(),
            Activities: await db.Activities.CountAsync(), Terms: await db.SearchTerms.CountAsync(), Audit: await db.Audit.CountAsync());
        Assert.Equal(before, after);
    }

    private static bool IsPersian(string? s) =>
        !string.IsNullOrWhiteSpace(s) && s.All(c => c is >= '\u0600' and <= '\u06FF' or ' ' or '\u200C');
}
