using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;

namespace Payvand.Bench;

// Starts the app (a Release build, given by --app) on 127.0.0.1 against the generated database, signs in with a
// personal access token of the administrator, and runs a bounded wrk load per workload (loopback only: --connections
// connections, --duration seconds, 2 threads) after a short warm-up. Prints one Markdown table row per workload.
// --workloads people (the default) runs the people lists and searches below; purchases runs PurchaseWorkloads; consent
// the eligibility counts (ConsentWorkloads); search the searches of SearchWorkloads; all every set.
public static class Measure
{
    private static (string Name, string[] Paths)[] PeopleWorkloads(int after) =>
    [
        ("auth only (search, q too short)", ["/api/search?q=a"]),
        ("people list: city=تهران, sort by name, page 1 of 50", [Contacts("city=" + Uri.EscapeDataString("تهران") + "&sort=name&page=1&pageSize=50")]),
        ("people list: sort by name, page 2000 of 50", [Contacts("sort=name&page=2000&pageSize=50")]),
        ("people list: sort by name, the same page by after=id", [Contacts(string.Create(CultureInfo.InvariantCulture, $"sort=name&after={after}&pageSize=50"))]),
        ("global search: name prefixes (8 rotating)", Search("محم", "علی", "زهرا", "فاطمه رض", "امیر", "کریمی", "حسین ا", "نگار")),
        ("global search: mobile prefixes (4 rotating)", Search("0912", "09351", "0919 4", "+98913")),
        ("people list: q=name, page 1", [Contacts("q=" + Uri.EscapeDataString("محمد") + "&page=1&pageSize=50")]),
    ];

    // The question every campaign asks of its audience (issue 10: p99 <= 1 s for 1,000,000 people on PostgreSQL), at a
    // fixed instant: Thursday 2026-01-01 12:00 Tehran, after the generated sends, outside the Saturday-Wednesday best
    // days that a tenth of the people have. The counts are the same every time, so the first reply is printed to check.
    private const string ConsentAt = "2026-01-01T08:30:00Z";

    private static (string Name, string Path, string Body)[] ConsentWorkloads() =>
    [
        ("eligible count: everyone, SMS promotional", "/api/consent/eligibility",
            $$"""{"channel":"sms","purpose":"Promotional","senderLine":"3000123","at":"{{ConsentAt}}"}"""),
        ("eligible count: city=تهران, SMS promotional", "/api/consent/eligibility?city=" + Uri.EscapeDataString("تهران"),
            $$"""{"channel":"sms","purpose":"Promotional","senderLine":"3000123","at":"{{ConsentAt}}"}"""),
        ("eligible count: everyone, SMS transactional", "/api/consent/eligibility",
            $$"""{"channel":"sms","purpose":"Transactional","at":"{{ConsentAt}}"}"""),
    ];

    public static async Task Run(BenchOptions o, CancellationToken ct)
    {
        var app = o.App ?? throw new ArgumentException("--app PATH/Payvand.Web.dll is required");
        string token;
        long people;
        int after = 0;
        string data;
        var workloads = new List<Workload>();
        await using (var services = AppServices.Build(o))
        {
            await using var db = await services.Db(ct);
            people = await db.Contacts.LongCountAsync(ct);
            data = $"{people:N0} people";
            if (o.Workloads is "people" or "all")
            {
                // The last person of page 1999, for the keyset form of the deep page.
                after = await db.Contacts.OrderBy(c => c.SortName).ThenBy(c => c.Id).Skip(1999 * 50 - 1).Select(c => c.Id).FirstAsync(ct);
            }
            var admin = await db.Users.SingleAsync(u => u.Email == AppServices.AdminEmail, ct);
            token = (await services.Services.GetRequiredService<AccessTokenService>().Create(admin.Id, "bench", null, ct)).Token;
            if (o.Workloads is "people" or "all") workloads.AddRange(PeopleWorkloads(after).Select(w => new Workload(w.Name, _ => Get(w.Paths, token))));
            if (o.Workloads is "search" or "all") workloads.AddRange(SearchWorkloads.All().Select(w => new Workload(w.Name, _ => Get(w.Paths, token))));
            if (o.Workloads is "consent" or "all")
            {
                // The weekly cap the generated sends were made for (3 in the week before the instant for a seventh of the people).
                await services.Services.GetRequiredService<Payvand.Platform.Settings.PayvandSettings>().Save(
                    new Payvand.Platform.Settings.BusinessSettings { WeeklyPromotionalCap = 3 }, ct);
                workloads.AddRange(ConsentWorkloads().Select(w => new Workload(w.Name, _ => Post(w.Path, w.Body, token))));
            }

            if (o.Workloads is "purchases" or "all")
            {
                var (purchases, set) = await PurchaseWorkloads.Build(o, db, token, ct);
                data += ", " + purchases;
                workloads.AddRange(set);
            }
        }

        if (o.Only is { } only) workloads.RemoveAll(w => !w.Name.Contains(only, StringComparison.OrdinalIgnoreCase));
        if (workloads.Count == 0) throw new ArgumentException($"--workloads {o.Workloads} --only {o.Only}: no such workload (sets: people, purchases, consent, search, all)");

        var work = Directory.CreateTempSubdirectory("payvand-measure-").FullName;
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{o.Port}");
        using var server = StartApp(o, app, url, work);
        try
        {
            await WaitHealthy(url, server, ct);
            Console.WriteLine($"| {o.Label ?? o.Provider.ToString()}, {data} | p50 ms | p99 ms | max ms | req/s | errors | app CPU ms/req |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var workload in workloads)
            {
                var script = Path.Combine(work, "bench.lua");
                await File.WriteAllTextAsync(script, workload.Script(RunId()), ct);
                // Warm-up at the measured concurrency (JIT tiers, connection and thread pools, caches), so the first
                // workload on a freshly started app is measured as warm as the later ones.
                await Wrk(url, script, o.Connections, 5, ct);
                var run = RunId();
                await File.WriteAllTextAsync(script, workload.Script(run), ct);
                // The app's own CPU time per request (not the database server's, nor wrk's): unlike latency, it hardly
                // depends on what else runs on the machine.
                server.Refresh();
                var cpu = server.TotalProcessorTime;
                var r = await Wrk(url, script, o.Connections, o.Duration, ct);
                server.Refresh();
                var cpuPerRequest = (server.TotalProcessorTime - cpu).TotalMilliseconds / Math.Max(1, r.Requests);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {workload.Name} | {r.P50 / 1000.0:0.0} | {r.P99 / 1000.0:0.0} | {r.Max / 1000.0:0} | {r.Requests / (r.DurationUs / 1e6):0.0} | {r.Errors} | {cpuPerRequest:0.00} |"));
                if (workload.After is { } check) Console.WriteLine(await check(run, r.Requests, r.Replays, ct));
            }
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Contacts(string query) => "/api/contacts?" + query;

    private static string[] Search(params string[] queries) => queries.Select(q => "/api/search?q=" + Uri.EscapeDataString(q)).ToArray();

    public static Process StartApp(BenchOptions o, string dll, string url, string work)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dll))! };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls=" + url);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Payvand__Database__Provider"] = o.Provider.ToString();
        start.Environment["Payvand__Database__ConnectionString"] = o.Connection;
        start.Environment["Payvand__DataProtectionPath"] = Path.Combine(work, "keys");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) File.AppendAllText(Path.Combine(work, "app.log"), e.Data + "\n"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("app: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task WaitHealthy(string url, Process server, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 240; i++)
        {
            if (server.HasExited) throw new InvalidOperationException($"The app exited with {server.ExitCode}.");
            try
            {
                if ((await http.GetAsync(url + "/health", ct)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            await Task.Delay(500, ct);
        }

        throw new TimeoutException("The app did not answer /health within 2 minutes.");
    }

    // A wrk script for a run id (new for the warm-up and for the measured run, so keys and order numbers a script makes
    // up are its own) and, optionally, a check after the measured run (given its id and the requests and replays wrk
    // counted) whose line is printed below the table.
    public sealed record Workload(string Name, Func<string, string> Script, Func<string, long, long, CancellationToken, Task<string>>? After = null);

    private static string RunId() => Guid.NewGuid().ToString("N")[..12];

    private sealed record WrkResult(double P50, double P99, double Max, long Requests, long DurationUs, long Errors, long Replays);

    private static async Task<WrkResult> Wrk(string url, string script, int connections, int seconds, CancellationToken ct)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-t", Math.Min(2, connections).ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", seconds.ToString(CultureInfo.InvariantCulture) + "s", "--timeout", "10s", "-s", script, url })
        {
            start.ArgumentList.Add(a);
        }

        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk).");
        var output = await wrk.StandardOutput.ReadToEndAsync(ct);
        await wrk.WaitForExitAsync(ct);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("BENCH ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("wrk printed no result:\n" + output + await wrk.StandardError.ReadToEndAsync(ct));
        var json = JsonDocument.Parse(line[6..]).RootElement;
        return new WrkResult(json.GetProperty("p50").GetDouble(), json.GetProperty("p99").GetDouble(), json.GetProperty("max").GetDouble(),
            json.GetProperty("requests").GetInt64(), json.GetProperty("duration").GetInt64(), json.GetProperty("errors").GetInt64(),
            json.TryGetProperty("replays", out var replays) ? replays.GetInt64() : 0);
    }

    // One POST with a JSON body, again and again.
    public static string Post(string path, string body, string token) => Lua(token, $$"""
        wrk.method = "POST"
        wrk.body = '{{body}}'
        wrk.headers["Content-Type"] = "application/json"
        request = function()
          return wrk.format("POST", "{{path}}")
        end
        """);

    // Rotates the paths over GET requests.
    public static string Get(string[] paths, string token) => Lua(token, $$"""
        local paths = { {{string.Join(", ", paths.Select(p => "\"" + p + "\""))}} }
        local i = 0
        request = function()
          i = i + 1
          return wrk.format("GET", paths[(i % #paths) + 1])
        end
        """);

    // The script's own part (it defines request, and may count "replays" per thread), with the sign-in headers and a
    // done() that prints the summary as one JSON line (latencies in microseconds; replays summed over the threads).
    public static string Lua(string token, string script) => $$"""
        wrk.headers["Authorization"] = "Bearer {{token}}"
        wrk.headers["Accept-Language"] = "fa-IR"
        local threads = {}
        setup = function(thread)
          table.insert(threads, thread)
          thread:set("tid", #threads)
        end
        {{script}}
        done = function(summary, latency, requests)
          local e = summary.errors
          local replays = 0
          for _, t in ipairs(threads) do replays = replays + (t:get("replays") or 0) end
          io.write(string.format("BENCH {\"p50\":%d,\"p99\":%d,\"max\":%d,\"requests\":%d,\"duration\":%d,\"errors\":%d,\"replays\":%d}\n",
            latency:percentile(50), latency:percentile(99), latency.max, summary.requests, summary.duration,
            e.connect + e.read + e.write + e.status + e.timeout, replays))
        end
        """;
}
