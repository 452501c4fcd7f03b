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
public sealed record ContactInput : CustomerInput
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

    public string? PostalCode { get; init; }

    public PreferencesInput? Preferences { get; init; }

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
        var points = ContactPoints.Read<ContactPoint>(Points, v);
        var tags = RecordTags.Read(Tags, v);
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
        ContactPoints.Merge(contact.Points, points);
        RecordTags.Apply(contact.Tags, tags);
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

    // Display text: trimmed, single spaces, Arabic ي/ك stored as Persian ی/ک (ZWNJ kept, it is part of the spelling).
    internal static string? Clean(string? s)
    {
        s = StoredText.CleanOrNull(s); // control characters are not stored (StoredText): text of only them is none
        if (string.IsNullOrWhiteSpace(s)) return null;
        var text = string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return PersianText.PersianLetters(text);
    }
}
