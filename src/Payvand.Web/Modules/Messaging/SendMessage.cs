using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Messaging;

// Sends one message to one person (a one-time code, a receipt): written to the outbox and sent by the dispatcher
// under the same consent rules as every message. An Idempotency-Key makes it safe to retry: the key is stored on the
// message itself, in the same row, so a retry finds the one message whatever happened in between; the same key with
// another request is refused.
public sealed class SendMessage(IDbContextFactory<PayvandDb> dbFactory, MessageOutbox outbox, IStringLocalizer<SharedResource> text)
{
    // Channel "sms" (the default) or "email"; an email has a Subject, Body as its plain text and optionally Html, and
    // TrackClicks/TrackOpens when it differs from its channel's defaults.
    public sealed record Request(
        int? ContactId, string? Body, ContactPurpose Purpose = ContactPurpose.Transactional, string? SenderLine = null, string? Occasion = null,
        string? Channel = null, string? Subject = null, string? Html = null, bool? TrackClicks = null, bool? TrackOpens = null);

    public abstract record Outcome;

    public sealed record Created(MessageView Message) : Outcome;

    // The same Idempotency-Key and request again: the message made the first time.
    public sealed record Replayed(MessageView Message) : Outcome;

    public sealed record KeyReused : Outcome;

    public sealed record OccasionTaken(long MessageId) : Outcome;

    public async Task<Outcome> Handle(Request request, string? idempotencyKey, UserScope user, CancellationToken ct)
    {
        var channel = string.IsNullOrWhiteSpace(request.Channel) ? ConsentChannel.Sms : request.Channel.Trim().ToLowerInvariant();
        var email = channel == ConsentChannel.Email;
        var v = new Validator(text)
            .Required("body", request.Body, "Text").MaxLength("body", request.Body, email ? MessageOutbox.MaxEmailBodyLength : MessageOutbox.MaxBodyLength, "Text")
            .MaxLength("senderLine", request.SenderLine, 20, "Sender line")
            .MaxLength("occasion", request.Occasion, 200, "Occasion")
            .MaxLength(IdempotencyHeader, idempotencyKey, 255, IdempotencyHeader);
        if (request.ContactId is null) v.Add("contactId", "{0} is required.", text["Person"]);
        if (channel is not (ConsentChannel.Sms or ConsentChannel.Email)) v.Add("channel", "{0} must be one of: {1}.", text["Channel"], "sms, email");
        if (email)
        {
            v.Required("subject", request.Subject, "Subject").MaxLength("subject", request.Subject, MessageOutbox.MaxSubjectLength, "Subject")
                .MaxLength("html", request.Html, MessageOutbox.MaxEmailBodyLength, "HTML");
            if (request.SenderLine is not null) v.Add("senderLine", "Only an SMS has a sender line.");
        }
        else if (request.Subject is not null || request.Html is not null || request.TrackClicks is not null || request.TrackOpens is not null)
        {
            v.Add(request.Subject is not null ? "subject" : request.Html is not null ? "html" : "trackClicks", "Only an email has a subject, HTML or tracking.");
        }

        if (!Enum.IsDefined(request.Purpose)) v.Add("purpose", "{0} must be one of: {1}.", text["Purpose"], string.Join(", ", Enum.GetNames<ContactPurpose>()));
        var line = request.SenderLine is null ? null : PersianText.ToLatinDigits(request.SenderLine.Trim());
        if (line is { Length: > 0 } && !line.All(char.IsAsciiDigit)) v.Add("senderLine", "Each sender line is a number of 4 to 20 digits.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (request.ContactId is { } id && !await db.Contacts.VisibleTo(user).AnyAsync(c => c.Id == id, ct)) v.Add("contactId", "There is no person with this id that you can see.");
        v.ThrowIfAny();

        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? null : $"u{user.UserId.ToString(CultureInfo.InvariantCulture)}:{idempotencyKey.Trim()}";
        var hash = key is null ? null : Hash(request);
        if (key is not null && await Existing(db, key, hash!, ct) is { } earlier) return earlier;
        var message = await outbox.Add(db, new OutgoingMessage(request.ContactId!.Value, request.Body!.Trim(), "api")
        {
            Channel = channel,
            Subject = email ? request.Subject!.Trim() : null,
            HtmlBody = email && !string.IsNullOrWhiteSpace(request.Html) ? request.Html : null,
            TrackClicks = request.TrackClicks,
            TrackOpens = request.TrackOpens,
            Purpose = request.Purpose,
            SenderLine = string.IsNullOrEmpty(line) ? null : line,
            Occasion = string.IsNullOrWhiteSpace(request.Occasion) ? null : request.Occasion.Trim(),
            CreatedById = user.UserId > 0 ? user.UserId : null,
        }, ct);
        if (message is null)
        {
            var taken = await db.Set<Message>().Where(m => m.ContactId == request.ContactId && m.Source == "api" && m.Occasion == request.Occasion!.Trim()).Select(m => m.Id).FirstAsync(ct);
            return new OccasionTaken(taken);
        }

        message.IdempotencyKey = key;
        message.RequestHash = hash;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation() && key is not null)
        {
            // A retry that ran beside the first: the first one's message is the answer.
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            return await Existing(again, key, hash!, ct) ?? throw new DomainRuleException(text["This person already has a message for this occasion."]);
        }

        outbox.Wake();
        return new Created(await MessageView.Of(db, db.Set<Message>().Where(m => m.Id == message.Id)).SingleAsync(ct));
    }

    public const string IdempotencyHeader = "Idempotency-Key";

    private static async Task<Outcome?> Existing(PayvandDb db, string key, string hash, CancellationToken ct)
    {
        var found = await db.Set<Message>().AsNoTracking().Where(m => m.IdempotencyKey == key).Select(m => new { m.Id, m.RequestHash }).SingleOrDefaultAsync(ct);
        if (found is null) return null;
        if (found.RequestHash != hash) return new KeyReused();
        return new Replayed(await MessageView.Of(db, db.Set<Message>().Where(m => m.Id == found.Id)).SingleAsync(ct));
    }

    private static string Hash(Request request) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request with { Body = request.Body?.Trim() }))));
}
