using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Messaging;

// The fake Kavenegar gateway (tests/Payvand.FakeKavenegar) as a separate process on a free port, shared by the tests
// of a class (IClassFixture). Its /_fake endpoints arrange what the real service would do by itself and show what it
// was asked to send.
public sealed class FakeKavenegarProcess : IAsyncLifetime
{
    public const string ApiKey = "test-key";

    private readonly List<string> output = [];
    private Process? process;

    public Uri Address { get; private set; } = null!;

    public HttpClient Control { get; private set; } = null!;

    public sealed record Sent(long MessageId, long? LocalId, string Sender, string Receptor, string Message, long Date);

    public sealed record Stats(int SendCalls, int DuplicateSends, int Sent);

    public async Task InitializeAsync()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Payvand.slnx"))) root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("No Payvand.slnx above the tests.");
        var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var dll = Path.Combine(root, "tests", "Payvand.FakeKavenegar", "bin", configuration, "net10.0", "Payvand.FakeKavenegar.dll");
        Address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", ["exec", dll, "--urls", Address.ToString().TrimEnd('/')])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Fake__ApiKeys"] = ApiKey;
        process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start the fake gateway.");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Control = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, "The fake gateway ended while starting:\n" + string.Join('\n', output));
            try
            {
                if ((await Control.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "The fake gateway did not start:\n" + string.Join('\n', output));
            await Task.Delay(100);
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (output) output.Add(line);
    }

    public async Task<List<Sent>> SentMessages() => (await Control.GetFromJsonAsync<List<Sent>>("/_fake/sent"))!;

    public async Task<Stats> Statistics() => (await Control.GetFromJsonAsync<Stats>("/_fake/stats"))!;

    public async Task Post(string path, object body) => (await Control.PostAsJsonAsync("/_fake/" + path, body)).EnsureSuccessStatusCode();

    public sealed record Received(long MessageId, string Sender, string Receptor, string Message, long Date);

    // An SMS from a number to a line, waiting in the line's inbox; the gateway's answer names its message id.
    public async Task<Received> Inbound(string line, string from, string message)
    {
        var response = await Control.PostAsJsonAsync("/_fake/inbound", new { line, from, message });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Received>())!;
    }

    // Every inbox message unread again: the next receive.json answers them a second time.
    public async Task Unread() => (await Control.PostAsync("/_fake/unread", null)).EnsureSuccessStatusCode();

    public Task SetStatus(string receptor, int status) => Post("status", new { receptor, status });

    public Task FailNext(int count, int status = 502) => Post("fail", new { count, status });

    public Task Delay(int milliseconds) => Post("delay", new { milliseconds });

    public Task Credit(bool enabled) => Post("credit", new { enabled });

    // 09121234567, +989121234567 ... as one key: the last ten digits.
    public static string Number(string receptor) => new string([.. receptor.Where(char.IsAsciiDigit)])[^10..];

    public async Task DisposeAsync()
    {
        Control?.Dispose();
        if (process is null) return;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
