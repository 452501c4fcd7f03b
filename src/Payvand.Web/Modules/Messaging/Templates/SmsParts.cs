namespace Payvand.Modules.Messaging.Templates;

// How an SMS is encoded on the air: GSM-7 (7-bit, the GSM 03.38 alphabet) or UCS-2 (UTF-16, Persian and everything else).
public enum SmsEncoding
{
    Gsm7,
    Ucs2,
}

// How long an SMS is: its encoding, the units it uses (GSM-7 septets, where the extension table's characters take two;
// or UTF-16 code units, where an emoji outside the basic plane takes two), the parts it is sent in and what is left of
// the last part. One part holds 160 septets or 70 units; a longer message is split into parts of 153 or 67 (the rest
// of each part carries the header that joins them). A character that takes two units is never cut between parts.
public sealed record SmsParts(SmsEncoding Encoding, int Characters, int Parts, int Remaining, int PerPart)
{
    public const int Gsm7Single = 160;
    public const int Gsm7PerPart = 153;
    public const int Ucs2Single = 70;
    public const int Ucs2PerPart = 67;

    // GSM 03.38 basic character set (the escape code 0x1B is not a character of the text).
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // GSM 03.38 extension table: each is sent as the escape code and the character, two septets.
    private const string Extension = "\f^{}\\[~]|€";

    private static readonly HashSet<char> BasicSet = [.. Basic];
    private static readonly HashSet<char> ExtensionSet = [.. Extension];

    public static SmsParts Of(string? text)
    {
        text ??= "";
        var gsm = text.All(c => BasicSet.Contains(c) || ExtensionSet.Contains(c));
        // The width of each character in units, in order: 1, or 2 for an extension character (GSM-7) or a surrogate
        // pair (UCS-2, counted once for the pair).
        var widths = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (gsm) widths.Add(ExtensionSet.Contains(text[i]) ? 2 : 1);
            else if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                widths.Add(2);
                i++;
            }
            else widths.Add(1);
        }

        var (single, perPart) = gsm ? (Gsm7Single, Gsm7PerPart) : (Ucs2Single, Ucs2PerPart);
        var encoding = gsm ? SmsEncoding.Gsm7 : SmsEncoding.Ucs2;
        var units = widths.Sum();
        if (units <= single) return new SmsParts(encoding, units, units == 0 ? 0 : 1, single - units, single);

        var parts = 1;
        var used = 0;
        foreach (var w in widths)
        {
            if (used + w > perPart)
            {
                parts++;
                used = 0;
            }
            used += w;
        }
        return new SmsParts(encoding, units, parts, perPart - used, perPart);
    }
}
