using System.Globalization;

namespace Payvand.Platform.Audit;

// A field's value as an audit entry stores it: invariant and unambiguous, whoever made the change and in whatever
// language, so readers can show it in theirs (AuditText). Dates are ISO (1993-08-05, not the invariant culture's
// 08/05/1993), instants ISO 8601 round-trip, times 24-hour.
public static class AuditValue
{
    public static string? Text(object? value) => value switch
    {
        null => null,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
