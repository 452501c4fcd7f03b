using Payvand.Platform.Errors;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Contacts;

// A mobile, phone, email or fax of a person (ContactPoint) or a company (CompanyPoint): each has its own table.
public interface IContactPoint
{
    ContactPointKind Kind { get; set; }

    string Value { get; set; }

    string NormalizedValue { get; set; }

    string? Label { get; set; }

    bool IsPrimary { get; set; }
}

// The points of a person's or company's form: checked and normalized (E.164 numbers, lower-case emails) with a field
// error per bad one, then merged into the record's points so unchanged ones keep their rows.
public static class ContactPoints
{
    public static List<TPoint> Read<TPoint>(List<ContactPointInput> input, Validator v, Func<TPoint> newPoint) where TPoint : IContactPoint
    {
        var points = new List<TPoint>();
        for (var i = 0; i < input.Count; i++)
        {
            var p = input[i];
            var field = $"points[{i}].value";
            if (string.IsNullOrWhiteSpace(p.Value))
            {
                v.Add(field, "{0} is required.", v.Text["Value"]);
                continue;
            }

            var normalized = ContactInput.NormalizePoint(p.Kind, p.Value);
            if (normalized is null)
            {
                v.Add(field, p.Kind == ContactPointKind.Email ? "The email address is not valid." : "The phone number is not valid.");
                continue;
            }

            if (points.Any(x => x.NormalizedValue == normalized)) continue;
            var point = newPoint();
            point.Kind = p.Kind;
            point.Value = p.Kind == ContactPointKind.Email ? normalized : PersianText.ToLatinDigits(p.Value).Trim();
            point.NormalizedValue = normalized;
            point.Label = p.Label?.Trim();
            point.IsPrimary = p.IsPrimary;
            points.Add(point);
        }

        return points;
    }

    // Keeps the rows of unchanged points (their ids and history), removes dropped ones and adds new ones.
    public static void Merge<TPoint>(List<TPoint> current, List<TPoint> wanted) where TPoint : IContactPoint
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
}
