using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Fluid;
using Fluid.Values;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Messaging.Templates;

// The parts of a template to render: the text (SMS) or plain-text part (email), and for email the subject and HTML part.
public sealed record TemplateText(string Channel, string? Subject, string Body, string? HtmlBody);

// What is wrong with a template, placed on its field ("subject", "body", "htmlBody", or "personId"/"values" for what a
// rendering was given), with the line and column of a syntax error (both from 1). Message is in the caller's language.
public sealed record TemplateError(string Field, string Message, int? Line = null, int? Column = null);

// A template rendered for one person. Sms counts the text's parts when the channel is "sms".
public sealed record RenderedMessage(string? Subject, string Body, string? HtmlBody, SmsParts? Sms);

// Either a message or the errors that kept it from being made; a message with errors is never made, so never sent.
public sealed record RenderResult(RenderedMessage? Message, IReadOnlyList<TemplateError> Errors)
{
    public bool Succeeded => Message is not null && Errors.Count == 0;
}

/// <summary>
/// Checks and renders message templates (Liquid, with Fluid: docs/adr/0013). This is what the sending core calls for
/// each message: <see cref="Render(int, int, IReadOnlyDictionary{string, string}, CultureInfo, UserScope?, CancellationToken)"/>
/// gives the subject, text and HTML for one person, or the errors that prevent it, never a partly filled message.
/// </summary>
/// <remarks>
/// A template sees only a model built for it from plain values:
/// <c>person.first_name</c>, <c>last_name</c>, <c>full_name</c>, <c>mobile</c>, <c>email</c>, <c>city</c>,
/// <c>province</c>, <c>birth_date</c>, <c>branch</c> and <c>person.custom.&lt;key&gt;</c> (every custom field of people,
/// nil when the person has no value), and the values the sender gives by name at the top level (<c>{{ coupon }}</c>,
/// <c>{{ offer }}</c>, <c>{{ link }}</c>, <c>{{ amount | money }}</c>). Filters besides Liquid's: <c>jalali</c> and
/// <c>gregorian</c> (optionally <c>"long"</c>), <c>persian_digits</c>, <c>latin_digits</c>, <c>money</c> (rials shown
/// in the business's unit, or <c>"toman"</c>/<c>"rial"</c>), <c>url</c>. A variable that is not defined, an unknown
/// filter, a syntax error or a template that runs too long is an error. Digits, dates and money follow the culture
/// the message is rendered in (fa: Persian digits, Jalali; en: Latin digits).
/// </remarks>
public sealed partial class MessageTemplates(
    IDbContextFactory<PayvandDb> dbFactory, GetContact people, ListCustomFields customFields, PayvandSettings settings,
    IStringLocalizer<SharedResource> text)
{
    // Bounds for text written by users (README of Fluid, "Rendering user-provided templates").
    private const int MaxSteps = 100_000;
    private const int MaxOutput = 1_000_000;
    private const int MaxCacheEntries = 500;

    private static readonly FluidParser Parser = new();

    private static readonly TemplateOptions BaseOptions = new TemplateOptionsBuilder()
        .WithMaxSteps(MaxSteps)
        .WithMaxOutputSize(MaxOutput)
        .WithMaxRecursion(20)
        .WithMaxCollectionSize(10_000)
        .WithStrictFilters()
        .ConfigureMemberAccess(s => s.Register<FieldsView, object?>((view, name, context) => view.Get(name, context)))
        .AddPayvandFilters()
        .Build();

    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    // Parsed templates by their text (thread-safe, reused by every rendering of the same text).
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Parsed = new(StringComparer.Ordinal);

    /// <summary>
    /// The culture a message of a template is rendered in for a person: the template's language when it has one, else the
    /// person's, else the business's (Payvand:Culture).
    /// </summary>
    public static CultureInfo CultureFor(TemplateLanguage language, string? personLanguage, string? businessCulture) => CultureInfo.GetCultureInfo(language switch
    {
        TemplateLanguage.Fa => Cultures.Persian,
        TemplateLanguage.En => Cultures.English,
        _ => Cultures.Normalize(personLanguage ?? businessCulture),
    });

    /// <summary>The names a sender's value may have: lower-case letters, digits and _, not starting with a digit, not "person".</summary>
    public static bool IsValueName(string name) => ValueName().IsMatch(name) && name != "person";

    /// <summary>
    /// Checks a template before it is saved: its syntax (with line and column), and that it renders for a sample person
    /// with unknown person fields and filters reported. Names at the top level other than <c>person</c> are taken as
    /// values the sender will give. Empty when the template is good.
    /// </summary>
    public async Task<IReadOnlyList<TemplateError>> Validate(TemplateText template, CancellationToken ct)
    {
        var person = await SamplePerson(ct);
        var errors = new List<TemplateError>();
        foreach (var (field, source, html) in Parts(template))
        {
            if (!TryParse(field, source, errors, out var parsed)) continue;
            foreach (var culture in new[] { CultureInfo.GetCultureInfo(Cultures.Persian), CultureInfo.GetCultureInfo(Cultures.English) })
            {
                var (_, error) = await RenderPart(field, parsed, person, null, culture, MoneyUnit.Toman, html, ct);
                if (error is null) continue;
                errors.Add(error);
                break;
            }
        }
        return errors;
    }

    /// <summary>
    /// Renders a saved template for a person in a culture (fa-IR or en-US), with the sender's values by name. The person
    /// is read as <paramref name="viewer"/> may see them (null: the system, every branch). Fails with errors (never a
    /// message) when the template or person is missing, the template is archived, or any part fails to render.
    /// </summary>
    public async Task<RenderResult> Render(
        int templateId, int personId, IReadOnlyDictionary<string, string?> values, CultureInfo culture, UserScope? viewer, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var t = await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(x => x.Id == templateId, ct);
        if (t is null || t.ArchivedAt is not null) return Failed("templateId", text["The template was not found or is archived."]);
        return await Render(new TemplateText(t.Channel, t.Subject, t.Body, t.HtmlBody), personId, values, culture, viewer, ct);
    }

    /// <summary>Renders a template's text (saved or not) for a person; see the other overload.</summary>
    public async Task<RenderResult> Render(
        TemplateText template, int personId, IReadOnlyDictionary<string, string?> values, CultureInfo culture, UserScope? viewer, CancellationToken ct)
    {
        var errors = new List<TemplateError>();
        foreach (var name in values.Keys.Where(k => !IsValueName(k)))
        {
            errors.Add(new TemplateError("values", text["The value name {0} may hold only lower-case English letters, digits and _ (not person).", name]));
        }
        if (errors.Count > 0) return new RenderResult(null, errors);

        var details = await people.Handle(personId, viewer ?? UserScope.System, ct);
        if (details is null) return Failed("personId", text["The person was not found."]);
        var person = await PersonModel(details, ct);
        var unit = (await settings.Get(ct)).MoneyUnit;

        string? subject = null, body = "", html = null;
        foreach (var (field, source, isHtml) in Parts(template))
        {
            if (!TryParse(field, source, errors, out var parsed)) continue;
            var (output, error) = await RenderPart(field, parsed, person, values, culture, unit, isHtml, ct);
            if (error is not null)
            {
                errors.Add(error);
                continue;
            }
            switch (field)
            {
                case "subject": subject = output.Trim(); break;
                case "body": body = output.Trim(); break;
                default: html = output; break;
            }
        }
        if (errors.Count > 0) return new RenderResult(null, errors);
        var sms = template.Channel == ConsentChannel.Sms ? SmsParts.Of(body) : null;
        return new RenderResult(new RenderedMessage(subject, body, html, sms), []);
    }

    private static RenderResult Failed(string field, string message) => new(null, [new TemplateError(field, message)]);

    private static IEnumerable<(string Field, string Source, bool Html)> Parts(TemplateText t)
    {
        if (t.Subject is not null) yield return ("subject", t.Subject, false);
        yield return ("body", t.Body, false);
        if (t.HtmlBody is not null) yield return ("htmlBody", t.HtmlBody, true);
    }

    private bool TryParse(string field, string source, List<TemplateError> errors, out IFluidTemplate parsed)
    {
        if (Parsed.TryGetValue(source, out parsed!)) return true;
        try
        {
            parsed = Parser.Parse(source);
        }
        catch (ParseException e)
        {
            var (line, column) = e.Position is { } p ? (p.Line, p.Column) : ((int?)null, (int?)null);
            errors.Add(new TemplateError(field, Located(line, column, Reason(e.Message)), line, column));
            return false;
        }
        if (Parsed.Count >= MaxCacheEntries) Parsed.Clear();
        Parsed[source] = parsed;
        return true;
    }

    // Fluid's message without the position and source it appends ("... at (2:21)\nSource:\n..."): the line and column
    // are given in the caller's language instead.
    private static string Reason(string message)
    {
        var first = message.Split('\n')[0].TrimEnd();
        var at = first.LastIndexOf(" at (", StringComparison.Ordinal);
        return at > 0 ? first[..at] : first;
    }

    private string Located(int? line, int? column, string message) => line is { } l && column is { } c
        ? text["Line {0}, column {1}: {2}", Digits(l), Digits(c), message]
        : message;

    private static string Digits(int n) => Cultures.IsPersian(CultureInfo.CurrentUICulture)
        ? PersianText.ToPersianDigits(n.ToString(CultureInfo.InvariantCulture))
        : n.ToString(CultureInfo.InvariantCulture);

    // Renders one part. values null: validating, so names the sender will give are not known and read as nil, but an
    // unknown name under person is still an error.
    private async Task<(string Output, TemplateError? Error)> RenderPart(
        string field, IFluidTemplate parsed, Dictionary<string, object?> person, IReadOnlyDictionary<string, string?>? values,
        CultureInfo culture, MoneyUnit unit, bool html, CancellationToken ct)
    {
        var undefined = new List<string>();
        var options = BaseOptions.ToBuilder()
            .WithCultureInfo(culture)
            .WithUndefined((path, _) =>
            {
                if (values is not null) undefined.Add(path);
                return ValueTask.FromResult<FluidValue>(NilValue.Instance);
            })
            .Build();
        var context = new TemplateContext(options) { CancellationToken = ct };
        context.AmbientValues[TemplateFilters.MoneyUnitKey] = unit;
        context.AmbientValues[FieldsView.UnknownKey] = undefined;
        context.SetValue("person", FluidValue.Create(new FieldsView("person", person), options));
        foreach (var (name, value) in values ?? new Dictionary<string, string?>())
        {
            context.SetValue(name, value is null ? NilValue.Instance : StringValue.Create(value));
        }

        string output;
        try
        {
            output = html ? await parsed.RenderAsync(context, Html) : await parsed.RenderAsync(context, NullEncoder.Default);
        }
        catch (FluidException e)
        {
            return ("", new TemplateError(field, e.Message));
        }
        catch (InvalidOperationException e)
        {
            return ("", new TemplateError(field, e.Message));
        }
        if (undefined.Count > 0)
        {
            var first = undefined[0];
            return ("", new TemplateError(field, first.StartsWith("person", StringComparison.Ordinal)
                ? text["{0} is not a field of the person.", first]
                : text["No value named {0} was given.", first]));
        }
        return (output, null);
    }

    // What a template may read of a person: plain values only.
    private async Task<Dictionary<string, object?>> PersonModel(ContactDetails p, CancellationToken ct)
    {
        var custom = (await customFields.Handle(CustomFieldTarget.Contact, includeInactive: true, ct))
            .ToDictionary(f => f.Key, f => (object?)(p.CustomFields.TryGetValue(f.Key, out var v) ? v : null), StringComparer.Ordinal);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["first_name"] = p.FirstName,
            ["last_name"] = p.LastName,
            ["full_name"] = p.DisplayName,
            ["mobile"] = p.Points.FirstOrDefault(x => x.Kind == ContactPointKind.Mobile)?.Value,
            ["email"] = p.Points.FirstOrDefault(x => x.Kind == ContactPointKind.Email)?.Value,
            ["city"] = p.City,
            ["province"] = p.Province,
            ["birth_date"] = p.BirthDate is { } b ? new DateTimeOffset(b.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            ["branch"] = p.BranchName,
            ["custom"] = new FieldsView("person.custom", custom),
        };
    }

    // A person with every field filled, for checking a template before anyone is chosen.
    private async Task<Dictionary<string, object?>> SamplePerson(CancellationToken ct)
    {
        var custom = (await customFields.Handle(CustomFieldTarget.Contact, includeInactive: true, ct))
            .ToDictionary(f => f.Key, f => (object?)(f.Type switch
            {
                CustomFieldType.Number => "1",
                CustomFieldType.Date => "2000-01-01",
                CustomFieldType.Choice => f.Choices.Count > 0 ? f.Choices[0] : "x",
                _ => "x",
            }), StringComparer.Ordinal);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["first_name"] = "x",
            ["last_name"] = "x",
            ["full_name"] = "x",
            ["mobile"] = "09120000000",
            ["email"] = "x@example.com",
            ["city"] = "x",
            ["province"] = "x",
            ["birth_date"] = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero),
            ["branch"] = "x",
            ["custom"] = new FieldsView("person.custom", custom),
        };
    }

    // The fields of a person (or of their custom fields) as a template reads them: a name that is not one of them is
    // noted as unknown (an error), where a dictionary would quietly give nothing. Holds nothing a template can reach but
    // the fields' values.
    private sealed class FieldsView(string path, Dictionary<string, object?> fields)
    {
        internal const string UnknownKey = "payvand.unknown";

        internal object? Get(string name, TemplateContext context)
        {
            if (fields.TryGetValue(name, out var value)) return value;
            if (context.AmbientValues.TryGetValue(UnknownKey, out var list) && list is List<string> unknown) unknown.Add(path + "." + name);
            return null;
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,49}$", RegexOptions.CultureInvariant)]
    private static partial Regex ValueName();
}
