using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Contacts;

// A mobile, phone, email or fax of a person (ContactPoint) or a company (CompanyPoint), each kind in a table of its own.
// NormalizedValue is E.164 for numbers, lower-case for emails.
public abstract class RecordPoint
{
    public int Id { get; set; }

    public ContactPointKind Kind { get; set; }

    public string Value { get; set; } = "";

    public string NormalizedValue { get; set; } = "";

    public string? Label { get; set; }

    public bool IsPrimary { get; set; }
}

// The points of a person's or company's form: checked and normalized (E.164 numbers, lower-case emails) with a field
// error per bad one, then merged into the record's points so unchanged ones keep their rows.
public static class ContactPoints
{
    public static List<TPoint> Read<TPoint>(List<ContactPointInput> input, Validator v) where TPoint : RecordPoint, new()
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
            points.Add(new TPoint
            {
                Kind = p.Kind,
                Value = p.Kind == ContactPointKind.Email ? normalized : PersianText.ToLatinDigits(p.Value).Trim(),
                NormalizedValue = normalized,
                Label = p.Label?.Trim(),
                IsPrimary = p.IsPrimary,
            });
        }

        return points;
    }

    // Keeps the rows of unchanged points (their ids and history), removes dropped ones and adds new ones.
    public static void Merge<TPoint>(List<TPoint> current, List<TPoint> wanted) where TPoint : RecordPoint
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

internal static class RecordPointsAndTags
{
    // A customer record's points and tags, each kind of record in tables of its own ({prefix}Points, {prefix}Tags),
    // indexed by normalized value and by name for search, duplicates and filters.
    public static void OwnsPointsAndTags<T, TPoint, TTag>(
        this EntityTypeBuilder<T> b, Expression<Func<T, IEnumerable<TPoint>?>> points, Expression<Func<T, IEnumerable<TTag>?>> tags, string prefix)
        where T : class
        where TPoint : RecordPoint
        where TTag : RecordTag
    {
        b.OwnsMany(points, p =>
        {
            p.ToTable(prefix + "Points");
            p.HasKey(nameof(RecordPoint.Id));
            p.Property(nameof(RecordPoint.Value)).HasMaxLength(200);
            p.Property(nameof(RecordPoint.NormalizedValue)).HasMaxLength(200);
            p.Property(nameof(RecordPoint.Label)).HasMaxLength(50);
            p.HasIndex(nameof(RecordPoint.NormalizedValue));
        });
        b.OwnsMany(tags, t =>
        {
            t.ToTable(prefix + "Tags");
            t.HasKey(nameof(RecordTag.Id));
            t.Property(nameof(RecordTag.Name)).HasMaxLength(RecordTag.MaxLength);
            t.HasIndex(nameof(RecordTag.Name));
        });
    }
}
