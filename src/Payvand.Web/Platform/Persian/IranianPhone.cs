using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace Payvand.Platform.Persian;

// Phone numbers as Iranians type them, normalized to E.164 ("+989121234567") for storage and matching.
public static class IranianPhone
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    // Accepts 09121234567, 9121234567, +98/0098/98 prefixes, landlines (021-88776655) and foreign numbers
    // written with + or 00; spaces, dashes, dots and parentheses and digits in any script are allowed.
    public static bool TryNormalize(string? input, out string e164)
    {
        e164 = "";
        if (!TryReadDigits(input, out var digits, out var international)) return false;

        if (international && !digits.StartsWith("98", StringComparison.Ordinal))
        {
            return TryLibrary("+" + digits, out e164);
        }

        string national;
        if (international) national = digits[2..];
        else if (digits.Length == 12 && digits.StartsWith("98", StringComparison.Ordinal)) national = digits[2..];
        else national = digits;
        if (national.StartsWith('0')) national = national[1..]; // trunk prefix, also the common "+98 0912..." slip

        // Every Iranian mobile is 9 + nine digits; the library's metadata can lag behind newly issued prefixes.
        if (national.Length == 10 && national[0] == '9')
        {
            e164 = "+98" + national;
            return true;
        }
        return national.Length > 0 && TryLibrary("+98" + national, out e164);
    }

    // True for Iranian mobiles (+989...) and foreign numbers the library classes as mobile.
    public static bool IsMobile(string e164)
    {
        if (e164.StartsWith("+98", StringComparison.Ordinal)) return IsIranianMobile(e164);
        if (!TryParse(e164, out var number)) return false;
        return Util.GetNumberType(number) is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE;
    }

    // "+989121234567" -> "09121234567". Numbers outside Iran are returned unchanged (they are dialled as +...).
    public static string ToNational(string e164) =>
        e164.StartsWith("+98", StringComparison.Ordinal) && e164.Length > 3 ? "0" + e164[3..] : e164;

    // For display: "0912 123 4567", "021 8877 6655", "+1 415-555-2671"; Persian digits on request.
    // Anything that is not a number this class produced is returned as given.
    public static string Format(string e164, bool persianDigits)
    {
        string text;
        if (IsIranianMobile(e164)) text = $"0{e164[3..6]} {e164[6..9]} {e164[9..]}";
        else if (TryParse(e164, out var number))
        {
            text = Util.Format(number, number.CountryCode == 98 ? PhoneNumberFormat.NATIONAL : PhoneNumberFormat.INTERNATIONAL);
        }
        else text = e164;
        return persianDigits ? PersianText.ToPersianDigits(text) : text;
    }

    private static bool IsIranianMobile(string e164) =>
        e164.Length == 13 && e164.StartsWith("+989", StringComparison.Ordinal) && e164.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    // Keeps the digits; "+" or "00" in front marks an international number. Letters or a misplaced "+" fail.
    private static bool TryReadDigits(string? input, out string digits, out bool international)
    {
        digits = "";
        international = false;
        var text = PersianText.ToLatinDigits(input).Trim();
        if (text.Length == 0) return false;
        if (text[0] == '+')
        {
            international = true;
            text = text[1..];
        }

        var kept = new char[text.Length];
        var count = 0;
        foreach (var c in text)
        {
            if (c is >= '0' and <= '9') kept[count++] = c;
            else if (c is not ('-' or '(' or ')' or '.' or '/') && !char.IsWhiteSpace(c) && c != '\u200C') return false;
        }
        digits = new string(kept, 0, count);
        if (!international && digits.StartsWith("00", StringComparison.Ordinal))
        {
            international = true;
            digits = digits[2..];
        }
        return digits.Length is >= 4 and <= 17;
    }

    private static bool TryLibrary(string text, out string e164)
    {
        e164 = "";
        if (!TryParse(text, out var number) || !Util.IsValidNumber(number)) return false;
        e164 = Util.Format(number, PhoneNumberFormat.E164);
        return true;
    }

    private static bool TryParse(string text, [NotNullWhen(true)] out PhoneNumber? number)
    {
        number = null;
        if (!text.StartsWith('+')) return false;
        try
        {
            number = Util.Parse(text, "ZZ");
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }
}
