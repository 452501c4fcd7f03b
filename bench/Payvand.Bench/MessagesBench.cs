using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging;
using Payvand.Platform.Auth;

namespace Payvand.Bench;

// messages: the messaging outbox and its dispatcher at scale (issue 12), over a database of generated people.
//   1. write: --messages (1,000,000) messages, one per person, written with MessageOutbox.AddMany by --writers tasks in
//      transactions of --batch messages, as a campaign or an automation writes its recipients; nothing sends meanwhile.
//   2. send: the app (--app PATH/Payvand.Web.dll) is started beside the fake Kavenegar gateway (--fake PATH, by default
//      tests/Payvand.FakeKavenegar's Release build) as separate processes, an SMS channel with --lines sender lines is
//      added through /api/channels, then --send (100,000) transactional messages are written (spread over the lines),
//      held until all are written, released with one UPDATE and timed from then to the last one the gateway accepted
//      (their SentAt). The fake's counters then show that each was sent once: as many accepted as written, no local id
//      sent twice.
public static class MessagesBench
{
    public const string Source = "bench";

    public static async Task Run(BenchOptions o, string[] args, CancellationToken ct)
    {
        var total = int.Parse(Option(args, "messages", "1000000"), CultureInfo.InvariantCulture);
        var writers = int.Parse(Option(args, "writers", "4"), CultureInfo.InvariantCulture);
        var batch = int.Parse(Option(args, "batch", "5000"), CultureInfo.InvariantCulture);
        var send = int.Parse(Option(args, "send", "100000"), CultureInfo.InvariantCulture);
        var lines = int.Parse(Option(args, "lines", "4"), CultureInfo.InvariantCulture);
        var outbox = new MessageOutbox(TimeProvider.System);

        List<int> people;
        await using (var app = AppServices.Build(o))
        {
            await using (var db = await app.Db(ct))
            {
                db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
                people = await db.Contacts.Where(c => c.Points.Any(p => p.Kind == ContactPointKind.Mobile)).OrderBy(c => c.Id).Select(c => c.Id).Take(Math.Max(total, send)).ToListAsync(ct);
                await Clear(db, ct);
            }

            if (total > 0)
            {
                var (count, seconds) = await Write(app, outbox, people.Take(total).ToList(), writers, batch, _ => null, ct);
                Console.WriteLine($"| write | {count:N0} messages | {writers} writers × {batch:N0} per transaction | {seconds:N1} s | {count / seconds:N0} messages/s |");
                await using var db = await app.Db(ct);
                await Clear(db, ct);
            }

            if (send > 0) await Send(o, app, outbox, people.Take(send).ToList(), lines, ct);
        }
    }

    private static async Task Clear(Payvand.Platform.Data.PayvandDb db, CancellationToken ct)
    {
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await db.Set<Message>().Where(m => m.Source == Source).ExecuteDeleteAsync(ct);
        await db.Activities.Where(a => a.SourceType == MessageStates.SourceType).ExecuteDeleteAsync(ct);
    }

    private static async Task<(int Count, double Seconds)> Write(
        AppServices app, MessageOutbox outbox, List<int> people, int writers, int batch, Func<int, string?> line, CancellationToken ct, DateTime? notBefore = null)
    {
        var chunks = people.Chunk(batch).ToList();
        var next = -1;
        var written = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < chunks.Count)
            {
                await using var db = await app.Db(ct);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var n = await outbox.AddMany(db, [.. chunks[i].Select((id, k) => new OutgoingMessage(id, "کد تأیید شما: " + (100000 + k).ToString(CultureInfo.InvariantCulture), Source)
                {
                    SenderLine = line(id),
                    NotBefore = notBefore,
                })], ct);
                await tx.CommitAsync(ct);
                Interlocked.Add(ref written, n);
            }
        }, ct)));
        return (written, clock.Elapsed.TotalSeconds);
    }

    private static async Task Send(BenchOptions o, AppServices app, MessageOutbox outbox, List<int> people, int lines, CancellationToken ct)
    {
        var dll = o.App ?? throw new ArgumentException("--app PATH/Payvand.Web.dll is required to send");
        var work = Directory.CreateTempSubdirectory("payvand-bench-messages").FullName;
        var fakeUrl = $"http://127.0.0.1:{FreePort()}";
        var appUrl = $"http://127.0.0.1:{o.Port}";
        using var fake = StartFake(FakePath(), fakeUrl);
        using var server = Measure.StartApp(o, dll, appUrl, work);
        try
        {
            await Measure.WaitHealthy(fakeUrl, fake, ct);
            await Measure.WaitHealthy(appUrl, server, ct);
            string token;
            await using (var db = await app.Db(ct))
            {
                var admin = await db.Users.SingleAsync(u => u.Email == AppServices.AdminEmail, ct);
                token = (await app.Services.GetRequiredService<AccessTokenService>().Create(admin.Id, "bench", null, ct)).Token;
                await db.Set<SmsChannel>().Where(c => c.Key == "bench").ExecuteDeleteAsync(ct);
            }

            using var http = new HttpClient { BaseAddress = new Uri(appUrl), Timeout = TimeSpan.FromMinutes(1) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var numbers = Enumerable.Range(0, lines).Select(i => (10008000 + i).ToString(CultureInfo.InvariantCulture)).ToList();
            (await http.PostAsJsonAsync("/api/channels", new SmsChannelInput("bench", "Bench", "kavenegar", fakeUrl, "bench-key", numbers, null, 1000, null), ct)).EnsureSuccessStatusCode();

            // Written held (due in a year), then released at once: the time runs from the release to the last message the
            // gateway accepted (their SentAt), so neither the writing nor the polling below is counted as sending.
            var (count, writeSeconds) = await Write(app, outbox, people, 4, 5000, id => numbers[id % lines], ct, TimeProvider.System.GetUtcNow().UtcDateTime.AddYears(1));
            server.Refresh();
            var cpu = server.TotalProcessorTime;
            var released = TimeProvider.System.GetUtcNow().UtcDateTime;
            await using (var db = await app.Db(ct))
            {
                await db.Set<Message>().Where(m => m.Source == Source).ExecuteUpdateAsync(s => s.SetProperty(m => m.NotBefore, released), ct);
            }

            var clock = Stopwatch.StartNew();
            var left = count;
            while (left > 0)
            {
                await Task.Delay(1000, ct);
                await using var db = await app.Db(ct);
                left = await db.Set<Message>().CountAsync(m => m.Source == Source && (m.Status == MessageStatus.Queued || m.Status == MessageStatus.Waiting || m.Status == MessageStatus.Sending), ct);
                if (server.HasExited) throw new InvalidOperationException("The app exited while sending.");
                if (clock.Elapsed > TimeSpan.FromMinutes(30)) throw new TimeoutException($"{left:N0} messages still unsent after 30 minutes.");
            }

            server.Refresh();
            double seconds;
            await using (var db = await app.Db(ct))
            {
                var last = await db.Set<Message>().Where(m => m.Source == Source).MaxAsync(m => m.SentAt, ct) ?? TimeProvider.System.GetUtcNow().UtcDateTime;
                seconds = (last - released).TotalSeconds;
            }

            var cpuPerMessage = (server.TotalProcessorTime - cpu).TotalMilliseconds / Math.Max(1, count);
            using var control = new HttpClient { BaseAddress = new Uri(fakeUrl) };
            var stats = await control.GetFromJsonAsync<FakeStats>("/_fake/stats", ct) ?? throw new InvalidOperationException("No stats from the fake gateway.");
            await using (var db = await app.Db(ct))
            {
                var states = await db.Set<Message>().Where(m => m.Source == Source).GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
                Console.WriteLine($"| send | {count:N0} SMS, {lines} lines × 1,000/s | written in {writeSeconds:N1} s, sent in {seconds:N1} s | {count / seconds:N0} messages/s, app CPU {cpuPerMessage:N2} ms per message | " +
                    $"gateway: {stats.Sent:N0} accepted in {stats.SendCalls:N0} calls, {stats.DuplicateSends} sent twice; states: {string.Join(", ", states.Select(s => $"{s.Key} {s.Count:N0}"))} |");
            }
        }
        finally
        {
            foreach (var p in new[] { server, fake })
            {
                // Stopped as a service manager stops them (SIGTERM), so their shutdown runs (and a trace they write
                // ends whole); killed when they do not stop within 20 seconds.
                if (!p.HasExited && OperatingSystem.IsLinux())
                {
                    using var term = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)]);
                    await term.WaitForExitAsync(CancellationToken.None);
                }

                using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                try
                {
                    await p.WaitForExitAsync(stopped.Token);
                }
                catch (OperationCanceledException)
                {
                    p.Kill(entireProcessTree: true);
                    await p.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
    }

    private sealed record FakeStats(int SendCalls, int DuplicateSends, int Sent);

    private static string FakePath()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Payvand.slnx"))) root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("No Payvand.slnx above the bench; pass --fake.");
        return Path.Combine(root, "tests", "Payvand.FakeKavenegar", "bin", "Release", "net10.0", "Payvand.FakeKavenegar.dll");
    }

    private static Process StartFake(string dll, string url)
    {
        var start = new ProcessStartInfo("dotnet", ["exec", dll, "--urls", url]) { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["Fake__ApiKeys"] = "bench-key";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The fake gateway did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("fake: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
