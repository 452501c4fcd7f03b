using System.Globalization;
using Payvand.Platform.Errors;
using Payvand.Platform.Persian;

namespace Payvand.Modules.CustomFields;

// Parsing and storing custom field values: text for every type on the wire, typed columns in the database.
public static class CustomFieldRules
{
    public static List<CustomFieldValue> Parse(Dictionary<string, string?> input, IReadOnlyList<CustomFieldDefinition> fields, Validator v)
    {
        var values = new List<CustomFieldValue>();
        foreach (var (key, raw) in input)
        {
            var field = fields.FirstOrDefault(f => f.Key == key && f.IsActive);
            var name = $"customFields.{key}";
            if (field is null)
            {
                v.Add(name, "There is no custom field named {0}.", key);
                continue;
            }

            if (string.IsNullOrWhiteSpace(raw))
            {
                values.Add(new CustomFieldValue { FieldId = field.Id, Target = field.Target });
                continue;
            }

            var text = PersianText.ToLatinDigits(raw).Trim();
            var value = new CustomFieldValue { FieldId = field.Id, Target = field.Target };
            switch (field.Type)
            {
                case CustomFieldType.Number when decimal.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var n):
                    value.Number = n;
                    break;
                case CustomFieldType.Number:
                    v.Add(name, "{0} must be a number.", field.Label(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fa"));
                    continue;
                case CustomFieldType.Date when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d):
                    value.Date = d;
                    break;
                case CustomFieldType.Date when Jalali.TryParse(text, out var jd):
                    value.Date = jd;
                    break;
                case CustomFieldType.Date:
                    v.Add(name, "{0} must be a date.", field.Label(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fa"));
                    continue;
                case CustomFieldType.Choice when MatchChoice(field, raw) is { } choice:
                    value.Text = choice;
                    break;
                case CustomFieldType.Choice:
                    v.Add(name, "{0} must be one of: {1}.", field.Label(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fa"), string.Join("، ", field.Choices));
                    continue;
                default:
                    value.Text = raw.Trim().Length > 500 ? raw.Trim()[..500] : raw.Trim();
                    break;
            }

            values.Add(value);
        }

        return values;
    }

    // The defined choice a typed value stands for, whatever its letters (ي/ی, ك/ک), digits or spacing.
    public static string? MatchChoice(CustomFieldDefinition field, string raw)
    {
        var wanted = PersianText.Normalize(raw);
        return field.Choices.FirstOrDefault(c => c == raw.Trim()) ?? field.Choices.FirstOrDefault(c => PersianText.Normalize(c) == wanted);
    }

    // Applies parsed values to a record's current rows: empty input removes a value, others insert or update.
    // Returns the rows removed from the list, for the caller to delete.
    public static List<CustomFieldValue> Merge(List<CustomFieldValue> current, List<CustomFieldValue> parsed, CustomFieldTarget target, int recordId)
    {
        var removed = new List<CustomFieldValue>();
        foreach (var p in parsed)
        {
            var existing = current.FirstOrDefault(c => c.FieldId == p.FieldId);
            var empty = p.Text is null && p.Number is null && p.Date is null;
            if (existing is null)
            {
                if (empty) continue;
                p.Target = target;
                p.RecordId = recordId;
                current.Add(p);
            }
            else if (empty)
            {
                current.Remove(existing);
                removed.Add(existing);
            }
            else
            {
                existing.Text = p.Text;
                existing.Number = p.Number;
                existing.Date = p.Date;
            }
        }

        return removed;
    }

    public static string? Display(CustomFieldValue value, CustomFieldDefinition field, bool persian) => field.Type switch
    {
        CustomFieldType.Number => value.Number?.ToString("0.####", CultureInfo.InvariantCulture),
        CustomFieldType.Date => value.Date is { } d ? (persian ? Jalali.Format(d, persianDigits: false) : d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : null,
        _ => value.Text,
    };

    // Wire format: numbers invariant, dates ISO.
    public static string? Wire(CustomFieldValue value) =>
        value.Number?.ToString("0.####", CultureInfo.InvariantCulture)
        ?? value.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        ?? value.Text;
}
