using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Payvand.Platform.Data;
using Payvand.Platform.Jobs;

namespace Payvand.Modules.Messaging;

// Reads the bounce mailbox of each email channel that has one (IMAP with MailKit; the schedule "email-bounces", every
// five minutes): every unseen mail of its folder is read as a delivery status notification or a feedback report
// (EmailReports) and its bounces and complaints go through EmailEvents, the webhook's path, with the same effects.
// A mail is marked \Seen once its events are saved; should the process die in between, it is read again and changes
// nothing more (EmailEvents is idempotent). A mail that is no report (or cannot be read) is marked \Seen and \Flagged
// and logged, so a person can look at it and it is not read again. Each channel's last reading and its error (no
// connection, a refused sign-in, a missing folder) are kept on the channel and shown with it.
public sealed class EmailBounceMailbox(
    IDbContextFactory<PayvandDb> dbFactory, EmailChannels channels, EmailEvents events, TimeProvider clock, ILogger<EmailBounceMailbox> log)
{
    public const string ScheduleName = "email-bounces";
    public const string JobKind = "email-bounces";

    // Mails read from one mailbox in one run; the rest wait for the next.
    public const int MaxPerRun = 500;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Mails read (reports or not), reports whose events were applied, mails skipped as no report.
    public sealed record Result(int Read, int Reports, int Skipped)
    {
        public static Result operator +(Result a, Result b) => new(a.Read + b.Read, a.Reports + b.Reports, a.Skipped + b.Skipped);
    }

    public async Task<Result> Poll(CancellationToken ct)
    {
        List<EmailChannel> accounts;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            accounts = await db.Set<EmailChannel>().AsNoTracking().Where(c => c.BounceHost != null).OrderBy(c => c.Id).ToListAsync(ct);
        }

        var total = new Result(0, 0, 0);
        foreach (var channel in accounts)
        {
            string? error = null;
            try
            {
                // Unprotecting the password fails too when the key ring lost its key: shown like a refused sign-in.
                if (channels.BounceAccount(channel) is not { } account) continue;
                total += await Read(channel.Key, account, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                error = Describe(e);
                log.LogWarning("The bounce mailbox of email channel {Channel} could not be read: {Error}", channel.Key, error);
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            await db.Set<EmailChannel>().Where(c => c.Id == channel.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.BounceCheckedAt, now).SetProperty(c => c.BounceError, error), ct);
        }

        return total;
    }

    private async Task<Result> Read(string channel, BounceMailboxAccount account, CancellationToken ct)
    {
        using var client = new ImapClient { Timeout = (int)Timeout.TotalMilliseconds };
        var tls = account.Tls switch
        {
            EmailTls.None => SecureSocketOptions.None,
            EmailTls.StartTls => SecureSocketOptions.StartTls,
            EmailTls.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        };
        await client.ConnectAsync(account.Host, account.Port, tls, ct);
        await client.AuthenticateAsync(account.UserName, account.Password, ct);
        var folder = string.Equals(account.Folder, "INBOX", StringComparison.OrdinalIgnoreCase)
            ? client.Inbox
            : await client.GetFolderAsync(account.Folder, ct);
        await folder.OpenAsync(FolderAccess.ReadWrite, ct);
        var (read, reports, skipped) = (0, 0, 0);
        foreach (var uid in (await folder.SearchAsync(SearchQuery.NotSeen, ct)).Take(MaxPerRun))
        {
            IReadOnlyList<EmailEvents.Event>? found;
            try
            {
                // Fetched with BODY.PEEK: the mail stays unseen until it is marked below.
                found = EmailReports.Read(await folder.GetMessageAsync(uid, ct));
            }
            catch (Exception e) when (e is FormatException or ParseException or ImapCommandException)
            {
                log.LogWarning("Mail {Uid} of the bounce mailbox of email channel {Channel} could not be read: {Error}", uid.Id, channel, e.Message);
                found = null;
            }

            read++;
            if (found is null)
            {
                log.LogInformation("Mail {Uid} of the bounce mailbox of email channel {Channel} is no bounce or complaint report: flagged and left", uid.Id, channel);
                await folder.AddFlagsAsync(uid, MessageFlags.Seen | MessageFlags.Flagged, true, ct);
                skipped++;
                continue;
            }

            if (found.Count > 0) await events.Apply(found, ct);
            await folder.AddFlagsAsync(uid, MessageFlags.Seen, true, ct);
            reports++;
        }

        await client.DisconnectAsync(true, ct);
        return new Result(read, reports, skipped);
    }

    private static string Describe(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}".ReplaceLineEndings(" ");
        return text.Length > 500 ? text[..500] : text;
    }
}

// The schedule's job: each run resolves the service afresh.
internal sealed class EmailBounceMailboxJob(IServiceProvider services) : IJobHandler
{
    public string Kind => EmailBounceMailbox.JobKind;

    public async Task Run(BackgroundJob job, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EmailBounceMailbox>().Poll(ct);
    }
}
