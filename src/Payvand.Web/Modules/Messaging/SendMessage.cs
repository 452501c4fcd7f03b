using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging.Templates;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Messaging;

// Sends one message to one person (a one-time code, a receipt): written to the outbox and sent by the dispatcher
// under the same consent rules as every message. The message is a text given by the caller, or a saved template
// rendered for the person in their language with the caller's values (a code, an offer). An Idempotency-Key makes it safe to retry: the key is stored on the
// message itself, in the same row, so a retry finds the one message whatever happened in between; the same key with
// another request is refused.
public sealed class SendMessage(
    IDbContextFactory<PayvandDb> dbFactory, MessageOutbox outbox, MessageTemplates templates, IStringLocalizer<SharedResource> text, IConfiguration configuration)
{
    public const int MaxValues = 50;
    public const int MaxValueLength = 1000;

    // Channel "sms" (the default) or "email"; an email has a Subject, Body as its plain text and optionally Html, and
    // TrackClicks/TrackOpens when it differs from its channel's defaults. Instead of Body (and Subject, Html): TemplateId,
    // a saved template of the channel and purpose, with Values by name ({{ code }}, {{ offer }}).
    public sealed record Request(
        int? ContactId, string? Body, ContactPurpose Purpose = ContactPurpose.Transactional, string? SenderLine = null, string? Occasion = null,
        string? Channel = null, string? Subject = null, string? Html = null, bool? TrackClicks = null, bool? TrackOpens = null)
    {
        public int? TemplateId { get; init; }

        public Dictionary<string, string?>? Values { get; init; }
    }

    public abstract record Outcome;

    public sealed record Created(MessageView Message) : Outcome;

    // The same Idempotency-Key and request again: the message made the first time.
    public sealed record Replayed(MessageView Message) : Outcome;

    public sealed record KeyReused : Outcome;

    public sealed record OccasionTaken(long MessageId) : Outcome;

    public async Task<Outcome> Handle(Request request, string? idempotencyKey, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var template = request.TemplateId is { } templateId
            ? await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId && t.ArchivedAt == null, ct)
            : null;
        var channel = string.IsNullOrWhiteSpace(request.Channel) ? template?.Channel ?? ConsentChannel.Sms : request.Channel.Trim().ToLowerInvariant();
        var email = channel == ConsentChannel.Email;
        var v = new Validator(text)
            .MaxLength("body", request.Body, email ? MessageOutbox.MaxEmailBodyLength : MessageOutbox.MaxBodyLength, "Text")
            .MaxLength("senderLine", request.SenderLine, 20, "Sender line")
            .MaxLength("occasion", request.Occasion, 200, "Occasion")
            .MaxLength(IdempotencyHeader, idempotencyKey, 255, IdempotencyHeader);
        if (request.ContactId is null) v.Add("contactId", "{0} is required.", text["Person"]);
        if (channel is not (ConsentChannel.Sms or ConsentChannel.Email)) v.Add("channel", "{0} must be one of: {1}.", text["Channel"], "sms, email");
        if (request.TemplateId is null)
        {
            v.Required("body", request.Body, "Text");
            if (request.Values is not null) v.Add("values", "Values are given only with a template.");
        }
        else
        {
            CheckTemplate(v, request, template, channel);
        }

        if (email)
        {
            if (request.TemplateId is null)
            {
                v.Required("subject", request.Subject, "Subject").MaxLength("subject", request.Subject, MessageOutbox.MaxSubjectLength, "Subject")
                    .MaxLength("html", request.Html, MessageOutbox.MaxEmailBodyLength, "HTML");
            }

            if (request.SenderLine is not null) v.Add("senderLine", "Only an SMS has a sender line.");
        }
        else if (request.Subject is not null || request.Html is not null || request.TrackClicks is not null || request.TrackOpens is not null)
        {
            v.Add(request.Subject is not null ? "subject" : request.Html is not null ? "html" : "trackClicks", "Only an email has a subject, HTML or tracking.");
        }

        if (!Enum.IsDefined(request.Purpose)) v.Add("purpose", "{0} must be one of: {1}.", text["Purpose"], string.Join(", ", Enum.GetNames<ContactPurpose>()));
        var line = request.SenderLine is null ? null : PersianText.ToLatinDigits(request.SenderLine.Trim());
        if (line is { Length: > 0 } && !line.All(char.IsAsciiDigit)) v.Add("senderLine", "Each sender line is a number of 4 to 20 digits.");
        if (request.ContactId is { } id && !await db.Contacts.VisibleTo(user).AnyAsync(c => c.Id == id, ct)) v.Add("contactId", "There is no person with this id that you can see.");
        v.ThrowIfAny();

        var (subject, body, html) = template is null
            ? (email ? request.Subject!.Trim() : null, request.Body!.Trim(), email && !string.IsNullOrWhiteSpace(request.Html) ? request.Html : null)
            : await Rendered(db, template, request, user, ct);
        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? null : $"u{user.UserId.ToString(CultureInfo.InvariantCulture)}:{idempotencyKey.Trim()}";
        var hash = key is null ? null : Hash(request);
        if (key is not null && await Existing(db, key, hash!, ct) is { } earlier) return earlier;
        var message = await outbox.Add(db, new OutgoingMessage(request.ContactId!.Value, body, "api")
        {
            Channel = channel,
            Subject = subject,
            HtmlBody = html,
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

    // A template instead of a text: it exists and is not archived, is of the message's channel and purpose, and gives
    // the text, subject and HTML itself; the values are few and short.
    private static void CheckTemplate(Validator v, Request request, MessageTemplate? template, string channel)
    {
        if (request.Body is not null) v.Add("body", "Give either a text or a template, not both.");
        if (request.Subject is not null || request.Html is not null) v.Add(request.Subject is not null ? "subject" : "html", "A template gives the subject and HTML itself.");
        v.MaxCount("values", request.Values, MaxValues);
        foreach (var (name, value) in request.Values ?? [])
        {
            if (value?.Length > MaxValueLength) v.Add($"values.{name}", "{0} must be at most {1} characters.", name, MaxValueLength);
        }

        if (template is null)
        {
            v.Add("templateId", "The template was not found or is archived.");
            return;
        }

        if (template.Channel != channel) v.Add("templateId", "This template is for {0}, not {1}.", template.Channel, channel);
        if (template.Purpose != request.Purpose) v.Add("purpose", "This template is {0}; send it with that purpose.", v.Text["Purpose." + template.Purpose]);
    }

    // The template rendered for the person in their language (the template's own when it has one), as the caller may see
    // the person; a template that does not render, or renders too long or without a subject, is a 400 with its errors.
    private async Task<(string? Subject, string Body, string? Html)> Rendered(PayvandDb db, MessageTemplate template, Request request, UserScope user, CancellationToken ct)
    {
        var language = await db.Contacts.AsNoTracking().Where(c => c.Id == request.ContactId).Select(c => c.Preferences.Language).FirstOrDefaultAsync(ct);
        var culture = MessageTemplates.CultureFor(template.Language, language, configuration["Payvand:Culture"]);
        var result = await templates.Render(
            new TemplateText(template.Channel, template.Subject, template.Body, template.HtmlBody), request.ContactId!.Value,
            request.Values ?? [], culture, user, ct);
        var v = new Validator(text);
        foreach (var error in result.Errors)
        {
            v.Add(error.Field switch { "values" => "values", "personId" => "contactId", _ => "templateId" }, "{0}", error.Message);
        }

        if (result.Message is { } m)
        {
            var email = template.Channel == ConsentChannel.Email;
            var max = email ? MessageOutbox.MaxEmailBodyLength : MessageOutbox.MaxBodyLength;
            if (m.Body.Length is 0) v.Add("templateId", "The template makes an empty text for this person.");
            if (m.Body.Length > max) v.Add("templateId", "The template makes a text of {0} characters for this person; at most {1} are sent.", m.Body.Length, max);
            if (email && (string.IsNullOrWhiteSpace(m.Subject) || m.Subject.Length > MessageOutbox.MaxSubjectLength))
            {
                v.Add("templateId", "The template makes a subject of {0} characters for this person; 1 to {1} are sent.", m.Subject?.Length ?? 0, MessageOutbox.MaxSubjectLength);
            }
        }

        v.ThrowIfAny();
        var rendered = result.Message!;
        return (rendered.Subject, rendered.Body, string.IsNullOrWhiteSpace(rendered.HtmlBody) ? null : rendered.HtmlBody);
    }

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
