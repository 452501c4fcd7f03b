using System.Globalization;

namespace Payvand.Platform.Persian;

// Jalali (Solar Hijri) dates through System.Globalization.PersianCalendar: the only way Jalali text is read or written.
public static class Jalali
{
    public const int MinParseYear = 1200;
    public const int MaxParseYear = 1500;

    private static readonly PersianCalendar Calendar = new();

    private static readonly string[] MonthNames =
    [
        "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
        "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
    ];

    // "1403/01/01" (yyyy/MM/dd), in Persian digits unless asked otherwise.
    public static string Format(DateOnly date, bool persianDigits = true)
    {
        var (y, m, d) = FromGregorian(date);
        var text = string.Create(CultureInfo.InvariantCulture, $"{y:0000}/{m:00}/{d:00}");
        return persianDigits ? PersianText.ToPersianDigits(text) : text;
    }

    // "۱ فروردین ۱۴۰۳": day, Persian month name, year.
    public static string FormatLong(DateOnly date, bool persianDigits = true)
    {
        var (y, m, d) = FromGregorian(date);
        var text = string.Create(CultureInfo.InvariantCulture, $"{d} {MonthName(m)} {y}");
        return persianDigits ? PersianText.ToPersianDigits(text) : text;
    }

    // فروردین for 1 ... اسفند for 12.
    public static string MonthName(int month) =>
        month is >= 1 and <= 12 ? MonthNames[month - 1] : throw new ArgumentOutOfRangeException(nameof(month));

    // Reads year/month/day separated by "/", "-" or "." (the same one twice), digits in any script.
    // Rejects dates that do not exist in the Jalali calendar and years outside 1200-1500.
    public static bool TryParse(string? text, out DateOnly date)
    {
        date = default;
        var s = PersianText.ToLatinDigits(text).Trim();
        var separator = s.IndexOfAny(['/', '-', '.']) is var i and >= 0 ? s[i] : '\0';
        if (separator == '\0') return false;
        var parts = s.Split(separator);
        if (parts.Length != 3) return false;
        if (!TryNumber(parts[0], 4, 4, out var y) || !TryNumber(parts[1], 1, 2, out var m) || !TryNumber(parts[2], 1, 2, out var d))
        {
            return false;
        }
        if (y is < MinParseYear or > MaxParseYear || m is < 1 or > 12) return false;
        if (d < 1 || d > Calendar.GetDaysInMonth(y, m)) return false;
        date = ToGregorian(y, m, d);
        return true;
    }

    // Throws ArgumentOutOfRangeException for a day that does not exist.
    public static DateOnly ToGregorian(int year, int month, int day) =>
        DateOnly.FromDateTime(Calendar.ToDateTime(year, month, day, 0, 0, 0, 0));

    public static (int Year, int Month, int Day) FromGregorian(DateOnly date)
    {
        var dt = date.ToDateTime(TimeOnly.MinValue);
        return (Calendar.GetYear(dt), Calendar.GetMonth(dt), Calendar.GetDayOfMonth(dt));
    }

    // The number of days in a Jalali month (Esfand has 30 in leap years).
    public static int DaysInMonth(int year, int month) => Calendar.GetDaysInMonth(year, month);

    private static bool TryNumber(string part, int minLength, int maxLength, out int value)
    {
        value = 0;
        var p = part.Trim();
        if (p.Length < minLength || p.Length > maxLength) return false;
        foreach (var c in p)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
