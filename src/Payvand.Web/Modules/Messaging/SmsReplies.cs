using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Messaging;

// Every SMS sent to the sender lines is kept once (InboundSms, /messages/inbound) and, when it is a reply the module
// acts on, acted on: «11», «۱۱», «لغو» or STOP (any case, digits in any script) opt the people with that mobile out of
// promotional SMS and block the number on that line; «12» («۱۲») opts them back in and lifts the line's block. Consent
// changes go through the person's consent with source "sms-reply", so they have their history; the message, the
// consent change and the person's timeline entry are written in one transaction. The same message read twice (polled
// again, or polled and pushed by the webhook) is found by its key (InboundSms.KeyOf) and changes nothing. Polled from
// the gateway (receive.json, the schedule "sms-inbound", every minute) and accepted from its webhook.
public sealed class SmsReplies(
    IDbContextFactory<PayvandDb> dbFactory, SmsChannels channels, TimelineWriter timeline, TimeProvider clock, ILogger<SmsReplies> log)
{
    public const string ScheduleName = "sms-inbound";
    public const string JobKind = "sms-inbound";
    public const string Source = "sms-reply";

    public enum Intent
    {
        None,
        OptOut,
        OptIn,
    }

    public static Intent Read(string? text)
    {
        var t = PersianText.ToLatinDigits(text ?? "").Replace("\u200c", "", StringComparison.Ordinal).Trim().ToLowerInvariant();
        t = string.Concat(t.Where(c => !char.IsWhiteSpace(c)));
        return t switch
        {
            "11" or "لغو" or "لغو11" or "stop" or "ابطال" => Intent.OptOut,
            "12" => Intent.OptIn,
            _ => Intent.None,
        };
    }

    // Reads every enabled channel's lines; returns how many replies changed someone's consent.
    public async Task<int> Poll(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var accounts = await db.Set<SmsChannel>().AsNoTracking().Where(c => c.Enabled).ToListAsync(ct);
        var changed = 0;
        foreach (var account in accounts)
        {
            if (channels.Gateway(account.Provider) is not { } gateway) continue;
            foreach (var line in account.LineList())
            {
                IReadOnlyList<IncomingSms> inbox;
                try
                {
                    inbox = await gateway.Receive(channels.Account(account), line, ct);
                }
                catch (SmsGatewayException e)
                {
                    log.LogWarning("Replies to line {Line} could not be read: {Error}", line, e.Message);
                    continue;
                }

                foreach (var sms in inbox)
                {
                    changed += await Handle(account.Id, string.IsNullOrEmpty(sms.Line) ? sms with { Line = line } : sms, ct) ? 1 : 0;
                }
            }
        }

        return changed;
    }

    // One message from a number to a line of a channel: kept (once) and acted on; true when it changed someone's consent.
    // ProviderId 0 when the gateway gave no id.
    public async Task<bool> Handle(int channelId, IncomingSms sms, CancellationToken ct)
    {
        var intent = Read(sms.Text);
        var line = PersianText.ToLatinDigits(sms.Line).Trim();
        string? mobile = IranianPhone.TryNormalize(sms.From, out var normalized) ? normalized : null;
        var from = mobile ?? PersianText.ToLatinDigits(sms.From).Trim();
        var text = sms.Text.Length > InboundSms.MaxTextLength ? sms.Text[..InboundSms.MaxTextLength] : sms.Text;
        var receivedAt = DateTime.SpecifyKind(sms.ReceivedAt, DateTimeKind.Utc);
        var key = InboundSms.KeyOf(channelId, sms.ProviderId, line, from, text, receivedAt);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Set<InboundSms>().AnyAsync(m => m.Key == key, ct)) return false;

        var people = mobile is null ? [] : await db.Contacts.Include(c => c.Consents)
            .Where(c => c.Points.Any(p => p.Kind == ContactPointKind.Mobile && p.NormalizedValue == mobile)).OrderBy(c => c.Id).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var inbound = db.Add(new InboundSms
        {
            SmsChannelId = channelId,
            Line = line,
            From = from.Length > 30 ? from[..30] : from,
            Text = text,
            ReceivedAt = receivedAt,
            ProviderMessageId = sms.ProviderId > 0 ? sms.ProviderId : null,
            Key = key,
            ContactId = people.FirstOrDefault()?.Id,
            Action = intent switch { Intent.OptOut => InboundSmsAction.OptedOut, Intent.OptIn => InboundSmsAction.OptedIn, _ => InboundSmsAction.None },
            CreatedAt = now,
        }).Entity;
        var changed = mobile is not null && await Apply(db, intent, mobile, line, text, people, now, ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct); // the message's id, for its timeline entries
            if (inbound.ContactId is { } contactId) await timeline.Write(db, Entry(inbound, contactId), ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return false; // kept by a concurrent reading (the webhook and the poll at once): that one acted on it
        }

        return changed;
    }

    // The reply's consent changes and the line's block, tracked on the context; true when consent changed.
    private static async Task<bool> Apply(PayvandDb db, Intent intent, string mobile, string line, string text, List<Contact> people, DateTime now, CancellationToken ct)
    {
        if (intent == Intent.None) return false;
        var status = intent == Intent.OptOut ? ConsentStatus.OptedOut : ConsentStatus.OptedIn;
        var changed = false;
        foreach (var person in people.Where(p => p.ConsentFor(ConsentChannel.Sms, ContactPurpose.Promotional) != status))
        {
            person.SetConsent(ConsentChannel.Sms, ContactPurpose.Promotional, status, Source, now, null, $"«{text.Trim()}» → {line}");
            changed = true;
        }

        var blocked = db.BlockedAddresses.Where(b => b.Address == mobile && b.SenderLine == line);
        if (intent == Intent.OptOut && !await blocked.AnyAsync(ct))
        {
            Reachability.Block(db, mobile, line, Source, now);
            changed = true;
        }
        else if (intent == Intent.OptIn)
        {
            db.BlockedAddresses.RemoveRange(await blocked.Where(b => b.Source == Source).ToListAsync(ct));
        }

        return changed;
    }

    private static TimelineEntry Entry(InboundSms m, int contactId) => new()
    {
        ContactId = contactId,
        Type = InboundSms.TimelineType,
        OccurredAt = m.ReceivedAt,
        Data = new InboundSmsEntryData(m.Line, m.From, m.Action),
        Body = m.Text,
        SourceType = InboundSms.SourceType,
        SourceId = m.Id.ToString(CultureInfo.InvariantCulture),
    };
}
