using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Events;

namespace Payvand.Bench;

// outbox: how many durable events per second the app's outbox takes in and its dispatcher delivers (ADR 10).
//   1. write: --writers tasks each save events one per transaction (EventOutbox.Add + SaveChanges, as a module does
//      with its change), --events in all, while nothing delivers;
//   2. deliver: --instances processes (outbox-worker: the app's own EventDispatcher with its configured batch and
//      concurrency, over the same database) are started, wait until every one is ready, then deliver side by side
//      until nothing is due; timed from "go" to the last one's exit.
// The handler counts its effect in a table of its own (BenchOutboxEffects: one row per delivery, written in the delivery's
// transaction), so the check after the run is that every event was delivered exactly once: as many effect rows as
// events, as many distinct events, every outbox row Delivered.
public static class OutboxBench
{
    public static async Task Run(BenchOptions o, string[] args, CancellationToken ct)
    {
        var events = int.Parse(Option(args, "events", "20000"), CultureInfo.InvariantCulture);
        var writers = int.Parse(Option(args, "writers", "4"), CultureInfo.InvariantCulture);
        var instances = int.Parse(Option(args, "instances", "1"), CultureInfo.InvariantCulture);
        if (o.Provider == DatabaseProvider.Sqlite && instances > 1) throw new ArgumentException("Several instances share one PostgreSQL; SQLite is one instance's database.");

        await using var app = AppServices.Build(o, AddHandler);
        await app.Services.MigrateAsync(ct);
        await using (var db = await app.Db(ct))
        {
            await db.Database.ExecuteSqlRawAsync("""CREATE TABLE IF NOT EXISTS "BenchOutboxEffects" ("Seq" integer NOT NULL, "Instance" integer NOT NULL)""", ct);
            await db.Database.ExecuteSqlRawAsync("""DELETE FROM "BenchOutboxEffects" """, ct);
            await db.OutboxMessages.Where(m => m.EventType == nameof(BenchEvent)).ExecuteDeleteAsync(ct);
        }

        // 1. Write.
        var outbox = app.Services.GetRequiredService<EventOutbox>();
        var next = 0;
        var write = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            int seq;
            while ((seq = Interlocked.Increment(ref next)) <= events)
            {
                await using var db = await app.Db(ct);
                outbox.Add(db, new BenchEvent(seq));
                await db.SaveChangesAsync(ct);
            }
        }, ct)));
        write.Stop();

        // 2. Deliver.
        var workers = Enumerable.Range(1, instances).Select(i => StartWorker(o, i)).ToList();
        try
        {
            foreach (var w in workers)
            {
                var line = await w.StandardOutput.ReadLineAsync(ct);
                if (line != "ready") throw new InvalidOperationException("outbox-worker did not start: " + line + await w.StandardError.ReadToEndAsync(ct));
            }

            var deliver = Stopwatch.StartNew();
            foreach (var w in workers) await w.StandardInput.WriteLineAsync("go".AsMemory(), ct);
            foreach (var w in workers) await w.WaitForExitAsync(ct);
            deliver.Stop();
            var claims = new List<string>();
            foreach (var w in workers) claims.Add((await w.StandardOutput.ReadToEndAsync(ct)).Trim());
            if (workers.Any(w => w.ExitCode != 0)) throw new InvalidOperationException("an outbox-worker failed: " + string.Join("; ", claims));

            await using var db = await app.Db(ct);
            var effects = await db.Database.SqlQueryRaw<long>("""SELECT CAST(count(*) AS bigint) AS "Value" FROM "BenchOutboxEffects" """).SingleAsync(ct);
            var distinct = await db.Database.SqlQueryRaw<long>("""SELECT CAST(count(DISTINCT "Seq") AS bigint) AS "Value" FROM "BenchOutboxEffects" """).SingleAsync(ct);
            var delivered = await db.OutboxMessages.CountAsync(m => m.EventType == nameof(BenchEvent) && m.Status == DeliveryStatus.Delivered, ct);
            var perInstance = new List<long>();
            for (var i = 1; i <= instances; i++) perInstance.Add(await db.Database.SqlQuery<long>($"""SELECT CAST(count(*) AS bigint) AS "Value" FROM "BenchOutboxEffects" WHERE "Instance" = {i}""").SingleAsync(ct));
            var exact = effects == events && distinct == events && delivered == events;
            Console.WriteLine($"| {o.Label ?? o.Provider.ToString()} | events | written/s ({writers} writers) | instances | delivered/s | effects (distinct) | per instance | exactly once |");
            Console.WriteLine("|---|---:|---:|---:|---:|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {o.Provider} | {events:N0} | {events / write.Elapsed.TotalSeconds:N0} ({write.Elapsed.TotalSeconds:0.0} s) | {instances} | " +
                $"{events / deliver.Elapsed.TotalSeconds:N0} ({deliver.Elapsed.TotalSeconds:0.0} s) | {effects:N0} ({distinct:N0}) | {string.Join(" + ", perInstance)} | {(exact ? "yes" : "NO")} |"));
            if (!exact) throw new InvalidOperationException($"Not exactly once: {events} events, {effects} effects, {distinct} distinct, {delivered} delivered.");
        }
        finally
        {
            foreach (var w in workers.Where(w => !w.HasExited)) w.Kill(entireProcessTree: true);
        }
    }

    // One app instance delivering: the app's services and dispatcher over the database, started by "go" on stdin so that
    // every instance's start-up is outside the timed part; exits when nothing is left to claim.
    public static async Task Worker(BenchOptions o, string[] args, CancellationToken ct)
    {
        CountEffect.Instance = int.Parse(Option(args, "instance", "1"), CultureInfo.InvariantCulture);
        await using var app = AppServices.Build(o, AddHandler);
        var dispatcher = app.Services.GetRequiredService<EventDispatcher>();
        Console.WriteLine("ready");
        if (await Console.In.ReadLineAsync(ct) != "go") return;
        var claimed = 0;
        int batch;
        while ((batch = await dispatcher.RunOnce(ct)) > 0) claimed += batch;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"instance {CountEffect.Instance} claimed {claimed}"));
    }

    private static void AddHandler(IServiceCollection services) => services.AddEventHandler<BenchEvent, CountEffect>();

    private static Process StartWorker(BenchOptions o, int instance)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { typeof(OutboxBench).Assembly.Location, "outbox-worker", "--provider", o.Provider.ToString(), "--connection", o.Connection,
            "--instance", instance.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("outbox-worker did not start.");
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}

public sealed record BenchEvent(int Seq);

// The effect of one delivery: a row in the dispatcher's transaction, so a delivery that is undone leaves none.
public sealed class CountEffect : IEventHandler<BenchEvent>
{
    public static int Instance { get; set; } = 1;

    public Task Handle(BenchEvent domainEvent, EventContext context, CancellationToken ct) =>
        context.Db.Database.ExecuteSqlAsync($"INSERT INTO \"BenchOutboxEffects\" (\"Seq\", \"Instance\") VALUES ({domainEvent.Seq}, {Instance})", ct);
}
