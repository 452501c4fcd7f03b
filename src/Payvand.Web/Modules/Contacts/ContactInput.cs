using System.Net.Mail;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Contacts;

public sealed record ContactPointInput(ContactPointKind Kind, string Value, string? Label = null, bool IsPrimary = false);

public sealed record PreferencesInput(
    ContactPointKind? PreferredChannel = null, ContactDays BestDays = ContactDays.None, TimeOnly? BestFrom = null,
    TimeOnly? BestTo = null, string? Language = null);

// What a person's form or an API client sends to create or change a person. Text may use Persian or Arabic
// letters and digits in any script; it is normalized here, once, for storage.
public sealed record ContactInput
{
    // Bounds on what one record holds (a person or a company): more phones and emails than anyone has, more tags
    // than a list can show, more custom values than fields can be defined.
    public const int MaxPoints = 20;
    public const int MaxTags = 50;
    public const int MaxCustomFields = 200;

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? NationalCode { get; init; }

    // ISO yyyy-MM-dd (Gregorian). The UI converts Jalali input before it gets here.
    public DateOnly? BirthDate { get; init; }

    public Gender Gender { get; init; }

    public string? JobTitle { get; init; }

    public int? CompanyId { get; init; }

    public string? Address { get; init; }

    public string? City { get; init; }

    public string? Province { get; init; }

    public string? PostalCode { get; init; }

    public RecordSource? Source { get; init; }

    public LifecycleStage Lifecycle { get; init; } = LifecycleStage.Lead;

    public int? OwnerId { get; init; }

    public int? BranchId { get; init; }

    public List<ContactPointInput> Points { get; init; } = [];

    public List<string> Tags { get; init; } = [];

    public PreferencesInput? Preferences { get; init; }

    // Custom field values by key; text for every type (numbers and ISO dates as text, choices by value).
    public Dictionary<string, string?> CustomFields { get; init; } = [];

    // Required on update: the version the client read. A different current version means someone else changed it (409).
    public int? Version { get; init; }

    // Checks every field, collecting all messages, then applies the input to the entity.
    public List<CustomFieldValue> ApplyTo(Contact contact, Validator v, IReadOnlyList<CustomFieldDefinition> fields, List<CustomFieldValue> values, DateOnly today)
    {
        v.Required("lastName", LastName, "Last name");
        v.MaxLength("firstName", FirstName, 100, "First name");
        v.MaxLength("lastName", LastName, 100, "Last name");
        v.MaxLength("jobTitle", JobTitle, 100, "Job title");
        v.MaxLength("address", Address, 500, "Address");
        v.MaxLength("city", City, 100, "City");
        v.MaxLength("province", Province, 100, "Province");

        string? nationalCode = null;
        if (!string.IsNullOrWhiteSpace(NationalCode))
        {
            var result = Payvand.Platform.Persian.NationalCode.Validate(NationalCode);
            if (result.IsValid) nationalCode = result.Normalized;
            else v.Add("nationalCode", "The national code is not valid.");
        }

        if (BirthDate is { } birth && (birth > today || birth < today.AddYears(-130)))
        {
            v.Add("birthDate", "The birth date is not plausible.");
        }

        CheckCounts(v, Points, Tags, CustomFields);

        var points = new List<ContactPoint>();
        for (var i = 0; i < Points.Count; i++)
        {
            var p = Points[i];
            var field = $"points[{i}].value";
            if (string.IsNullOrWhiteSpace(p.Value))
            {
                v.Add(field, "{0} is required.", v.Text["Value"]);
                continue;
            }

            var normalized = NormalizePoint(p.Kind, p.Value);
            if (normalized is null)
            {
                v.Add(field, p.Kind == ContactPointKind.Email ? "The email address is not valid." : "The phone number is not valid.");
                continue;
            }

            if (points.Any(x => x.NormalizedValue == normalized)) continue;
            points.Add(new ContactPoint
            {
                Kind = p.Kind,
                Value = p.Kind == ContactPointKind.Email ? normalized : PersianText.ToLatinDigits(p.Value).Trim(),
                NormalizedValue = normalized,
                Label = p.Label?.Trim(),
                IsPrimary = p.IsPrimary,
            });
        }

        var tags = Tags.Select(t => PersianText.Normalize(t)).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (tags.Any(t => t.Length > 50)) v.Add("tags", "A tag must be at most {0} characters.", 50);

        var customValues = CustomFieldRules.Parse(CustomFields, fields, v);
        if (Preferences is { BestFrom: { } from, BestTo: { } to } && to <= from)
        {
            v.Add("preferences.bestTo", "The end of the best time must be after its start.");
        }

        v.ThrowIfAny();

        contact.FirstName = Clean(FirstName);
        contact.LastName = Clean(LastName)!;
        contact.NationalCode = nationalCode;
        contact.BirthDate = BirthDate;
        contact.Gender = Gender;
        contact.JobTitle = Clean(JobTitle);
        contact.CompanyId = CompanyId;
        contact.Address = Clean(Address);
        contact.City = Clean(City);
        contact.Province = Clean(Province);
        contact.PostalCode = Clean(PersianText.ToLatinDigits(PostalCode));
        contact.Lifecycle = Lifecycle;
        contact.OwnerId = OwnerId;
        if (Source is { } source) contact.Source = source;
        MergePoints(contact.Points, points);
        contact.Tags.RemoveAll(t => !tags.Contains(t.Name));
        foreach (var tag in tags.Where(t => contact.Tags.All(x => x.Name != t))) contact.Tags.Add(new ContactTag { Name = tag });
        if (Preferences is { } prefs)
        {
            contact.Preferences.PreferredChannel = prefs.PreferredChannel;
            contact.Preferences.BestDays = prefs.BestDays;
            contact.Preferences.BestFrom = prefs.BestFrom;
            contact.Preferences.BestTo = prefs.BestTo;
            contact.Preferences.Language = Clean(prefs.Language);
        }

        contact.Touch();
        return CustomFieldRules.Merge(values, customValues, CustomFieldTarget.Contact, contact.Id);
    }

    // Collections past their bounds are refused before anything in them is read (each phone is normalized and compared
    // with the others: 10,000 took 20 seconds). Shared with companies.
    internal static void CheckCounts(Validator v, List<ContactPointInput> points, List<string> tags, Dictionary<string, string?> customFields)
    {
        if (points.Count <= MaxPoints && tags.Count <= MaxTags && customFields.Count <= MaxCustomFields) return;
        v.MaxCount("points", points, MaxPoints).MaxCount("tags", tags, MaxTags).MaxCount("customFields", customFields, MaxCustomFields);
        v.ThrowIfAny();
    }

    public static string? NormalizePoint(ContactPointKind kind, string value)
    {
        if (kind == ContactPointKind.Email)
        {
            var email = PersianText.ToLatinDigits(value).Trim().ToLowerInvariant();
            return MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && email.Contains('.', StringComparison.Ordinal) ? email : null;
        }

        return IranianPhone.TryNormalize(value, out var e164) ? e164 : null;
    }

    // Keeps the rows of unchanged points (their ids and history), removes dropped ones and adds new ones.
    private static void MergePoints(List<ContactPoint> current, List<ContactPoint> wanted)
    {
        current.RemoveAll(c => wanted.All(w => w.NormalizedValue != c.NormalizedValue || w.Kind != c.Kind));
        foreach (var w in wanted)
        {
            var existing = current.FirstOrDefault(c => c.NormalizedValue == w.NormalizedValue && c.Kind == w.Kind);
            if (existing is null)
            {
                current.Add(w);
            }
            else
            {
                existing.Value = w.Value;
                existing.Label = w.Label;
                existing.IsPrimary = w.IsPrimary;
            }
        }
    }

    // Display text: trimmed, single spaces, Arabic ي/ك stored as Persian ی/ک (ZWNJ kept, it is part of the spelling).
    internal static string? Clean(string? s)
    {
        s = StoredText.CleanOrNull(s); // control characters are not stored (StoredText): text of only them is none
        if (string.IsNullOrWhiteSpace(s)) return null;
        var text = string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return PersianText.PersianLetters(text);
    }
}
