using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;
using Payvand.Platform.Jobs;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Messaging;

// Payvand:Messaging settings.
public sealed class MessagingOptions
{
    public const string Section = "Payvand:Messaging";

    // Off: this instance writes messages but leaves sending them to others (or to its next start).
    public bool Dispatch { get; set; } = true;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    // How long a claim holds; the messages of a dispatcher that died are taken again (and looked up first) after it.
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public int BatchSize { get; set; } = 1000;

    // Batches handled at once by this instance (PostgreSQL; SQLite has one writer and sends one batch at a time): while
    // one waits for the database or the gateway, another is prepared or recorded. Claims never overlap.
    public int Concurrency { get; set; } = 3;

    public int MaxAttempts { get; set; } = 10;

    public TimeSpan RetryFirst { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryLongest { get; set; } = TimeSpan.FromHours(1);

    // The address people reach Payvand at (https://crm.example.com), for the unsubscribe, tracked-link and open-pixel
    // addresses in emails; unset: the first address the app listens on.
    public string? PublicUrl { get; set; }
}

// Sends the outbox's SMS, on any number of instances over one database, never one message twice:
// 1. claims a batch of due messages with a lease (PostgreSQL: FOR UPDATE SKIP LOCKED, so instances take different
//    rows; SQLite: read and claim in one immediate transaction), as the EventDispatcher does;
// 2. a claimed message still "sending" belongs to a claim that ended mid-send (a killed process, a lost answer): it is
//    looked up at the gateway by its local id (statuslocalmessageid) and marked sent when found, sent again with the
//    same local id only when not;
// 3. asks the consent service (Reachability) for every other message: refused ones are suppressed with the reason,
//    quiet hours and the person's best time make them wait (NotBefore), eligible ones get their address, line and,
//    when promotional, the opt-out text, and are marked "sending" (committed) before the gateway is called;
// 4. sends them by line in calls of up to the gateway's batch (Kavenegar: 200), at most the channel's rate per line,
//    and records each answer in its own transaction. A failure that may have reached the gateway leaves the messages
//    "sending" until a back-off ends (then step 2); a refused message fails with the gateway's answer.
public sealed partial class MessageDispatcher(
    IServiceProvider services, MessageOutbox outbox, IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock,
    MessagingOptions options, DatabaseOptions database, PayvandSettings settings, ILogger<MessageDispatcher> log) : BackgroundService
{
    private readonly ConcurrentDictionary<(string Line, int Rate), RateLimiter> limiters = new();

    private Backoff Backoff => new(options.RetryFirst, options.RetryLongest);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Dispatch) return;
        var loops = database.Provider == DatabaseProvider.Postgres ? Math.Max(1, options.Concurrency) : 1;
        await Task.WhenAll(Enumerable.Range(0, loops).Select(_ => Task.Run(() => Loop(stoppingToken), stoppingToken)));
    }

    private async Task Loop(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RunOnce(stoppingToken) == 0) await outbox.WaitForWork(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // claimed messages are taken again (and looked up first) when their lease ends
            }
            catch (Exception e)
            {
                log.LogError(e, "Sending messages failed; trying again after {Poll}", options.PollInterval);
                await Task.Delay(options.PollInterval, clock, stoppingToken);
            }
        }
    }

    // Claims one batch and handles it; returns how many messages were claimed. Tests call it to send at once.
    public async Task<int> RunOnce(CancellationToken ct)
    {
        var token = Guid.NewGuid();
        var ids = await Claim(token, ct);
        if (ids.Count == 0) return 0;
        await using var scope = services.CreateAsyncScope();
        var channels = scope.ServiceProvider.GetRequiredService<SmsChannels>();
        var reachability = scope.ServiceProvider.GetRequiredService<Reachability>();
        var timeline = scope.ServiceProvider.GetRequiredService<TimelineWriter>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Changes are detected once per save, in the messages it touches (MessageStates.Save), not over the whole batch
        // by every save and every look at the tracker.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var messages = await db.Set<Message>().Where(m => ids.Contains(m.Id) && m.LockToken == token).OrderBy(m => m.Id).ToListAsync(ct);
        var accounts = await db.Set<SmsChannel>().AsNoTracking().OrderBy(c => c.Id).ToDictionaryAsync(c => c.Id, ct);
        var mailboxes = messages.Any(m => m.Channel == ConsentChannel.Email)
            ? await db.Set<EmailChannel>().AsNoTracking().OrderBy(c => c.Id).ToDictionaryAsync(c => c.Id, ct)
            : [];
        var sms = messages.Where(m => m.Channel == ConsentChannel.Sms).ToList();
        var email = messages.Where(m => m.Channel == ConsentChannel.Email).ToList();
        var toSend = new List<Message>();
        try
        {
            await Reconcile(db, channels, accounts, sms.Where(m => m.Status == MessageStatus.Sending).ToList(), toSend, ct);
            ReconcileEmail(mailboxes, email.Where(m => m.Status == MessageStatus.Sending).ToList(), toSend);
            var now = clock.GetUtcNow().UtcDateTime;
            var routes = RouteSms(accounts, sms.Where(m => m.Status is MessageStatus.Queued or MessageStatus.Waiting).ToList(), now)
                .Concat(RouteEmail(mailboxes, email.Where(m => m.Status is MessageStatus.Queued or MessageStatus.Waiting).ToList(), now)).ToList();
            await Decide(db, reachability, routes, toSend, ct);
            await SaveStates(db, timeline, messages, ct);
            foreach (var group in toSend.Where(m => m.Channel == ConsentChannel.Sms).GroupBy(m => (m.SmsChannelId!.Value, m.SenderLine!)))
            {
                var account = accounts[group.Key.Item1];
                var gateway = channels.Gateway(account.Provider);
                if (gateway is null)
                {
                    foreach (var m in group) Fail(m, MessageReason.NoChannel, $"No gateway for provider {account.Provider}.");
                    await SaveStates(db, timeline, group, ct);
                    continue;
                }

                var size = Math.Max(1, Math.Min(gateway.MaxBatch, account.RatePerSecond));
                foreach (var chunk in group.Chunk(size))
                {
                    await Limiter(group.Key.Item2, account.RatePerSecond).AcquireAsync(chunk.Length, ct);
                    await Send(db, gateway, channels.Account(account), chunk, ct);
                    await SaveStates(db, timeline, chunk, ct);
                }
            }

            await SendEmail(db, scope.ServiceProvider, timeline, mailboxes, toSend.Where(m => m.Channel == ConsentChannel.Email).ToList(), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The lease ended and another dispatcher took the messages: it looks them up before sending anything.
            log.LogWarning("A batch of {Count} messages was taken over by another dispatcher", messages.Count);
        }

        return ids.Count;
    }

    // Saves the states of the touched messages (the batch's others are not compared). The messages they settle (all but
    // those still being sent) are no longer tracked afterwards, so the batch's later saves do not look at them again.
    private async Task SaveStates(PayvandDb db, TimelineWriter timeline, IEnumerable<Message> touched, CancellationToken ct)
    {
        await MessageStates.Save(db, timeline, clock.GetUtcNow().UtcDateTime, ct, touched);
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is not Message { Status: MessageStatus.Sending }).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    private async Task<List<long>> Claim(Guid token, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + options.Lease;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (db.Database.IsNpgsql())
        {
            return await db.Database.SqlQuery<long>($"""
                UPDATE "Messages" SET "LockToken" = {token}, "LockedUntil" = {until}
                WHERE "Id" IN (
                    SELECT "Id" FROM "Messages"
                    WHERE "Status" IN (0, 1, 2) AND "NotBefore" <= {now} AND ("LockedUntil" IS NULL OR "LockedUntil" < {now})
                        AND ("Channel" = {ConsentChannel.Sms} OR "Channel" = {ConsentChannel.Email})
                    ORDER BY "NotBefore", "Id" LIMIT {options.BatchSize}
                    FOR UPDATE SKIP LOCKED)
                RETURNING "Id" AS "Value"
                """).ToListAsync(ct);
        }

        // SQLite has one writer: the read and the claim in one (immediate) transaction cannot interleave with another.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ids = await db.Set<Message>()
            .Where(m => (m.Status == MessageStatus.Queued || m.Status == MessageStatus.Waiting || m.Status == MessageStatus.Sending)
                && m.NotBefore <= now && (m.LockedUntil == null || m.LockedUntil < now) && (m.Channel == ConsentChannel.Sms || m.Channel == ConsentChannel.Email))
            .OrderBy(m => m.NotBefore).ThenBy(m => m.Id).Select(m => m.Id).Take(options.BatchSize).ToListAsync(ct);
        if (ids.Count > 0)
        {
            await db.Set<Message>().Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.LockToken, token).SetProperty(m => m.LockedUntil, until), ct);
        }

        await tx.CommitAsync(ct);
        return ids;
    }

    // Messages whose claim ended while they were being sent: found at the gateway by local id, they are sent; not
    // found, they are sent again with the same local id.
    private async Task Reconcile(PayvandDb db, SmsChannels channels, Dictionary<int, SmsChannel> accounts, List<Message> unsure, List<Message> toSend, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var group in unsure.GroupBy(m => m.SmsChannelId))
        {
            var account = group.Key is { } id ? accounts.GetValueOrDefault(id) : null;
            var gateway = account is null ? null : channels.Gateway(account.Provider);
            if (account is null || gateway is null)
            {
                foreach (var m in group) Fail(m, MessageReason.NoChannel, "The SMS channel of this message is gone; whether it was sent is unknown.");
                continue;
            }

            foreach (var chunk in group.Chunk(500))
            {
                IReadOnlyList<SmsState> states;
                try
                {
                    states = await gateway.StatusByLocalId(channels.Account(account), [.. chunk.Select(m => m.LocalId)], ct);
                }
                catch (SmsGatewayException e)
                {
                    foreach (var m in chunk) Retry(m, e.Message, stillSending: true, now);
                    continue;
                }

                var found = states.Where(s => s.Found && s.LocalId is not null).ToDictionary(s => s.LocalId!.Value);
                foreach (var m in chunk)
                {
                    if (found.TryGetValue(m.LocalId, out var state))
                    {
                        Sent(db, m, state.ProviderId, state.Status, now);
                    }
                    else if (m.Attempts >= options.MaxAttempts)
                    {
                        Fail(m, MessageReason.GatewayError, m.LastError ?? "Not accepted by the gateway after the last attempt.");
                    }
                    else
                    {
                        m.Attempts++;
                        toSend.Add(m);
                    }
                }
            }
        }
    }

    // A message routed to an account of its channel: the sender line its consent question names (SMS; null: any), and
    // what it gets when it is eligible (its line, account, opt-out text or tracking), before it is marked sending.
    private sealed record Route(Message M, int AccountId, string? Line, Action<Message> Prepare);

    // SMS: the message's channel account and line, else the first enabled account and its first line; none waits.
    private List<Route> RouteSms(Dictionary<int, SmsChannel> accounts, List<Message> fresh, DateTime now)
    {
        var fallback = accounts.Values.Where(c => c.Enabled && c.LineList().Count > 0).OrderBy(c => c.Id).FirstOrDefault();
        var routes = new List<Route>();
        foreach (var m in fresh)
        {
            var account = m.SmsChannelId is { } id ? accounts.GetValueOrDefault(id) : fallback;
            var line = m.SenderLine ?? account?.FirstLine();
            if (account is null || !account.Enabled || line is null)
            {
                Wait(m, MessageReason.NoChannel, now + TimeSpan.FromMinutes(1));
                continue;
            }

            routes.Add(new Route(m, account.Id, line, x =>
            {
                x.SenderLine = line;
                x.SmsChannelId = account.Id;
                if (x.Purpose == ContactPurpose.Promotional && !x.Body.EndsWith(account.OptOutText, StringComparison.Ordinal)) x.Body = x.Body.TrimEnd() + "\n" + account.OptOutText;
            }));
        }

        return routes;
    }

    // Asks the consent service for each message, grouped by channel, purpose, account and sender line.
    private async Task Decide(PayvandDb db, Reachability reachability, List<Route> routed, List<Message> toSend, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await DecideUnaddressed(db, routed.Where(r => r.M.ContactId is null).ToList(), toSend, now, ct);
        foreach (var group in routed.Where(r => r.M.ContactId is not null).GroupBy(r => (r.M.Channel, r.M.Purpose, r.AccountId, r.Line)))
        {
            var question = new ReachQuestion(group.Key.Channel, group.Key.Purpose, group.Key.Line, now);
            var resolved = await reachability.Resolve(db, question, ct);
            var people = group.Select(r => r.M.ContactId!.Value).Distinct().ToList();
            var answers = await Reachability.Rows(db, db.Contacts.IgnoreQueryFilters().AsNoTracking().Where(c => people.Contains(c.Id)), resolved)
                .ToDictionaryAsync(a => a.ContactId, ct);
            var suppressed = group.Key.Channel == ConsentChannel.Email ? await EmailSuppressions(db, people, group.Select(r => r.M.Address).OfType<string>(), ct) : null;
            DateTime? quietEnd = null;
            Dictionary<int, ContactPreferences>? preferences = null;
            foreach (var (m, _, _, prepare) in group)
            {
                var contactId = m.ContactId!.Value;
                var answer = answers.GetValueOrDefault(contactId);
                var reason = answer?.Reason ?? ReachReason.Deleted;
                switch (reason)
                {
                    case ReachReason.Eligible when (m.Address ?? answer!.Address) is { } address:
                        if (suppressed is not null && EmailSuppression(suppressed, contactId, address, m.Purpose) is { } why)
                        {
                            Suppress(m, why, now);
                            break;
                        }

                        m.Address = address;
                        Ready(m, prepare, toSend, now);
                        break;
                    case ReachReason.Eligible:
                        Suppress(m, MessageReason.NoAddress, now);
                        break;
                    case ReachReason.QuietHours:
                        quietEnd ??= await QuietEnd(now, ct);
                        Wait(m, MessageReason.QuietHours, quietEnd ?? now + TimeSpan.FromHours(1));
                        break;
                    case ReachReason.OutsideBestTime:
                        preferences ??= await db.Contacts.IgnoreQueryFilters().AsNoTracking().Where(c => people.Contains(c.Id))
                            .ToDictionaryAsync(c => c.Id, c => c.Preferences, ct);
                        var next = preferences.GetValueOrDefault(contactId) is { } p ? ContactPermission.NextGoodTime(p, now, await settings.TimeZone(ct)) : null;
                        Wait(m, MessageReason.OutsideBestTime, next is { } n && n > now ? n : now + TimeSpan.FromHours(1));
                        break;
                    case ReachReason.Blocked when suppressed is not null:
                        // Every address of the person is blocked: say why when a bounce or a complaint did it.
                        Suppress(m, suppressed.Where(s => s.ContactId == contactId).Select(s => (MessageReason?)s.Reason).Min() ?? MessageReason.Blocked, now);
                        break;
                    default:
                        Suppress(m, (MessageReason)(int)reason, now);
                        break;
                }
            }
        }
    }

    // Eligible: prepared for its channel and marked sending (committed before the send).
    private static void Ready(Message m, Action<Message> prepare, List<Message> toSend, DateTime now)
    {
        prepare(m);
        m.Status = MessageStatus.Sending;
        m.Reason = MessageReason.None;
        m.NotBefore = now;
        m.Attempts++;
        m.UpdatedAt = now;
        toSend.Add(m);
    }

    // When quiet hours end, in UTC, from now.
    private async Task<DateTime?> QuietEnd(DateTime now, CancellationToken ct)
    {
        if ((await settings.Get(ct)).QuietTo is not { } quietTo) return null;
        var zone = await settings.TimeZone(ct);
        var local = TimeZoneInfo.ConvertTimeFromUtc(now, zone);
        var end = DateOnly.FromDateTime(local).ToDateTime(quietTo);
        if (end <= local) end = end.AddDays(1);
        return TimeZoneInfo.ConvertTimeToUtc(end, zone);
    }

    private async Task Send(PayvandDb db, ISmsGateway gateway, SmsAccount account, Message[] chunk, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            var receipts = await gateway.Send(account, [.. chunk.Select(m => new OutgoingSms(m.LocalId, m.Address!, m.SenderLine!, m.Body))], ct);
            now = clock.GetUtcNow().UtcDateTime;
            for (var i = 0; i < chunk.Length; i++) Sent(db, chunk[i], receipts[i].ProviderId, receipts[i].Status, now);
        }
        catch (SmsGatewayException e) when (!e.Temporary && chunk.Length > 1)
        {
            // One refused message refuses the call: each is sent alone, so only the refused ones fail.
            foreach (var m in chunk) await Send(db, gateway, account, [m], ct);
        }
        catch (SmsGatewayException e) when (!e.Temporary)
        {
            Fail(chunk[0], MessageReason.Rejected, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // No answer, a server error, a bad key, no credit: tried again after a back-off, looked up first when the
            // gateway may have taken them.
            var maybeAccepted = e is not SmsGatewayException g || g.MaybeAccepted;
            log.LogWarning("Sending {Count} SMS failed ({Error}); trying again later", chunk.Length, e.Message);
            foreach (var m in chunk) Retry(m, e.Message, maybeAccepted, now);
        }
    }

    // Accepted by the gateway: the state its status says, with the person's timeline and the weekly cap told.
    private static void Sent(PayvandDb db, Message m, long providerId, int status, DateTime now)
    {
        m.ProviderMessageId = providerId;
        m.SentAt ??= now;
        m.LastError = null;
        Release(m);
        MessageStates.Apply(m, status, now);
        if (m.Purpose == ContactPurpose.Promotional && m.ContactId is { } person) Reachability.RecordPromotional(db, person, m.Channel, now);
    }

    private void Retry(Message m, string error, bool stillSending, DateTime now)
    {
        m.LastError = Trim(error);
        if (!stillSending && m.Attempts >= options.MaxAttempts)
        {
            Fail(m, MessageReason.GatewayError, error);
            return;
        }

        m.Status = stillSending ? MessageStatus.Sending : MessageStatus.Queued;
        m.NotBefore = now + Backoff.After(Math.Max(1, m.Attempts));
        m.UpdatedAt = now;
        Release(m);
    }

    private void Wait(Message m, MessageReason reason, DateTime until)
    {
        m.Status = MessageStatus.Waiting;
        m.Reason = reason;
        m.NotBefore = until;
        m.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        Release(m);
    }

    private static void Suppress(Message m, MessageReason reason, DateTime now)
    {
        m.Status = MessageStatus.Suppressed;
        m.Reason = reason;
        m.UpdatedAt = now;
        Release(m);
    }

    private void Fail(Message m, MessageReason reason, string error)
    {
        m.Status = MessageStatus.Failed;
        m.Reason = reason;
        m.LastError = Trim(error);
        m.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        Release(m);
    }

    private static void Release(Message m)
    {
        m.LockToken = null;
        m.LockedUntil = null;
    }

    private RateLimiter Limiter(string line, int rate) => limiters.GetOrAdd((line, rate), key => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
    {
        TokenLimit = Math.Max(1, key.Rate),
        TokensPerPeriod = Math.Max(1, key.Rate),
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = int.MaxValue,
        AutoReplenishment = true,
    }));

    private static string Trim(string text) => text.Length > 500 ? text[..500] : text;
}
