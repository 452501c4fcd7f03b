using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Messaging;

// Replies to the sender lines: «11», «۱۱», «لغو» or STOP (any case, digits in any script) opt the person with that
// mobile out of promotional SMS and block the number on that line; «12» («۱۲») opts them back in and lifts the line's
// block. Consent changes go through the person's consent with source "sms-reply", so they have their history. Polled
// from the gateway (receive.json, the schedule "sms-inbound", every minute) and accepted from its webhook.
public sealed class SmsReplies(IDbContextFactory<PayvandDb> dbFactory, SmsChannels channels, TimeProvider clock, ILogger<SmsReplies> log)
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

                foreach (var sms in inbox) changed += await Handle(sms.From, string.IsNullOrEmpty(sms.Line) ? line : sms.Line, sms.Text, ct) ? 1 : 0;
            }
        }

        return changed;
    }

    // One reply from a number to a line; true when it changed someone's consent.
    public async Task<bool> Handle(string from, string line, string text, CancellationToken ct)
    {
        var intent = Read(text);
        if (intent == Intent.None || !IranianPhone.TryNormalize(from, out var mobile)) return false;
        line = PersianText.ToLatinDigits(line).Trim();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var people = await db.Contacts.Include(c => c.Consents)
            .Where(c => c.Points.Any(p => p.Kind == ContactPointKind.Mobile && p.NormalizedValue == mobile)).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
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

        await db.SaveChangesAsync(ct);
        return changed;
    }
}
