using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Payvand.Modules.Contacts;
using Payvand.Modules.Dashboard;
using Payvand.Platform.Auth;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Dashboard;

// The dashboard's counts are exact, taken once for everyone who sees the same records and kept for
// DashboardCounts.MaxAge, so a million people are not counted on every visit.
[Trait("Category", "Integration")]
public sealed class DashboardCountsTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static UserScope SalesIn(int userId, int branchId) =>
        new(userId, "sales" + userId, new HashSet<string> { Roles.Sales }, new HashSet<int> { branchId });

    private async Task AddPeople(int branchId, int count, LifecycleStage lifecycle = LifecycleStage.Lead)
    {
        await using var db = await app.Db();
        db.Contacts.AddRange(Enumerable.Range(1, count).Select(i => new Contact
        {
            LastName = $"Counted {Guid.NewGuid():N}",
            SortName = "counted",
            BranchId = branchId,
            Lifecycle = lifecycle,
        }));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Counts_are_kept_for_five_minutes_then_taken_again()
    {
        var branch = await app.CreateBranch("Counted " + Guid.NewGuid().ToString("N")[..6]);
        await AddPeople(branch, 2);
        await AddPeople(branch, 1, LifecycleStage.Customer);
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var counts = ActivatorUtilities.CreateInstance<DashboardCounts>(app.Services, (TimeProvider)clock);

        var first = await counts.Get(SalesIn(1, branch), CancellationToken.None);
        Assert.Equal((3, 1), (first["people"], first["customers"]));
        Assert.Equal(clock.GetUtcNow().UtcDateTime, first.CountedAt);

        // Another visitor who sees the same branch gets the same figures within the five minutes, new people or not.
        await AddPeople(branch, 2);
        clock.Advance(DashboardCounts.MaxAge - TimeSpan.FromSeconds(1));
        Assert.Same(first, await counts.Get(SalesIn(2, branch), CancellationToken.None));

        clock.Advance(TimeSpan.FromSeconds(1));
        var later = await counts.Get(SalesIn(1, branch), CancellationToken.None);
        Assert.Equal((5, 1), (later["people"], later["customers"]));
        Assert.Equal(clock.GetUtcNow().UtcDateTime, later.CountedAt);
    }

    [Fact]
    public async Task Each_visibility_has_its_own_counts_and_visitors_at_once_share_one_count()
    {
        var mine = await app.CreateBranch("Mine " + Guid.NewGuid().ToString("N")[..6]);
        var other = await app.CreateBranch("Other " + Guid.NewGuid().ToString("N")[..6]);
        await AddPeople(mine, 4);
        await AddPeople(other, 1);
        var counts = ActivatorUtilities.CreateInstance<DashboardCounts>(app.Services);

        var atOnce = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => counts.Get(SalesIn(i, mine), CancellationToken.None)));
        Assert.All(atOnce, figures => Assert.Same(atOnce[0], figures));
        Assert.Equal(4, atOnce[0]["people"]);
        Assert.Equal(1, (await counts.Get(SalesIn(9, other), CancellationToken.None))["people"]);

        // An admin sees every branch: at least the five people above.
        var all = await counts.Get(UserScope.System, CancellationToken.None);
        Assert.True(all["people"] >= 5, $"{all["people"]} people for an admin");
    }

    [Fact]
    public async Task A_visitor_who_leaves_does_not_spoil_the_count_for_the_next()
    {
        var branch = await app.CreateBranch("Left " + Guid.NewGuid().ToString("N")[..6]);
        await AddPeople(branch, 3);
        var counts = ActivatorUtilities.CreateInstance<DashboardCounts>(app.Services);

        // The one who left stops waiting (or, when the count was already done, gets it): the count is not cancelled.
        try
        {
            await counts.Get(SalesIn(1, branch), new CancellationToken(canceled: true));
        }
        catch (OperationCanceledException)
        {
        }

        var next = await counts.Get(SalesIn(2, branch), CancellationToken.None);
        Assert.Equal(3, next["people"]);
        Assert.Same(next, await counts.Get(SalesIn(3, branch), CancellationToken.None));
    }

    [Fact]
    public async Task The_dashboard_api_says_when_it_counted()
    {
        var branch = await app.CreateBranch("Api " + Guid.NewGuid().ToString("N")[..6]);
        await AddPeople(branch, 2, LifecycleStage.Customer);
        var client = await app.ClientFor(await app.CreateUser(Roles.Sales, branch));

        var data = await (await client.GetAsync("/api/dashboard")).Read<DashboardData>();
        var figures = data.Figures.ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal((2, 2, 0), (figures["people"], figures["customers"], figures["companies"]));
        Assert.Equal("Customers", data.Figures.Single(f => f.Key == "customers").Label);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        Assert.InRange(data.CountedAt, now.AddMinutes(-1), now.AddMinutes(1));
    }

    [Fact]
    public async Task Modules_contribute_the_figures_and_each_is_shown_to_holders_of_its_permission()
    {
        var branch = await app.CreateBranch("Figures " + Guid.NewGuid().ToString("N")[..6]);
        await AddPeople(branch, 1);
        var counts = app.Services.GetRequiredService<DashboardCounts>();
        Assert.Equal(
            ["people", "customers", "companies", "newPeopleLast30Days", "activitiesLast7Days", "salesLast30Days"],
            counts.All.Select(f => f.Key).ToArray());

        var summary = app.Services.GetRequiredService<DashboardSummary>();
        var holder = SalesIn(1, branch) with { Permissions = new HashSet<string> { ContactsPermissions.Read } };
        var shown = await summary.Handle(holder, CancellationToken.None);
        Assert.Equal(["people", "customers", "newPeopleLast30Days"], shown.Figures.Select(f => f.Key).ToArray());
        Assert.Equal(1, shown.Figures[0].Value);
    }

    [Fact]
    public async Task Sales_in_30_days_sums_the_net_of_recent_purchases_in_rials()
    {
        var branch = await app.CreateBranch("Sales " + Guid.NewGuid().ToString("N")[..6]);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await using (var db = await app.Db())
        {
            db.Purchases.AddRange(
                new() { BranchId = branch, OccurredAt = now.AddDays(-1), Total = 500_000, Refunded = 100_000 },
                new() { BranchId = branch, OccurredAt = now.AddDays(-40), Total = 900_000 },
                new() { BranchId = branch, OccurredAt = now.AddDays(-2), Total = 70, Currency = "USD" });
            await db.SaveChangesAsync();
        }

        var counts = ActivatorUtilities.CreateInstance<DashboardCounts>(app.Services);
        Assert.Equal(400_000, (await counts.Get(SalesIn(1, branch), CancellationToken.None))["salesLast30Days"]);
    }
}
