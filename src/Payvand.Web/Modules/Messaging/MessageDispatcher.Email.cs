using Microsoft.EntityFrameworkCore;
using MimeKit;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;

namespace Payvand.Modules.Messaging;

// The dispatcher's email part: the claim, lease, consent questions and states are the same as for SMS; what differs is
// the account a message goes through, the addresses bounces and complaints suppress, how a message whose send may have
// happened is taken up again, and the send itself (SMTP, one connection per batch, EmailSender).
public sealed partial class MessageDispatcher
{
    // Emails given to one SMTP connection at most (also at most the channel's rate per second).
    public const int EmailBatch = 50;

    // The message's email channel, else the first enabled one; none waits. Tracking not set on the message is the channel's.
    private List<Route> RouteEmail(Dictionary<int, EmailChannel> accounts, List<Message> fresh, DateTime now)
    {
        var fallback = accounts.Values.Where(c => c.Enabled).OrderBy(c => c.Id).FirstOrDefault();
        var routes = new List<Route>();
        foreach (var m in fresh)
        {
            var account = m.EmailChannelId is { } id ? accounts.GetValueOrDefault(id) : fallback;
            if (account is null || !account.Enabled)
            {
                Wait(m, MessageReason.NoChannel, now + TimeSpan.FromMinutes(1));
                continue;
            }

            routes.Add(new Route(m, account.Id, null, x =>
            {
                x.EmailChannelId = account.Id;
                x.TrackClicks ??= account.TrackClicks;
                x.TrackOpens ??= account.TrackOpens;
            }));
        }

        return routes;
    }

    // Emails whose claim ended while they were being sent (a killed process, a connection broken after the data). SMTP
    // cannot be asked whether a message arrived: each is sent again with the same Message-ID (ADR 15), so receiving
    // systems can tell the copy; after the last attempt it fails.
    private void ReconcileEmail(Dictionary<int, EmailChannel> accounts, List<Message> unsure, List<Message> toSend)
    {
        foreach (var m in unsure)
        {
            if (m.EmailChannelId is not { } id || !accounts.ContainsKey(id))
            {
                Fail(m, MessageReason.NoChannel, "The email channel of this message is gone; whether it was sent is unknown.");
            }
            else if (m.Attempts >= options.MaxAttempts)
            {
                Fail(m, MessageReason.GatewayError, m.LastError ?? "Not accepted by the SMTP server after the last attempt.");
            }
            else
            {
                m.Attempts++;
                toSend.Add(m);
            }
        }
    }

    // The bounced and complained-about addresses among the people's email addresses and the messages' own addresses.
    private static async Task<List<(int ContactId, string Address, MessageReason Reason)>> EmailSuppressions(
        PayvandDb db, List<int> people, IEnumerable<string> addresses, CancellationToken ct)
    {
        var points = (await db.Contacts.IgnoreQueryFilters().AsNoTracking().Where(c => people.Contains(c.Id)).Select(c => new { c.Id, c.Points }).ToListAsync(ct))
            .SelectMany(c => c.Points.Where(p => p.Kind == ContactPointKind.Email).Select(p => new { c.Id, p.NormalizedValue })).ToList();
        var all = points.Select(p => p.NormalizedValue).Concat(addresses.Select(a => a.ToLowerInvariant())).Distinct().ToList();
        var blocks = await db.BlockedAddresses.AsNoTracking()
            .Where(b => b.SenderLine == null && (b.Source == EmailEvents.BounceSource || b.Source == EmailEvents.ComplaintSource) && all.Contains(b.Address))
            .Select(b => new { b.Address, b.Source }).ToListAsync(ct);
        var reasons = blocks.GroupBy(b => b.Address).ToDictionary(
            g => g.Key, g => g.Any(b => b.Source == EmailEvents.BounceSource) ? MessageReason.Bounced : MessageReason.Complained);
        return [.. points.Where(p => reasons.ContainsKey(p.NormalizedValue)).Select(p => (p.Id, p.NormalizedValue, reasons[p.NormalizedValue])),
            .. reasons.Select(r => (0, r.Key, r.Value))];
    }

    // Why an eligible address is not sent to: it bounced (every purpose: it would bounce again), or it complained and the
    // message is promotional.
    private static MessageReason? EmailSuppression(List<(int ContactId, string Address, MessageReason Reason)> suppressed, int contactId, string address, ContactPurpose purpose)
    {
        var reason = suppressed.Where(s => string.Equals(s.Address, address, StringComparison.OrdinalIgnoreCase)).Select(s => (MessageReason?)s.Reason).Min();
        return reason == MessageReason.Bounced || (reason == MessageReason.Complained && purpose == ContactPurpose.Promotional) ? reason : null;
    }

    // Messages to an address without a person (a staff user's notification email, ADR 17): no consent to ask, as the
    // user chose them; only a transactional email can be one, and an address that bounced is not sent to again.
    private static async Task DecideUnaddressed(PayvandDb db, List<Route> routed, List<Message> toSend, DateTime now, CancellationToken ct)
    {
        if (routed.Count == 0) return;
        var addresses = routed.Select(r => r.M.Address?.ToLowerInvariant()).OfType<string>().Distinct().ToList();
        var bounced = (await db.BlockedAddresses.AsNoTracking()
            .Where(b => b.SenderLine == null && b.Source == EmailEvents.BounceSource && addresses.Contains(b.Address)).Select(b => b.Address).ToListAsync(ct)).ToHashSet();
        foreach (var (m, _, _, prepare) in routed)
        {
            if (m.Address is null || m.Channel != ConsentChannel.Email || m.Purpose != ContactPurpose.Transactional) Suppress(m, MessageReason.NoAddress, now);
            else if (bounced.Contains(m.Address.ToLowerInvariant())) Suppress(m, MessageReason.Bounced, now);
            else Ready(m, prepare, toSend, now);
        }
    }

    // Sends the emails marked sending, by channel, in batches of one SMTP connection, each batch's answers in its own
    // transaction.
    private async Task SendEmail(PayvandDb db, IServiceProvider scope, TimelineWriter timeline, Dictionary<int, EmailChannel> accounts, List<Message> toSend, CancellationToken ct)
    {
        if (toSend.Count == 0) return;
        var channels = scope.GetRequiredService<EmailChannels>();
        var sender = scope.GetRequiredService<EmailSender>();
        var links = scope.GetRequiredService<MessageLinks>();
        foreach (var group in toSend.GroupBy(m => m.EmailChannelId!.Value))
        {
            var channel = accounts[group.Key];
            var account = channels.Account(channel);
            foreach (var chunk in group.Chunk(Math.Max(1, Math.Min(EmailBatch, channel.RatePerSecond))))
            {
                await Limiter("email:" + channel.Key, channel.RatePerSecond).AcquireAsync(chunk.Length, ct);
                var now = clock.GetUtcNow().UtcDateTime;
                var ready = new List<(Message M, MimeMessage Mime)>();
                foreach (var m in chunk)
                {
                    try
                    {
                        ready.Add((m, EmailMime.Build(m, account, links, now)));
                    }
                    catch (ParseException e)
                    {
                        Fail(m, MessageReason.Rejected, e.Message);
                    }
                }

                var outcomes = ready.Count == 0 ? [] : await sender.Send(account, [.. ready.Select(r => r.Mime)], ct);
                now = clock.GetUtcNow().UtcDateTime;
                for (var i = 0; i < ready.Count; i++)
                {
                    var (m, _) = ready[i];
                    var outcome = outcomes[i];
                    switch (outcome.Result)
                    {
                        case EmailResult.Accepted:
                            m.SentAt ??= now;
                            m.LastError = null;
                            m.Status = MessageStatus.Sent;
                            m.Reason = MessageReason.None;
                            m.UpdatedAt = now;
                            Release(m);
                            if (m.Purpose == ContactPurpose.Promotional && m.ContactId is { } person) Reachability.RecordPromotional(db, person, m.Channel, now);
                            break;
                        case EmailResult.Rejected:
                            Fail(m, MessageReason.Rejected, outcome.Error ?? "Refused by the SMTP server.");
                            break;
                        default:
                            log.LogWarning("Sending email {Message} failed ({Error}); trying again later", m.Id, outcome.Error);
                            Retry(m, outcome.Error ?? "", stillSending: outcome.Result == EmailResult.MaybeAccepted, now);
                            break;
                    }
                }

                await SaveStates(db, timeline, chunk, ct);
            }
        }
    }
}
