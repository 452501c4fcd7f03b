using Payvand.Modules.Contacts;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Companies;

// What a company's form or an API client sends to create or change a company. Letters and digits may be typed
// in any script; they are normalized here, once, for storage. Phones and emails follow the rules of people.
public sealed record CompanyInput : CustomerInput
{
    public string? Name { get; init; }

    // شناسه ملی: 11 digits.
    public string? NationalId { get; init; }

    // کد اقتصادی: digits.
    public string? EconomicCode { get; init; }

    public string? Industry { get; init; }

    public string? Website { get; init; }

    // Checks every field, collecting all messages, then applies the input to the entity.
    public List<CustomFieldValue> ApplyTo(Company company, Validator v, IReadOnlyList<CustomFieldDefinition> fields, List<CustomFieldValue> values)
    {
        v.Required("name", Name, "Company name");
        v.MaxLength("name", Name, 200, "Company name");
        v.MaxLength("industry", Industry, 100, "Industry");
        v.MaxLength("address", Address, 500, "Address");
        v.MaxLength("city", City, 100, "City");
        v.MaxLength("province", Province, 100, "Province");

        var nationalId = Digits(NationalId);
        if (nationalId is not null && (nationalId.Length != 11 || !nationalId.All(char.IsAsciiDigit)))
        {
            v.Add("nationalId", "The national ID must be 11 digits.");
        }

        var economicCode = Digits(EconomicCode);
        if (economicCode is not null && (economicCode.Length > 20 || !economicCode.All(char.IsAsciiDigit)))
        {
            v.Add("economicCode", "The economic code must be at most 20 digits.");
        }

        var website = NormalizeWebsite(Website);
        if (website is "") v.Add("website", "The website address is not valid.");

        ContactInput.CheckCounts(v, Points, Tags, CustomFields);
        var points = ContactPoints.Read<CompanyPoint>(Points, v);
        var tags = RecordTags.Read(Tags, v);

        var customValues = CustomFieldRules.Parse(CustomFields, fields, v);
        v.ThrowIfAny();

        company.Name = ContactInput.Clean(Name)!;
        company.NationalId = nationalId;
        company.EconomicCode = economicCode;
        company.Industry = ContactInput.Clean(Industry);
        company.Website = website;
        company.Address = ContactInput.Clean(Address);
        company.City = ContactInput.Clean(City);
        company.Province = ContactInput.Clean(Province);
        company.Lifecycle = Lifecycle;
        company.OwnerId = OwnerId;
        if (Source is { } source) company.Source = source;
        ContactPoints.Merge(company.Points, points);
        RecordTags.Apply(company.Tags, tags);
        company.Touch();
        return CustomFieldRules.Merge(values, customValues, CustomFieldTarget.Company, company.Id);
    }

    // Codes as typed ("۱۰۱ ۰۰۳۴-۵۶۷۸"): Latin digits, without spaces or dashes; null when empty.
    private static string? Digits(string? s)
    {
        var text = new string(PersianText.ToLatinDigits(s).Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        return text.Length == 0 ? null : text;
    }

    // "example.ir" -> "https://example.ir"; null when empty, "" when it is not a web address.
    private static string? NormalizeWebsite(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        var text = s.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = "https://" + text;
        return text.Length <= 200 && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https" && uri.Host.Contains('.', StringComparison.Ordinal) && !text.Any(char.IsWhiteSpace)
            ? text
            : "";
    }
}
