using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Platform.Auth;
using Payvand.Platform.Jobs;
using Payvand.Platform.Telemetry;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform.Telemetry;

// Payvand's own meter: a background job that ends is counted once, by kind and final status.
[Trait("Category", "Integration")]
public sealed class PayvandMetricsTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [Fact]
    public async Task A_finished_job_is_counted_by_kind_and_status()
    {
        var kind = "no-such-kind-" + Guid.NewGuid().ToString("N")[..8];
        var measured = new ConcurrentQueue<(long Value, string? Kind, string? Status)>();
        await using var host = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IJobHandler>(new Throwing(kind))));
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this app's meter: other test classes run apps of their own at the same time.
            if (instrument.Meter.Name == PayvandMetrics.MeterName && instrument.Meter.Scope == meters && instrument.Name == "payvand.jobs.completed")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var all = tags.ToArray();
            string? Tag(string name) => all.FirstOrDefault(t => t.Key == name).Value as string;
            if (Tag("kind") == kind) measured.Enqueue((value, Tag("kind"), Tag("status")));
        });
        listener.Start();
        _ = host.Services.GetRequiredService<PayvandMetrics>(); // the meter exists before the job ends

        // A job whose handler throws ends as Failed: the runner's one place that writes a final status counts it.
        var id = await host.Services.GetRequiredService<JobQueue>().Enqueue(kind, new { }, UserScope.System, CancellationToken.None);
        await Waiting.Until(async () =>
        {
            await using var db = await app.Db();
            return await db.Jobs.Where(j => j.Id == id).Select(j => j.Status).SingleAsync();
        }, s => s == JobStatus.Failed, "the job");
        await Waiting.Until(() => Task.FromResult(measured.Count), n => n > 0, "the measurement");

        var only = Assert.Single(measured);
        Assert.Equal(1, only.Value);
        Assert.Equal("Failed", only.Status);
    }

    private sealed class Throwing(string kind) : IJobHandler
    {
        public string Kind => kind;

        public Task Run(BackgroundJob job, CancellationToken ct) => throw new InvalidOperationException("broken on purpose");
    }
}
