using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;

namespace Payvand.Modules.Messaging;

// /hooks/sms/{provider}/{channel}: what the gateway pushes (Kavenegar: delivery reports as messageid and status,
// inbound messages as messageid, from, to and message; in the query or a form, by GET or POST). The caller proves it is the
// gateway with the channel's secret (?secret= or the X-Webhook-Secret header), compared in constant time; anything
// else is 401 without saying whether the channel exists. Rate-limited per address (MessagingModule).
public static class SmsWebhook
{
    public const string SecretHeader = "X-Webhook-Secret";

    public static async Task<IResult> Handle(
        string provider, string channel, HttpRequest request, IDbContextFactory<PayvandDb> dbFactory, SmsChannels channels,
        SmsDeliveryReports reports, SmsReplies replies, TimeProvider clock, CancellationToken ct)
    {
        var p = request.Query.ToDictionary(q => q.Key.ToLowerInvariant(), q => q.Value.ToString());
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync(ct)) p[key.ToLowerInvariant()] = value.ToString();
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Set<SmsChannel>().AsNoTracking().SingleOrDefaultAsync(c => c.Key == channel && c.Provider == provider, ct);
        var secret = request.Headers[SecretHeader].ToString() is { Length: > 0 } header ? header : p.GetValueOrDefault("secret");
        if (account is null || !channels.SecretMatches(account, secret)) return TypedResults.Unauthorized();

        if (p.TryGetValue("messageid", out var id) && p.TryGetValue("status", out var status)
            && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var providerId)
            && int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            await reports.Apply(db, [(providerId, code)], ct);
            return TypedResults.Ok();
        }

        if (p.TryGetValue("from", out var from) && p.TryGetValue("message", out var message))
        {
            // Kavenegar names the message (messageid) as receive.json does, so a message also polled is kept once.
            var messageId = long.TryParse(p.GetValueOrDefault("messageid"), NumberStyles.None, CultureInfo.InvariantCulture, out var inboundId) ? inboundId : 0;
            var line = p.GetValueOrDefault("to") is { Length: > 0 } to ? to : account.FirstLine() ?? "";
            await replies.Handle(account.Id, new IncomingSms(messageId, from, line, message, clock.GetUtcNow().UtcDateTime), ct);
            return TypedResults.Ok();
        }

        return TypedResults.Problem("Neither a delivery report (messageid, status) nor an inbound message (from, message).", statusCode: StatusCodes.Status400BadRequest);
    }
}
