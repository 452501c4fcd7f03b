using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Messaging;

// Sends one SMS straight through a channel (not the outbox, no person) so an administrator can see the credentials
// and line work: the gateway's answer, or its error.
public sealed class TestSms(IDbContextFactory<PayvandDb> dbFactory, SmsChannels channels, IStringLocalizer<SharedResource> text)
{
    public sealed record Request(string? Mobile, string? Text, string? Line = null);

    public sealed record Response(bool Sent, long? ProviderMessageId, int? Status, string? Error);

    public async Task<Response?> Handle(int channelId, Request request, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Set<SmsChannel>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == channelId, ct);
        if (account is null) return null;
        var v = new Validator(text).Required("mobile", request.Mobile, "Mobile").Required("text", request.Text, "Text").MaxLength("text", request.Text, MessageOutbox.MaxBodyLength, "Text");
        if (request.Mobile is { Length: > 0 } && !(IranianPhone.TryNormalize(request.Mobile, out var m) && IranianPhone.IsMobile(m))) v.Add("mobile", "The phone number is not valid.");
        var line = request.Line is { Length: > 0 } l ? PersianText.ToLatinDigits(l.Trim()) : account.FirstLine();
        if (line is null || !account.LineList().Contains(line)) v.Add("line", "{0} must be one of: {1}.", text["Sender line"], string.Join(", ", account.LineList()));
        v.ThrowIfAny();
        IranianPhone.TryNormalize(request.Mobile, out var mobile);
        try
        {
            var gateway = channels.Gateway(account.Provider)!;
            var receipt = (await gateway.Send(channels.Account(account), [new OutgoingSms(MessageOutbox.NewLocalId(), mobile, line!, request.Text!.Trim())], ct))[0];
            return new Response(true, receipt.ProviderId, receipt.Status, null);
        }
        catch (SmsGatewayException e)
        {
            return new Response(false, null, e.Code, e.Message);
        }
    }
}
