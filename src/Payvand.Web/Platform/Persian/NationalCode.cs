namespace Payvand.Platform.Persian;

// Why a national code was rejected.
public enum NationalCodeProblem { Empty, NotDigits, WrongLength, Checksum }

// Outcome of checking a national code. Normalized (10 ASCII digits) is set only when IsValid.
// IsSuspicious flags a valid code made of one repeated digit (0000000000, 1111111111 ...): warn, do not reject.
public sealed record NationalCodeResult(bool IsValid, string? Normalized, NationalCodeProblem? Error, bool IsSuspicious);

// The Iranian national code (کد ملی): ten digits, the last one a check digit.
public static class NationalCode
{
    // Digits in any script; spaces and dashes ignored; 8 or 9 digits are left-padded with zeros.
    public static NationalCodeResult Validate(string? input)
    {
        var text = PersianText.ToLatinDigits(input);
        var digits = new string(text.Where(c => !char.IsWhiteSpace(c) && c is not ('-' or '\u200C')).ToArray());
        if (digits.Length == 0) return Fail(NationalCodeProblem.Empty);
        if (digits.Any(c => c is < '0' or > '9')) return Fail(NationalCodeProblem.NotDigits);
        if (digits.Length is < 8 or > 10) return Fail(NationalCodeProblem.WrongLength);

        var code = digits.PadLeft(10, '0');
        if (!HasValidCheckDigit(code)) return Fail(NationalCodeProblem.Checksum);
        var suspicious = code.All(c => c == code[0]);
        return new NationalCodeResult(true, code, null, suspicious);
    }

    // check = last digit; s = sum(d[i] * (10 - i)) for i = 0..8; r = s % 11;
    // valid iff (r < 2 and check == r) or (r >= 2 and check == 11 - r).
    private static bool HasValidCheckDigit(string code)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (code[i] - '0') * (10 - i);
        var r = sum % 11;
        var check = code[9] - '0';
        return r < 2 ? check == r : check == 11 - r;
    }

    private static NationalCodeResult Fail(NationalCodeProblem problem) => new(false, null, problem, false);
}
