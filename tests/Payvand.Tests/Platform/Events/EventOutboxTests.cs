using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Events;
using Payvand.Platform.Jobs;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform.Events;

// The outbox rule by rule, in one host whose dispatcher and runner are driven by the test: an event is written only
// with the transaction that raised it, a failing handler is retried with back-off, after the last attempt the delivery
// stays Failed with its error for an administrator, who retries it through the API; delayed and failing jobs; a
// schedule read in the business time zone.
[Trait("Category", "Integration")]
public sealed class EventOutboxTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    public sealed record Pinged(string Text);

    public sealed class Flaky
    {
        public int FailuresLeft { get; set; }

        public List<(Guid EventId, string Text, int Attempt)> Seen { get; } = [];
    }

    private sealed class PingHandler(Flaky flaky) : IEventHandler<Pinged>
    {
        public Task Handle(Pinged domainEvent, EventContext context, CancellationToken ct)
        {
            lock (flaky)
            {
                if (flaky.FailuresLeft-- > 0) throw new InvalidOperationException("gateway down: " + domainEvent.Text);
                flaky.Seen.Add((context.EventId, domainEvent.Text, context.Attempt));
            }

            return Task.CompletedTask;
        }
    }

    private WebApplicationFactory<Program> Host(Flaky flaky, FakeTimeProvider clock) => app.WithWebHostBuilder(b => b
        .UseSetting("Payvand:Events:Dispatch", "false") // the test calls RunOnce
        .UseSetting("Payvand:Events:MaxAttempts", "3")
        .UseSetting("Payvand:Events:RetryFirst", "00:01:00")
        .ConfigureServices(s =>
        {
            s.AddSingleton(flaky).AddSingleton<TimeProvider>(clock).AddEventHandler<Pinged, PingHandler>();
            s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(JobRunner)));
        }));

    private static async Task Raise(WebApplicationFactory<Program> host, string text, bool commit)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<Payvand.Platform.Data.PayvandDb>>().CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        host.Services.GetRequiredService<EventOutbox>().Add(db, new Pinged(text));
        await db.SaveChangesAsync();
        if (commit) await tx.CommitAsync();
        else await tx.RollbackAsync();
    }

    private static async Task<OutboxMessage?> Row(WebApplicationFactory<Program> host, string text)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<Payvand.Platform.Data.PayvandDb>>().CreateDbContextAsync();
        var rows = await db.OutboxMessages.AsNoTracking().Where(m => m.EventType == nameof(Pinged)).ToListAsync();
        return rows.SingleOrDefault(m => JsonSerializer.Deserialize<Pinged>(m.Payload, JsonSerializerOptions.Web)!.Text == text);
    }

    [Fact]
    public async Task A_rolled_back_change_raises_nothing_and_a_failing_handler_is_retried_with_back_off_then_delivered_once()
    {
        var flaky = new Flaky { FailuresLeft = 2 };
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        await using var host = Host(flaky, clock);
        var dispatcher = host.Services.GetRequiredService<EventDispatcher>();
        var text = "retry-" + Guid.NewGuid();
        await Raise(host, "rolled-back-" + text, commit: false);
        await Raise(host, text, commit: true);
        Assert.Null(await Row(host, "rolled-back-" + text));

        await dispatcher.RunOnce(CancellationToken.None); // attempt 1 fails
        var first = (await Row(host, text))!;
        Assert.Equal((DeliveryStatus.Pending, 1), (first.Status, first.Attempts));
        Assert.Equal("InvalidOperationException: gateway down: " + text, first.LastError);
        Assert.InRange(first.NextAttemptAt - clock.GetUtcNow().UtcDateTime, TimeSpan.FromSeconds(47), TimeSpan.FromSeconds(73)); // 1 min ± a fifth

        await dispatcher.RunOnce(CancellationToken.None); // not due yet: nothing happens
        Assert.Equal(1, (await Row(host, text))!.Attempts);

        clock.Advance(TimeSpan.FromMinutes(2));
        await dispatcher.RunOnce(CancellationToken.None); // attempt 2 fails, the wait doubles
        var second = (await Row(host, text))!;
        Assert.InRange(second.NextAttemptAt - clock.GetUtcNow().UtcDateTime, TimeSpan.FromSeconds(95), TimeSpan.FromSeconds(145));

        clock.Advance(TimeSpan.FromMinutes(3));
        await dispatcher.RunOnce(CancellationToken.None); // attempt 3 succeeds
        var delivered = (await Row(host, text))!;
        Assert.Equal((DeliveryStatus.Delivered, 3), (delivered.Status, delivered.Attempts));
        Assert.Equal([(delivered.EventId, text, 3)], flaky.Seen);
        await dispatcher.RunOnce(CancellationToken.None);
        Assert.Single(flaky.Seen);
    }

    [Fact]
    public async Task After_the_last_attempt_an_administrator_sees_the_error_and_retries_through_the_api()
    {
        var flaky = new Flaky { FailuresLeft = 3 };
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        await using var host = Host(flaky, clock);
        var dispatcher = host.Services.GetRequiredService<EventDispatcher>();
        var text = "failed-" + Guid.NewGuid();
        await Raise(host, text, commit: true);
        for (var i = 0; i < 3; i++)
        {
            await dispatcher.RunOnce(CancellationToken.None);
            clock.Advance(TimeSpan.FromHours(2));
        }

        var failed = (await Row(host, text))!;
        Assert.Equal((DeliveryStatus.Failed, 3), (failed.Status, failed.Attempts));

        var admin = await ClientFor(host, await AdminUser());
        var list = await (await admin.GetAsync("/api/admin/events?status=Failed&pageSize=500")).Read<JsonElement>();
        var shown = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetInt64() == failed.Id);
        Assert.Equal("Events.PingHandler", shown.GetProperty("handler").GetString());
        Assert.Contains("gateway down", shown.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.True((await (await admin.GetAsync("/api/admin/events/summary")).Read<JsonElement>()).GetProperty("failed").GetInt32() >= 1);

        var sales = await ClientFor(host, await app.CreateUser(Roles.Sales, app.MainBranchId));
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.PostAsync($"/api/admin/events/{failed.Id}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/admin/events/{failed.Id}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/admin/events/{failed.Id}/retry", null)).StatusCode); // no longer failed

        await dispatcher.RunOnce(CancellationToken.None);
        Assert.Equal(DeliveryStatus.Delivered, (await Row(host, text))!.Status);
        Assert.Single(flaky.Seen);
    }

    private sealed class Failing : IJobHandler
    {
        public int Runs;

        public string Kind => "test-failing";

        public int MaxAttempts => 2;

        public Task Run(BackgroundJob job, CancellationToken ct)
        {
            Interlocked.Increment(ref Runs);
            throw new InvalidOperationException("always");
        }
    }

    [Fact]
    public async Task A_delayed_job_waits_for_its_time_and_a_failing_one_is_retried_up_to_its_attempts()
    {
        var failing = new Failing();
        await using var host = app.WithWebHostBuilder(b => b
            .UseSetting("Payvand:Jobs:RetryFirst", "00:00:00.200")
            .UseSetting("Payvand:Jobs:PollInterval", "00:00:00.100")
            .ConfigureServices(s => s.AddSingleton<IJobHandler>(failing)));
        var queue = host.Services.GetRequiredService<JobQueue>();
        var later = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(1);
        var delayed = await queue.Enqueue("test-failing", new { }, UserScope.System, CancellationToken.None, notBefore: later);
        var now = await queue.Enqueue("test-failing", new { }, UserScope.System, CancellationToken.None);

        var done = await Waiting.Until(async () =>
        {
            await using var db = await app.Db();
            return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == now);
        }, j => j.Status == JobStatus.Failed, "The failing job");
        Assert.Equal((2, "always"), (done.Attempts, done.Error));
        Assert.Equal(2, failing.Runs);
        await using var after = await app.Db();
        var waiting = await after.Jobs.AsNoTracking().SingleAsync(j => j.Id == delayed);
        Assert.Equal((JobStatus.Queued, 0), (waiting.Status, waiting.Attempts));
    }

    [Fact]
    public async Task A_daily_schedule_runs_at_nine_in_tehran_once_however_often_it_is_checked()
    {
        // 05:29 UTC is 08:59 in Tehran (UTC+03:30).
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 5, 29, 0, TimeSpan.Zero));
        var name = "test-nine-" + Guid.NewGuid().ToString("N")[..6];
        await using var host = app.WithWebHostBuilder(b => b.UseSetting("Payvand:Jobs:ScheduleInterval", "30.00:00:00").ConfigureServices(s =>
        {
            s.AddSingleton<TimeProvider>(clock).AddSchedule(name, "0 9 * * *", "test-nothing");
            s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(JobRunner)));
        }));
        var scheduler = host.Services.GetRequiredService<Scheduler>();
        Assert.DoesNotContain(await scheduler.RunDue(CancellationToken.None), o => o.Schedule == name);
        clock.Advance(TimeSpan.FromMinutes(2));
        var started = Assert.Single(await scheduler.RunDue(CancellationToken.None), o => o.Schedule == name);
        Assert.Equal(new DateTime(2026, 12, 1, 5, 30, 0, DateTimeKind.Utc), started.DueAt);
        Assert.DoesNotContain(await scheduler.RunDue(CancellationToken.None), o => o.Schedule == name);
        // Two days later, with no instance running in between: the latest missed occurrence runs, once.
        clock.Advance(TimeSpan.FromDays(2));
        var caughtUp = Assert.Single(await scheduler.RunDue(CancellationToken.None), o => o.Schedule == name);
        Assert.Equal(new DateTime(2026, 12, 3, 5, 30, 0, DateTimeKind.Utc), caughtUp.DueAt);
        await using var db = await app.Db();
        Assert.Equal(2, await db.ScheduledOccurrences.CountAsync(o => o.Schedule == name && o.JobId != null));
    }

    private async Task<AppUser> AdminUser()
    {
        await using var db = await app.Db();
        return await db.Users.SingleAsync(u => u.Email == PayvandApp.AdminEmail);
    }

    private static async Task<HttpClient> ClientFor(WebApplicationFactory<Program> host, AppUser user)
    {
        var token = await host.Services.GetRequiredService<AccessTokenService>().Create(user.Id, "test", null, CancellationToken.None);
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }
}
