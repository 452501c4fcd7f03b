using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Payvand.Tests.Modules.Messaging.Email;

// A real SMTP server (the SmtpServer package) in the test process on a free loopback port, keeping every message it
// accepts as MimeKit parsed it. Recipients arrange the answer to the data: a local part starting "busy" gets 451 (try
// later) while Busy is on, "reject" gets 550 (never).
public sealed class TestSmtpServer : MessageStore, IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly SmtpServer.SmtpServer server;
    private readonly Task running;

    public ConcurrentQueue<MimeMessage> Received { get; } = new();

    public int Port { get; }

    // SMTP connections (sessions) opened so far.
    public int Sessions => Volatile.Read(ref sessions);

    private volatile bool busy = true;
    private int sessions;

    public bool Busy
    {
        get => busy;
        set => busy = value;
    }

    public TestSmtpServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new ServiceProvider();
        services.Add(this);
        server = new SmtpServer.SmtpServer(options, services);
        server.SessionCreated += (_, _) => Interlocked.Increment(ref sessions);
        running = server.StartAsync(stop.Token);
    }

    public List<MimeMessage> To(string address) =>
        [.. Received.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase)))];

    public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var to = transaction.To.Select(t => t.User).ToList();
        if (to.Any(u => u.StartsWith("reject", StringComparison.Ordinal))) return Task.FromResult(new SmtpResponse((SmtpReplyCode)550, "5.1.1 No such mailbox"));
        if (Busy && to.Any(u => u.StartsWith("busy", StringComparison.Ordinal))) return Task.FromResult(new SmtpResponse((SmtpReplyCode)451, "4.3.0 Try again later"));
        using var stream = new MemoryStream(buffer.ToArray());
        Received.Enqueue(MimeMessage.Load(stream, cancellationToken));
        return Task.FromResult(SmtpResponse.Ok);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        stop.Dispose();
    }
}
