using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
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
// and logged, so a person can look at it and it is not read again. A mail whose subject or text carries a valid token
// of the List-Unsubscribe mailto (MessageLinks) opts its message's person out as the one-click link does (source
// "email-mailto") and is marked \Seen after that is saved; a changed or forged token is no report. Each channel's last
// reading and its error (no connection, a refused sign-in, a missing folder) are kept on the channel and shown with it;
// Check reads one channel's mailbox on demand ("check now", CheckBounceMailbox).
public sealed class EmailBounceMailbox(
    IDbContextFactory<PayvandDb> dbFactory, EmailChannels channels, EmailEvents events, MessageLinks links, TimeProvider clock, ILogger<EmailBounceMailbox> log)
{
    public const string ScheduleName = "email-bounces";
    public const string JobKind = "email-bounces";

    // Mails read from one mailbox in one run; the rest wait for the next.
    public const int MaxPerRun = 500;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Consent history source of an opt-out asked for by a mail to the List-Unsubscribe mailto.
    public const string MailtoSource = "email-mailto";

    // Mails read (reports or not), reports whose events were applied, mails skipped as no report; of the reports, the
    // bounces (hard or soft) and complaints; unsubscribe requests (List-Unsubscribe mailto) applied.
    public sealed record Result(int Read, int Reports, int Skipped, int Bounces = 0, int Complaints = 0, int Unsubscribes = 0)
    {
        public static readonly Result None = new(0, 0, 0);

        public static Result operator +(Result a, Result b) => new(a.Read + b.Read, a.Reports + b.Reports, a.Skipped + b.Skipped,
            a.Bounces + b.Bounces, a.Complaints + b.Complaints, a.Unsubscribes + b.Unsubscribes);
    }

    // One mailbox's reading: what was found and, when the reading failed, why (Error is what the channel keeps).
    public sealed record Reading(Result Found, Exception? Failure, string? Error, DateTime CheckedAt);

    public async Task<Result> Poll(CancellationToken ct)
    {
        List<EmailChannel> accounts;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            accounts = await db.Set<EmailChannel>().AsNoTracking().Where(c => c.BounceHost != null).OrderBy(c => c.Id).ToListAsync(ct);
        }

        var total = Result.None;
        foreach (var channel in accounts) total += (await Check(channel, ct)).Found;
        return total;
    }

    // Reads one channel's mailbox now (the schedule, and "check now" on Email channels); the outcome is kept on the
    // channel either way.
    public async Task<Reading> Check(EmailChannel channel, CancellationToken ct)
    {
        var found = Result.None;
        Exception? failure = null;
        try
        {
            // Unprotecting the password fails too when the key ring lost its key: shown like a refused sign-in.
            if (channels.BounceAccount(channel) is { } account) found = await Read(channel.Key, account, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            failure = e;
        }

        var error = failure is null ? null : Describe(failure);
        if (error is not null) log.LogWarning("The bounce mailbox of email channel {Channel} could not be read: {Error}", channel.Key, error);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Set<EmailChannel>().Where(c => c.Id == channel.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.BounceCheckedAt, now).SetProperty(c => c.BounceError, error), ct);
        return new Reading(found, failure, error, now);
    }

    private async Task<Result> Read(string channel, BounceMailboxAccount account, CancellationToken ct)
    {
        using var client = new ImapClient { Timeout = (int)Timeout.TotalMilliseconds };
        await client.ConnectAsync(account.Host, account.Port, account.Tls.Socket(), ct);
        await client.AuthenticateAsync(account.UserName, account.Password, ct);
        var folder = string.Equals(account.Folder, "INBOX", StringComparison.OrdinalIgnoreCase)
            ? client.Inbox
            : await client.GetFolderAsync(account.Folder, ct);
        await folder.OpenAsync(FolderAccess.ReadWrite, ct);
        var result = Result.None;
        foreach (var uid in (await folder.SearchAsync(SearchQuery.NotSeen, ct)).Take(MaxPerRun))
        {
            IReadOnlyList<EmailEvents.Event>? found;
            long? unsubscribe = null;
            try
            {
                // Fetched with BODY.PEEK: the mail stays unseen until it is marked below.
                var mail = await folder.GetMessageAsync(uid, ct);
                found = EmailReports.Read(mail);
                if (found is null) unsubscribe = links.ReadUnsubscribeMail(mail.Subject, mail.TextBody);
            }
            catch (Exception e) when (e is FormatException or ParseException or ImapCommandException)
            {
                log.LogWarning("Mail {Uid} of the bounce mailbox of email channel {Channel} could not be read: {Error}", uid.Id, channel, e.Message);
                found = null;
            }

            result = result with { Read = result.Read + 1 };
            if (unsubscribe is { } messageId && await OptOut(messageId, ct))
            {
                await folder.AddFlagsAsync(uid, MessageFlags.Seen, true, ct);
                result = result with { Unsubscribes = result.Unsubscribes + 1 };
                continue;
            }

            if (found is null)
            {
                log.LogInformation("Mail {Uid} of the bounce mailbox of email channel {Channel} is no bounce or complaint report: flagged and left", uid.Id, channel);
                await folder.AddFlagsAsync(uid, MessageFlags.Seen | MessageFlags.Flagged, true, ct);
                result = result with { Skipped = result.Skipped + 1 };
                continue;
            }

            if (found.Count > 0) await events.Apply(found, ct);
            await folder.AddFlagsAsync(uid, MessageFlags.Seen, true, ct);
            var complaints = found.Count(e => e.Type == "complaint");
            result = result with { Reports = result.Reports + 1, Complaints = result.Complaints + complaints, Bounces = result.Bounces + found.Count - complaints };
        }

        await client.DisconnectAsync(true, ct);
        return result;
    }

    // A mail to the List-Unsubscribe mailto whose token verified: the one-click link's opt-out, with its own source;
    // false when the message is gone (the mail is then left as no report).
    private async Task<bool> OptOut(long messageId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await PublicMessageLinks.OptOut(db, messageId, MailtoSource, clock.GetUtcNow().UtcDateTime, ct) is not null;
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
