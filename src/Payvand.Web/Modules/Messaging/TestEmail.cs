using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MimeKit;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Messaging;

// Sends one email straight through a channel (not the outbox, no person) so an administrator can see the server,
// sign-in and From address work: whether the server took it, or its error.
public sealed class TestEmail(IDbContextFactory<PayvandDb> dbFactory, EmailChannels channels, EmailSender sender, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public sealed record Request(string? To, string? Subject = null, string? Text = null);

    public sealed record Response(bool Sent, string? MessageId, string? Error);

    public async Task<Response?> Handle(int channelId, Request request, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channel = await db.Set<EmailChannel>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == channelId, ct);
        if (channel is null) return null;
        var v = new Validator(text).Required("to", request.To, "Email")
            .MaxLength("subject", request.Subject, MessageOutbox.MaxSubjectLength, "Subject").MaxLength("text", request.Text, 10_000, "Text");
        if (request.To is { Length: > 0 } to && !EmailChannels.IsAddress(to)) v.Add("to", "The email address is not valid.");
        v.ThrowIfAny();
        var account = channels.Account(channel);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(account.FromName ?? "", account.FromAddress));
        message.To.Add(MailboxAddress.Parse(request.To!.Trim()));
        if (account.ReplyTo is { } replyTo) message.ReplyTo.Add(MailboxAddress.Parse(replyTo));
        message.Subject = string.IsNullOrWhiteSpace(request.Subject) ? text["Payvand test email"] : request.Subject.Trim();
        message.MessageId = EmailMime.MessageId(MessageOutbox.NewLocalId(), account.FromAddress);
        message.Date = clock.GetUtcNow();
        message.Body = new TextPart("plain") { Text = string.IsNullOrWhiteSpace(request.Text) ? text["This email checks that Payvand can send through this channel."] : request.Text.Trim() };
        var outcome = (await sender.Send(account, [message], ct))[0];
        return new Response(outcome.Result == EmailResult.Accepted, message.MessageId, outcome.Error);
    }
}
