using System.Globalization;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Components.Shared;

// Formatting for the screen in the user's language: Jalali dates and Persian digits in fa, ISO and Latin in en.
public static class UiText
{
    private static bool Persian => Cultures.IsPersian(CultureInfo.CurrentUICulture);

    public static string Date(DateOnly? date) => date is not { } d ? "" : Persian ? Jalali.Format(d) : d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Instant(DateTime? utc, string timeZone = "Asia/Tehran")
    {
        if (utc is not { } value) return "";
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(value, DateTimeKind.Utc), zone);
        var time = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        return Persian
            ? $"{Jalali.Format(DateOnly.FromDateTime(local))} {PersianText.ToPersianDigits(time)}"
            : $"{local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} {time}";
    }

    public static string Number(long value) => PersianText.Grouped(value, Persian);

    public static string Phone(string e164) => IranianPhone.Format(e164, Persian);
}
