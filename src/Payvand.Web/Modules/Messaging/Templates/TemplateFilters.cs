using System.Globalization;
using Fluid;
using Fluid.Values;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Messaging.Templates;

// The filters a template may use besides Liquid's own: dates in Jalali or Gregorian, digits, money in the business's
// unit and links. Each formats for the culture the message is rendered in (TemplateContext.CultureInfo).
internal static class TemplateFilters
{
    // AmbientValues key of the business's money unit for this rendering.
    internal const string MoneyUnitKey = "payvand.money-unit";

    private static readonly string[] PersianGregorianMonths =
    [
        "ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر",
    ];

    internal static TemplateOptionsBuilder AddPayvandFilters(this TemplateOptionsBuilder options) => options
        .AddFilter("jalali", JalaliDate)
        .AddFilter("gregorian", GregorianDate)
        .AddFilter("persian_digits", (input, _, context) => String(PersianText.ToPersianDigits(input.ToStringValue(context))))
        .AddFilter("latin_digits", (input, _, context) => String(PersianText.ToLatinDigits(input.ToStringValue(context))))
        .AddFilter("money", Money)
        .AddFilter("url", (input, _, context) => String(Uri.EscapeDataString(input.ToStringValue(context))));

    private static bool Persian(TemplateContext context) => context.CultureInfo.TwoLetterISOLanguageName == "fa";

    private static ValueTask<FluidValue> String(string s) => new(StringValue.Create(s));

    // {{ person.birth_date | jalali }} -> ۱۴۰۳/۰۱/۰۱ (fa) or 1403/01/01 (en); "long" -> ۱ فروردین ۱۴۰۳.
    private static ValueTask<FluidValue> JalaliDate(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        if (DateOf(input, context) is not { } date) return new(NilValue.Instance);
        var persian = Persian(context);
        return String(Long(arguments, context) ? Jalali.FormatLong(date, persian) : Jalali.Format(date, persian));
    }

    // {{ offer_ends | gregorian }} -> 2026/12/07 (۲۰۲۶/۱۲/۰۷ in fa); "long" -> 7 December 2026 (۷ دسامبر ۲۰۲۶).
    private static ValueTask<FluidValue> GregorianDate(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        if (DateOf(input, context) is not { } date) return new(NilValue.Instance);
        var persian = Persian(context);
        var text = Long(arguments, context)
            ? persian
                ? string.Create(CultureInfo.InvariantCulture, $"{date.Day} {PersianGregorianMonths[date.Month - 1]} {date.Year}")
                : date.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-US"))
            : date.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);
        return String(persian ? PersianText.ToPersianDigits(text) : text);
    }

    // {{ amount | money }}: an amount in rials shown as the business shows money (toman or rial, its setting), or in the
    // unit named: {{ amount | money: "rial" }}. Digits in any script are read.
    private static ValueTask<FluidValue> Money(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        if (input.IsNil()) return new(NilValue.Instance);
        long rials;
        if (input.Type == FluidValues.Number) rials = (long)decimal.Round(input.ToNumberValue(context));
        else if (!long.TryParse(PersianText.ToLatinDigits(input.ToStringValue(context)).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out rials))
        {
            throw new FluidException($"money: \"{input.ToStringValue(context)}\" is not an amount in rials.");
        }

        var unit = arguments.Count > 0
            ? arguments.At(0).ToStringValue(context).ToLowerInvariant() switch
            {
                "rial" => MoneyUnit.Rial,
                "toman" => MoneyUnit.Toman,
                var other => throw new FluidException($"money: the unit is \"toman\" or \"rial\", not \"{other}\"."),
            }
            : context.AmbientValues.TryGetValue(MoneyUnitKey, out var u) && u is MoneyUnit business ? business : MoneyUnit.Toman;
        return String(MoneyFormatter.Format(rials, unit, context.CultureInfo));
    }

    private static bool Long(FilterArguments arguments, TemplateContext context)
    {
        if (arguments.Count == 0) return false;
        var format = arguments.At(0).ToStringValue(context);
        return format == "long" ? true : throw new FluidException($"The date format is \"long\" or none, not \"{format}\".");
    }

    // A date value, or text of one: "2026-12-07" (custom date fields), an ISO instant, or a Jalali date "1403/01/01".
    private static DateOnly? DateOf(FluidValue input, TemplateContext context)
    {
        if (input.IsNil()) return null;
        if (input.ToObjectValue(context) is DateTimeOffset instant) return DateOnly.FromDateTime(instant.DateTime);
        if (input.ToObjectValue(context) is DateTime dt) return DateOnly.FromDateTime(dt);
        var s = PersianText.ToLatinDigits(input.ToStringValue(context)).Trim();
        if (s.Length == 0) return null;
        if (Jalali.TryParse(s, out var jalali)) return jalali; // years 1200-1500 only, so no Gregorian date is read as one
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return DateOnly.FromDateTime(at.UtcDateTime);
        throw new FluidException($"\"{input.ToStringValue(context)}\" is not a date.");
    }
}
