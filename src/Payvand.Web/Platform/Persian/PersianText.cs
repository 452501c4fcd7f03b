using System.Buffers;
using System.Globalization;
using System.Text;

namespace Payvand.Platform.Persian;

// Digit conversion and the one text normalizer used for storage keys, search and de-duplication.
public static class PersianText
{
    // Stands for a zero-width joiner or non-joiner while Tokens splits words; Normalize turns it into a space.
    private const char Joiner = '\u200C';

    private static readonly SearchValues<char> NonLatinDigits = SearchValues.Create("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬");

    // Persian (۰-۹) and Arabic-Indic (٠-٩) digits, and the Persian decimal (٫) and thousands (٬) separators, to ASCII.
    public static string ToLatinDigits(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        if (s.AsSpan().IndexOfAny(NonLatinDigits) < 0) return s;
        return string.Create(s.Length, s, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = LatinDigit(source[i]);
        });
    }

    // A whole number in groups of three: "۱٬۲۳۴٬۵۶۷" (Persian digits, Arabic thousands separator) or "1,234,567".
    public static string Grouped(long value, bool persian) => persian
        ? ToPersianDigits(value.ToString("#,0", CultureInfo.InvariantCulture)).Replace(',', '\u066C')
        : value.ToString("#,0", CultureInfo.InvariantCulture);

    // Text that reads left to right (a phone number, an email, a code) kept whole inside right-to-left text: between
    // the Unicode left-to-right isolate and its pop, so "۰۹۱۲ ۳۴۵ ۶۷۸۹" is not drawn as "۶۷۸۹ ۳۴۵ ۰۹۱۲" and the
    // punctuation around it stays on its side. Empty stays empty.
    public static string LeftToRight(string? s) => string.IsNullOrEmpty(s) ? "" : "\u2066" + s + "\u2069";

    // Between the parts of one line ("name · mobile"): the middle dot reads as a Persian zero, so Persian uses its comma.
    public static string Separator(bool persian) => persian ? "\u060C " : " · ";

    // ASCII and Arabic-Indic digits to Persian digits (۰-۹). Everything else is left alone.
    public static string ToPersianDigits(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        return string.Create(s.Length, s, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c switch
                {
                    >= '0' and <= '9' => (char)('۰' + (c - '0')),
                    >= '٠' and <= '٩' => (char)('۰' + (c - '٠')),
                    _ => c,
                };
            }
        });
    }

    // Text as the user typed it (case, spacing, digits kept), with the Arabic yeh and kaf of Arabic keyboards stored as
    // the Persian letters: for names and free text that are shown, not only compared.
    public static string PersianLetters(string s) => s.Replace('ي', 'ی').Replace('ك', 'ک');

    // Canonical form of user text: Arabic letter variants to Persian, no diacritics or tatweel, ASCII digits,
    // lower-case Latin, and every kind of space or half-space (ZWNJ) as one ASCII space, trimmed.
    public static string Normalize(string? s) => Fold(s, keepJoiners: false);

    // Normalize without any spaces, so "می‌خواهم", "می خواهم" and "میخواهم" give the same key.
    public static string NormalizeKey(string? s) => Normalize(s).Replace(" ", "", StringComparison.Ordinal);

    // Distinct normalized words for search. A word written with a half-space also yields its parts joined,
    // so "می‌خواهم" gives "می", "خواهم" and "میخواهم".
    public static IReadOnlyList<string> Tokens(string? s)
    {
        var folded = Fold(s, keepJoiners: true);
        var tokens = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var word = new StringBuilder();
        foreach (var c in folded.Append(' '))
        {
            if (char.IsLetterOrDigit(c) || c == Joiner || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                word.Append(c);
                continue;
            }
            AddWord(word.ToString(), tokens, seen);
            word.Clear();
        }
        return tokens;
    }

    // fa-IR, fa-AF, fa ...: the cultures that read Jalali dates and Persian digits.
    internal static bool IsPersianCulture(CultureInfo culture) =>
        string.Equals(culture.TwoLetterISOLanguageName, "fa", StringComparison.OrdinalIgnoreCase);

    private static void AddWord(string word, List<string> tokens, HashSet<string> seen)
    {
        var parts = word.Split(Joiner, StringSplitOptions.RemoveEmptyEntries);
        foreach (var part in parts)
        {
            if (seen.Add(part)) tokens.Add(part);
        }
        if (parts.Length > 1)
        {
            var joined = string.Concat(parts);
            if (seen.Add(joined)) tokens.Add(joined);
        }
    }

    private static string Fold(string? s, bool keepJoiners)
    {
        if (string.IsNullOrWhiteSpace(s)) return "";
        string composed;
        try
        {
            // Compatibility forms (Arabic presentation forms, full-width Latin, NBSP) to their plain letters.
            composed = s.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            composed = s; // lone surrogates cannot be normalized; fold the rest as it is
        }

        var sb = new StringBuilder(composed.Length);
        var pendingSpace = false;
        foreach (var raw in composed)
        {
            var c = FoldChar(raw);
            if (c == '\0') continue;
            if (c == Joiner && !keepJoiners) c = ' ';
            if (c == ' ')
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace) sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    // One character to its canonical form; '\0' drops it, Joiner marks a half-space, ' ' any other space.
    private static char FoldChar(char c) => c switch
    {
        >= '0' and <= '9' => c,
        >= 'A' and <= 'Z' => (char)(c + 32),
        < '\u0080' => char.IsWhiteSpace(c) ? ' ' : c,
        >= '\u0660' and <= '\u0669' or >= '\u06F0' and <= '\u06F9' or '\u066B' or '\u066C' => LatinDigit(c),
        '\u064A' or '\u0649' or '\u06CC' or '\u06D0' => 'ی',
        '\u0643' or '\u06AA' => 'ک',
        '\u0629' or '\u06C0' or '\u06C1' or '\u06C2' or '\u06D5' or '\u06BE' => 'ه',
        '\u0623' or '\u0625' or '\u0671' or '\u0672' or '\u0673' => 'ا',
        '\u0624' => 'و',
        '\u0640' => '\0',
        >= '\u064B' and <= '\u065F' or '\u0670' or >= '\u06D6' and <= '\u06ED' => '\0',
        '\u200C' or '\u200D' or '\u200B' or '\u2060' or '\uFEFF' => Joiner,
        '\u200E' or '\u200F' or >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' => '\0',
        _ when char.IsWhiteSpace(c) => ' ',
        _ => char.ToLowerInvariant(c),
    };

    private static char LatinDigit(char c) => c switch
    {
        >= '۰' and <= '۹' => (char)('0' + (c - '۰')),
        >= '٠' and <= '٩' => (char)('0' + (c - '٠')),
        '٫' => '.',
        '٬' => ',',
        _ => c,
    };
}
