using System.Diagnostics.CodeAnalysis;
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

    // Codes, order numbers, tags and addresses as stored (searchable text keeps Latin digits), with Persian digits in fa.
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Digits(string? text) => text is null ? null : Persian ? PersianText.ToPersianDigits(text) : text;

    // "09:00" (a time of day) with the user's digits.
    public static string Time(TimeOnly? time) => time is { } t ? Digits(t.ToString("HH:mm", CultureInfo.InvariantCulture)) : "";

    // A phone number kept whole and left to right inside Persian text (PersianText.LeftToRight).
    public static string Phone(string e164) => PersianText.LeftToRight(IranianPhone.Format(e164, Persian));

    // Between the parts of one line of text: "، " in Persian (a middle dot reads as a zero), " · " in English.
    public static string Separator => PersianText.Separator(Persian);

    // Items of one list (roles, branches, fields): "a، b" in Persian, "a, b" in English.
    public static string List(IEnumerable<string> items) => string.Join(Persian ? "\u060C " : ", ", items);
}
