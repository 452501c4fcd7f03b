using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Persian;

namespace Payvand.Modules.CustomFields;

// A list's cf.<key>=value filter: the ids of the records of one kind whose custom field matches. Text and choice
// fields match the value exactly; number and date fields also take a range "min..max" (either end may be left out).
// An unknown key matches nothing.
public static class CustomFieldFilter
{
    public static IQueryable<int> Records(PayvandDb db, CustomFieldTarget target, string key, string raw)
    {
        var field = db.CustomFields.AsNoTracking().FirstOrDefault(x => x.Key == key && x.Target == target);
        if (field is null) return db.CustomFieldValues.Where(_ => false).Select(v => v.RecordId);
        var values = db.CustomFieldValues.Where(v => v.FieldId == field.Id && v.Target == target);
        var text = PersianText.ToLatinDigits(raw).Trim();
        var (min, max) = text.Contains("..", StringComparison.Ordinal) ? (text.Split("..")[0], text.Split("..")[1]) : (text, text);
        switch (field.Type)
        {
            case CustomFieldType.Number:
                if (decimal.TryParse(min, NumberStyles.Number, CultureInfo.InvariantCulture, out var lo)) values = values.Where(v => v.Number >= lo);
                if (decimal.TryParse(max, NumberStyles.Number, CultureInfo.InvariantCulture, out var hi)) values = values.Where(v => v.Number <= hi);
                break;
            case CustomFieldType.Date:
                if (DateOnly.TryParse(min, CultureInfo.InvariantCulture, out var from)) values = values.Where(v => v.Date >= from);
                if (DateOnly.TryParse(max, CultureInfo.InvariantCulture, out var to)) values = values.Where(v => v.Date <= to);
                break;
            default:
                values = values.Where(v => v.Text == raw.Trim());
                break;
        }

        return values.Select(v => v.RecordId);
    }
}
