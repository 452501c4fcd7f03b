using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;

namespace Payvand.Tests.Infrastructure;

// Payvand as a separate operating-system process (the built src/Payvand.Web), for what an in-memory host cannot show:
// a kill -9 between two steps, and two instances over one database. Settings are passed as environment variables,
// exactly as an operator would.
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> output = [];

    private AppProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (output) return string.Join('\n', output);
        }
    }

    public static string WebAssembly
    {
        get
        {
            var root = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(root, "Payvand.slnx"))) root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("No Payvand.slnx above the tests.");
            var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            return Path.Combine(root, "src", "Payvand.Web", "bin", configuration, "net10.0", "Payvand.Web.dll");
        }
    }

    // The connection string an app process gets: the test database's, with a pool of its own size.
    public static string ConnectionFor(TestDatabase database) => database.Provider == "Postgres"
        ? new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 6, Timeout = 15 }.ToString()
        : database.ConnectionString;

    public static async Task<AppProcess> Start(TestDatabase database, IDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var dll = WebAssembly;
        var start = new ProcessStartInfo("dotnet", ["exec", dll, "--urls", address.ToString().TrimEnd('/')])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Payvand__Database__Provider"] = database.Provider;
        start.Environment["Payvand__Database__ConnectionString"] = ConnectionFor(database);
        start.Environment["Payvand__Admin__Email"] = PayvandApp.AdminEmail;
        start.Environment["Payvand__Admin__Password"] = PayvandApp.AdminPassword;
        start.Environment["Payvand__Culture"] = "en-US";
        start.Environment["Payvand__DataProtectionPath"] = Directory.CreateTempSubdirectory("payvand-keys-").FullName;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var app = new AppProcess(process, address);
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await app.WaitUntilHealthy();
        return app;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (output) output.Add(line);
    }

    private async Task WaitUntilHealthy()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, "The app process ended while starting:\n" + Output);
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // busy starting
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(90), "The app process did not become healthy:\n" + Output);
            await Task.Delay(200);
        }
    }

    // An HttpClient authenticated as the first administrator with an access token from /api/auth/token.
    public async Task<HttpClient> AdminClient()
    {
        var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        var response = await http.PostAsJsonAsync("/api/auth/token", new { email = PayvandApp.AdminEmail, password = PayvandApp.AdminPassword, name = "process test" });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    // SIGKILL: no shutdown, no flushing, nothing the app can react to.
    public async Task Kill()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Kill();
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
