using System.Globalization;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Messaging.Templates;

// A template rendered for a real person in fa or en, as the editor shows it before saving or sending: the text, its SMS
// parts and the template's errors (a template that fails is answered with its errors and no text, as it would not be sent).
public sealed class PreviewTemplate(MessageTemplates templates, ListTemplates list, IStringLocalizer<SharedResource> text)
{
    public sealed record Request
    {
        public int? PersonId { get; init; }

        // "fa" or "en" (fa-IR, en-US); none: the caller's language.
        public string? Culture { get; init; }

        // The values the sender would give, by name ({{ coupon }}).
        public Dictionary<string, string?>? Values { get; init; }
    }

    // A template not saved yet (the editor's text), with whom and how to render it.
    public sealed record DraftRequest
    {
        public string? Channel { get; init; }

        public string? Subject { get; init; }

        public string? Body { get; init; }

        public string? HtmlBody { get; init; }

        public int? PersonId { get; init; }

        public string? Culture { get; init; }

        public Dictionary<string, string?>? Values { get; init; }
    }

    public sealed record Response(string Culture, string? Subject, string? Text, string? Html, SmsParts? Sms, IReadOnlyList<TemplateError> Errors);

    // Null when there is no such template.
    public async Task<Response?> Saved(int id, Request request, UserScope viewer, CancellationToken ct)
    {
        var culture = Check(request.PersonId, request.Culture);
        var t = await list.Get(id, ct);
        if (t is null) return null;
        return await Preview(new TemplateText(t.Channel, t.Subject, t.Body, t.HtmlBody), request.PersonId!.Value, request.Values, culture, viewer, ct);
    }

    public async Task<Response> Draft(DraftRequest request, UserScope viewer, CancellationToken ct)
    {
        var culture = Check(request.PersonId, request.Culture, request.Body is null ? "body" : null);
        var channel = request.Channel?.Trim().ToLowerInvariant() ?? "";
        return await Preview(new TemplateText(channel, request.Subject, request.Body!, request.HtmlBody), request.PersonId!.Value, request.Values, culture, viewer, ct);
    }

    private async Task<Response> Preview(
        TemplateText template, int personId, Dictionary<string, string?>? values, CultureInfo culture, UserScope viewer, CancellationToken ct)
    {
        var result = await templates.Render(template, personId, values ?? [], culture, viewer, ct);
        // What was given is wrong (no such person, a bad value name): 400. The template's own errors are the answer.
        if (result.Errors.Where(e => e.Field is "personId" or "values").ToList() is { Count: > 0 } given)
        {
            throw new ValidationException(given.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
        }
        var name = Cultures.IsPersian(culture) ? "fa" : "en";
        return result.Message is { } m
            ? new Response(name, m.Subject, m.Body, m.HtmlBody, m.Sms, [])
            : new Response(name, null, null, null, null, result.Errors);
    }

    private CultureInfo Check(int? personId, string? culture, string? missing = null)
    {
        var v = new Validator(text);
        if (personId is null) v.Add("personId", "{0} is required.", text["Person"]);
        if (missing is not null) v.Add(missing, "{0} is required.", text["Text"]);
        CultureInfo? chosen = null;
        if (culture is null) chosen = CultureInfo.GetCultureInfo(Cultures.Normalize(CultureInfo.CurrentUICulture.Name));
        else if (culture.Trim().ToLowerInvariant() is "fa" or "fa-ir") chosen = CultureInfo.GetCultureInfo(Cultures.Persian);
        else if (culture.Trim().ToLowerInvariant() is "en" or "en-us") chosen = CultureInfo.GetCultureInfo(Cultures.English);
        else v.Add("culture", "{0} must be one of: {1}.", text["Language"], "fa, en");
        v.ThrowIfAny();
        return chosen!;
    }
}
