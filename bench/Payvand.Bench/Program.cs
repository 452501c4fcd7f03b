using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Payvand.Bench;
using Payvand.Platform;
using Payvand.Platform.Data;

// Scale data and measured HTTP workloads (docs/benchmarks.md).
//   generate --provider sqlite|postgres --connection CS --people 1000000 [--seed 1404] [--lines 10000000] [--names skewed]
//            --names skewed: very common names and numbers (SkewedNames: "John Smith-0") instead of Persian ones.
//            --lines N adds a product catalogue and purchases of about N lines in all (0, the default: people only).
//   measure  --provider sqlite|postgres --connection CS --app PATH/Payvand.Web.dll [--port 5391] [--duration 20] [--connections 16]
//            [--label TEXT] [--workloads people|purchases|consent|search|all] [--only TEXT]: starts the app on 127.0.0.1 against the
//            database, runs wrk per workload of the set (--only: those whose name contains TEXT), prints a Markdown table.
//   import   --provider sqlite|postgres --connection CS --people 100000 [--seed 1404] [--csv PATH]: into an empty database,
//            writes a people spreadsheet of that many rows (kept at PATH if given), uploads it and times the import job.
//   outbox   --provider sqlite|postgres --connection CS [--events 20000] [--writers 4] [--instances 1|2] [--label TEXT]: durable
//            events written per second, then delivered per second by that many app instances (outbox-worker processes),
//            checking that each was delivered exactly once (OutboxBench).
//   messages --provider sqlite|postgres --connection CS --app PATH/Payvand.Web.dll [--messages 1000000] [--writers 4] [--batch 5000]
//            [--send 100000] [--lines 4] [--port 5391]: messages written to the outbox per second, then sent per second by the
//            app into the fake Kavenegar gateway, each once (MessagesBench).
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

if (args.Length == 0 || args[0] is not ("generate" or "measure" or "import" or "outbox" or "outbox-worker" or "messages"))
{
    Console.Error.WriteLine("usage: Payvand.Bench generate|measure|import|outbox|messages --provider sqlite|postgres --connection CS [options] (see Program.cs)");
    return 2;
}

var options = BenchOptions.Parse(args[1..]);
if (args[0] == "generate") await Generate.Run(options, cancel.Token);
else if (args[0] == "import") await ImportBench.Run(options, options.Csv, cancel.Token);
else if (args[0] == "outbox") await OutboxBench.Run(options, args, cancel.Token);
else if (args[0] == "outbox-worker") await OutboxBench.Worker(options, args, cancel.Token);
else if (args[0] == "messages") await MessagesBench.Run(options, args, cancel.Token);
else await Measure.Run(options, cancel.Token);
return 0;

namespace Payvand.Bench
{
    public sealed record BenchOptions(
        DatabaseProvider Provider, string Connection, int People, int Seed, string? App, int Port, int Duration, int Connections, string? Label, string? Csv = null,
        long Lines = 0, string Workloads = "people", string? Only = null, string Names = "persian")
    {
        public static BenchOptions Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < args.Length; i += 2) values[args[i].TrimStart('-')] = args[i + 1];
            string Get(string name, string fallback) => values.TryGetValue(name, out var v) ? v : fallback;
            int Number(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
            var provider = Get("provider", "sqlite").Equals("postgres", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
            var connection = values.TryGetValue("connection", out var cs) ? cs : throw new ArgumentException("--connection is required");
            return new BenchOptions(provider, connection, Number("people", 1_000_000), Number("seed", 1404), values.GetValueOrDefault("app"),
                Number("port", 5391), Number("duration", 20), Number("connections", 16), values.GetValueOrDefault("label"), values.GetValueOrDefault("csv"),
                long.Parse(Get("lines", "0"), CultureInfo.InvariantCulture), Get("workloads", "people"), values.GetValueOrDefault("only"),
                Get("names", "persian"));
        }
    }

    // The app's own service registrations over the bench database, without starting a web server.
    public sealed class AppServices : IAsyncDisposable
    {
        public const string AdminEmail = "admin@bench.example";

        private readonly WebApplication app;

        private AppServices(WebApplication app) => this.app = app;

        public IServiceProvider Services => app.Services;

        public IConfiguration Configuration => app.Configuration;

        public ILogger Logger => app.Logger;

        // extra: module registrations a command needs beyond the platform (e.g. the importer's handlers).
        public static AppServices Build(BenchOptions o, Action<IServiceCollection>? extra = null)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration["Payvand:Database:Provider"] = o.Provider.ToString();
            builder.Configuration["Payvand:Database:ConnectionString"] = o.Connection;
            builder.Configuration["Payvand:Admin:Email"] = AdminEmail;
            builder.Configuration["Payvand:Admin:Password"] = Guid.NewGuid().ToString("N"); // never used: the bench signs in with a token
            builder.Configuration["Payvand:DataProtectionPath"] = Path.Combine(Path.GetTempPath(), "payvand-bench-keys");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            // A new database has no migrations history table yet; EF logs that expected first failure as an error.
            builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None);
            builder.AddPlatform();
            extra?.Invoke(builder.Services);
            return new AppServices(builder.Build());
        }

        public Task<PayvandDb> Db(CancellationToken ct) => Services.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync(ct);

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
