using System.Globalization;

namespace Payvand.Platform.Persian;

// Reads a date the user typed in their UI language: Jalali for fa, ISO or the culture's short date otherwise.
public static class DateInput
{
    // The earliest year an ISO date typed in the fa UI is taken as Gregorian; below it the text is Jalali.
    private const int FirstGregorianYearForFa = 1600;

    // Digits in any script. fa: Jalali (1403/01/01), or an ISO Gregorian date (2024-03-20) whose year cannot be Jalali.
    // Other cultures: ISO yyyy-MM-dd, then the culture's short date patterns.
    public static bool TryParse(string? text, CultureInfo culture, out DateOnly date)
    {
        date = default;
        var s = PersianText.ToLatinDigits(text).Trim();
        if (s.Length == 0) return false;

        if (PersianText.IsPersianCulture(culture))
        {
            if (Jalali.TryParse(s, out date)) return true;
            if (!TryIso(s, out var gregorian) || gregorian.Year < FirstGregorianYearForFa) return false;
            date = gregorian;
            return true;
        }

        if (TryIso(s, out date)) return true;
        var patterns = culture.DateTimeFormat.GetAllDateTimePatterns('d');
        return DateOnly.TryParseExact(s, patterns, culture, DateTimeStyles.AllowWhiteSpaces, out date);
    }

    private static bool TryIso(string s, out DateOnly date) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
