using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Messaging;

// "Check now" on Email channels (POST /api/channels/email/{id}/mailbox/check): reads one channel's bounce mailbox at
// once, through the schedule's own code (EmailBounceMailbox.Check), and tells what it found, or why it could not read
// the mailbox in the caller's language (with the server's own words as Detail). Audited; a channel without a bounce
// mailbox is 409.
public sealed class CheckBounceMailbox(
    IDbContextFactory<PayvandDb> dbFactory, EmailBounceMailbox mailbox, AuditLog audit, IStringLocalizer<SharedResource> text)
{
    public sealed record Response(
        bool Ok, int Read, int Reports, int Bounces, int Complaints, int Unsubscribes, int NotReports, string? Error, string? Detail, DateTime CheckedAt);

    public async Task<Response?> Handle(int channelId, UserScope user, CancellationToken ct)
    {
        EmailChannel? channel;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            channel = await db.Set<EmailChannel>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == channelId, ct);
        }

        if (channel is null) return null;
        if (channel.BounceHost is null) throw new DomainRuleException(text["This email channel has no bounce mailbox."]);
        var reading = await mailbox.Check(channel, ct);
        var f = reading.Found;
        var outcome = reading.Error ?? string.Create(CultureInfo.InvariantCulture,
            $"{f.Read} read, {f.Reports} reports ({f.Bounces} bounces, {f.Complaints} complaints), {f.Unsubscribes} unsubscribes, {f.Skipped} not reports");
        await audit.Write(AuditAction.Update, nameof(EmailChannel), channelId.ToString(CultureInfo.InvariantCulture), "Bounce mailbox checked: " + outcome, ct,
            user.UserId > 0 ? user.UserId : null, user.UserName);
        return new Response(reading.Failure is null, f.Read, f.Reports, f.Bounces, f.Complaints, f.Unsubscribes, f.Skipped,
            Explain(reading.Failure), reading.Error, reading.CheckedAt);
    }

    private string? Explain(Exception? failure) => failure switch
    {
        null => null,
        AuthenticationException => text["The IMAP server refused the user name or password."].Value,
        SslHandshakeException => text["The secure connection (TLS) to the IMAP server failed."].Value,
        FolderNotFoundException => text["The mailbox has no such folder."].Value,
        SocketException or TimeoutException or IOException or ImapProtocolException => text["Could not connect to the IMAP server."].Value,
        CryptographicException => text["The stored IMAP password cannot be read any more: enter it again."].Value,
        _ => text["The bounce mailbox could not be read."].Value,
    };

    internal static void Map(RouteGroupBuilder email) =>
        email.MapPost("/{id:int}/mailbox/check", async Task<Results<Ok<Response>, NotFound>> (
                int id, System.Security.Claims.ClaimsPrincipal me, CheckBounceMailbox check, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await check.Handle(id, me.Scope(), ct)))
            .WithSummary("Read the channel's bounce mailbox now, as the five-minute schedule does: mails read, reports (bounces, complaints), unsubscribe requests and mails that are no report, or the reading's error in your language (409 when the channel has no bounce mailbox)");
}
