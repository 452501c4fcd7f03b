using System.Globalization;
using System.Text;

namespace Payvand.Platform.Persian;

// An amount of money, always stored as whole rials.
public readonly record struct Money(long Rials, string Currency = "IRR");

// The unit amounts are shown and typed in; one toman is ten rials.
public enum MoneyUnit { Rial, Toman }

// Shows and reads amounts in rials or tomans for the UI culture (never the framework's fa-IR currency format).
public static class MoneyFormatter
{
    public const char PersianThousandsSeparator = '\u066C'; // ٬
    public const char PersianDecimalSeparator = '\u066B'; // ٫
    public const char MinusSign = '\u2212'; // −, placed before the digits in every culture

    // fa: "۱٬۲۳۴٬۵۰۰ تومان", "−۱۲٬۳۴۵ ریال". Others: "1,234,500 toman", "12,345,000 rials", "1 rial".
    // Tomans show one decimal only when the rials are not a multiple of ten ("1,234.5 toman").
    public static string Format(long rials, MoneyUnit unit, CultureInfo culture)
    {
        // The magnitude as ulong so that long.MinValue has one too.
        var magnitude = rials < 0 ? (ulong)(-(rials + 1)) + 1 : (ulong)rials;
        var whole = unit == MoneyUnit.Toman ? magnitude / 10 : magnitude;
        var tenth = unit == MoneyUnit.Toman ? magnitude % 10 : 0;
        var invariant = whole.ToString("#,0", CultureInfo.InvariantCulture) + (tenth == 0 ? "" : "." + tenth.ToString(CultureInfo.InvariantCulture));

        var persian = PersianText.IsPersianCulture(culture);
        var number = persian
            ? PersianText.ToPersianDigits(Localize(invariant, PersianThousandsSeparator.ToString(), PersianDecimalSeparator.ToString()))
            : Localize(invariant, culture.NumberFormat.NumberGroupSeparator, culture.NumberFormat.NumberDecimalSeparator);
        var word = (persian, unit) switch
        {
            (true, MoneyUnit.Rial) => "ریال",
            (true, _) => "تومان",
            (false, MoneyUnit.Rial) => magnitude == 1 ? "rial" : "rials",
            (false, _) => "toman",
        };
        return $"{(rials < 0 ? MinusSign.ToString() : "")}{number} {word}";
    }

    // Reads an amount typed in the given unit: digits in any script, thousands separators "," "٬" "،" (groups of three),
    // decimal point "." "٫" or "/", an optional leading sign. Fails unless the result is a whole number of rials.
    public static bool TryParseAmount(string? text, MoneyUnit unit, out long rials)
    {
        rials = 0;
        var s = new string(PersianText.ToLatinDigits(text).Where(c => !char.IsWhiteSpace(c) && c != '\u200C').ToArray());
        if (s.Length == 0) return false;

        var negative = s[0] is '-' or MinusSign;
        if (s[0] is '-' or MinusSign or '+') s = s[1..];

        var point = s.IndexOfAny(['.', '/']);
        var integerPart = point < 0 ? s : s[..point];
        var fraction = point < 0 ? "" : s[(point + 1)..];
        if (!TryUngroup(integerPart, out var integerDigits)) return false;
        if (integerDigits.Length + fraction.Length == 0 || fraction.Any(c => c is < '0' or > '9')) return false;

        var invariant = (integerDigits.Length == 0 ? "0" : integerDigits) + (fraction.Length == 0 ? "" : "." + fraction);
        if (!decimal.TryParse(invariant, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)) return false;

        var inRials = (negative ? -amount : amount) * (unit == MoneyUnit.Toman ? 10 : 1);
        if (inRials != decimal.Truncate(inRials) || inRials < long.MinValue || inRials > long.MaxValue) return false;
        rials = (long)inRials;
        return true;
    }

    private static string Localize(string invariant, string groupSeparator, string decimalSeparator)
    {
        var sb = new StringBuilder(invariant.Length + 4);
        foreach (var c in invariant)
        {
            if (c == ',') sb.Append(groupSeparator);
            else if (c == '.') sb.Append(decimalSeparator);
            else sb.Append(c);
        }
        return sb.ToString();
    }

    // "1,234,500" -> "1234500"; groups after the first must have three digits, so "12,5" is not read as 125.
    private static bool TryUngroup(string part, out string digits)
    {
        digits = "";
        var groups = part.Split([',', '\u060C']);
        for (var i = 0; i < groups.Length; i++)
        {
            var g = groups[i];
            if (g.Any(c => c is < '0' or > '9')) return false;
            if (groups.Length > 1 && (i == 0 ? g.Length is 0 or > 3 : g.Length != 3)) return false;
        }
        digits = string.Concat(groups);
        return true;
    }
}
