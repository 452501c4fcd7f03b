using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Activities;
using Payvand.Platform.Data;

namespace Payvand.Modules.Messaging;

// Asks the gateway (status.json, up to 500 ids a call) how the sent messages of the last three days fared and records
// delivered, undelivered and blacklisted ones (the schedule "sms-status", every minute). Reports pushed to the webhook
// go through Apply as well. A report that changes nothing writes nothing; two instances asking at once write the same.
public sealed class SmsDeliveryReports(IDbContextFactory<PayvandDb> dbFactory, SmsChannels channels, TimelineWriter timeline, TimeProvider clock, ILogger<SmsDeliveryReports> log)
{
    public const string ScheduleName = "sms-status";
    public const string JobKind = "sms-status";
    public const int Batch = 500;
    public static readonly TimeSpan Window = TimeSpan.FromDays(3);

    // Returns how many messages changed state.
    public async Task<int> Poll(CancellationToken ct)
    {
        var changed = 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var since = clock.GetUtcNow().UtcDateTime - Window;
        var accounts = await db.Set<SmsChannel>().AsNoTracking().ToListAsync(ct);
        foreach (var account in accounts)
        {
            if (channels.Gateway(account.Provider) is not { } gateway) continue;
            long after = 0;
            while (true)
            {
                var page = await db.Set<Message>().AsNoTracking()
                    .Where(m => m.Status == MessageStatus.Sent && m.SentAt > since && m.SmsChannelId == account.Id && m.ProviderMessageId != null && m.Id > after)
                    .OrderBy(m => m.Id).Take(Batch).Select(m => new { m.Id, Provider = m.ProviderMessageId!.Value }).ToListAsync(ct);
                if (page.Count == 0) break;
                after = page[^1].Id;
                IReadOnlyList<SmsState> states;
                try
                {
                    states = await gateway.Status(channels.Account(account), [.. page.Select(p => p.Provider)], ct);
                }
                catch (SmsGatewayException e)
                {
                    log.LogWarning("Delivery reports of SMS channel {Channel} could not be read: {Error}", account.Key, e.Message);
                    break;
                }

                changed += await Apply(db, states.Where(s => s.Found).Select(s => (s.ProviderId, s.Status)).ToList(), ct);
                if (page.Count < Batch) break;
            }
        }

        return changed;
    }

    // Records the gateway's statuses of messages by their provider ids; returns how many changed state.
    public async Task<int> Apply(PayvandDb db, IReadOnlyList<(long ProviderId, int Status)> reports, CancellationToken ct)
    {
        if (reports.Count == 0) return 0;
        var ids = reports.Select(r => r.ProviderId).Distinct().ToList();
        var messages = await db.Set<Message>().Where(m => m.ProviderMessageId != null && ids.Contains(m.ProviderMessageId.Value) && m.Status == MessageStatus.Sent).ToListAsync(ct);
        var byProvider = messages.ToDictionary(m => m.ProviderMessageId!.Value);
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = 0;
        foreach (var (providerId, status) in reports)
        {
            if (!byProvider.TryGetValue(providerId, out var m) || SmsStatusCodes.Read(status).Status == MessageStatus.Sent) continue;
            MessageStates.Apply(m, status, now);
            changed++;
        }

        if (changed > 0) await MessageStates.Save(db, timeline, now, ct);
        db.ChangeTracker.Clear();
        return changed;
    }
}
