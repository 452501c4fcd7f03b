using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace Payvand.Modules.Messaging;

// What became of one email given to the SMTP server. Accepted: the server took it (250 after the data). Rejected: the
// server refused it for good (5xx). Temporary: refused for now (4xx) or never given (no connection, no sign-in), so it
// is safe to send again. MaybeAccepted: the connection broke after the data was sent, before the answer: the server
// may have taken it.
public enum EmailResult
{
    Accepted,
    Rejected,
    Temporary,
    MaybeAccepted,
}

public sealed record EmailOutcome(EmailResult Result, string? Error);

// Sends emails through an SMTP account with MailKit, one connection for a batch (reconnecting once after a broken
// one). The password is used for the connection only and never logged (MailKit logs nothing without a protocol logger).
public sealed class EmailSender
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // The outcomes in the order of the messages.
    public async Task<IReadOnlyList<EmailOutcome>> Send(EmailAccount account, IReadOnlyList<MimeMessage> messages, CancellationToken ct)
    {
        var outcomes = new EmailOutcome[messages.Count];
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        for (var i = 0; i < messages.Count; i++)
        {
            if (!client.IsConnected)
            {
                try
                {
                    await Connect(client, account, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // No connection or no sign-in: nothing was given to the server, so every remaining message may go later.
                    for (var j = i; j < messages.Count; j++) outcomes[j] = new EmailOutcome(EmailResult.Temporary, Describe(e));
                    return outcomes;
                }
            }

            outcomes[i] = await SendOne(client, messages[i], ct);
        }

        if (client.IsConnected)
        {
            try
            {
                await client.DisconnectAsync(true, ct);
            }
            catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or SmtpCommandException)
            {
                // Every message has its answer already; a QUIT the server does not answer changes nothing.
            }
        }

        return outcomes;
    }

    private static async Task<EmailOutcome> SendOne(SmtpClient client, MimeMessage message, CancellationToken ct)
    {
        try
        {
            await client.SendAsync(message, ct);
            return new EmailOutcome(EmailResult.Accepted, null);
        }
        catch (SmtpCommandException e)
        {
            // The server answered: nothing was taken. 4xx: try later; 5xx: never.
            return new EmailOutcome((int)e.StatusCode >= 500 ? EmailResult.Rejected : EmailResult.Temporary, Describe(e));
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException or TimeoutException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            if (client.IsConnected) await client.DisconnectAsync(false, CancellationToken.None);
            return new EmailOutcome(EmailResult.MaybeAccepted, Describe(e));
        }
    }

    private static async Task Connect(SmtpClient client, EmailAccount account, CancellationToken ct)
    {
        await client.ConnectAsync(account.Host, account.Port, account.Tls.Socket(), ct);
        if (account.UserName is { } user) await client.AuthenticateAsync(user, account.Password ?? "", ct);
    }

    private static string Describe(Exception e) => e switch
    {
        SmtpCommandException c => $"SMTP {(int)c.StatusCode}: {c.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
