using System.Globalization;
using Payvand.Platform.Persian;

namespace Payvand.Tests.Platform.Persian;

public class MoneyFormatterTests
{
    private static readonly CultureInfo Fa = CultureInfo.GetCultureInfo("fa-IR");
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    [Theory]
    [InlineData(12_345_000, MoneyUnit.Toman, "۱٬۲۳۴٬۵۰۰ تومان")]
    [InlineData(12_345_000, MoneyUnit.Rial, "۱۲٬۳۴۵٬۰۰۰ ریال")]
    [InlineData(12_345, MoneyUnit.Toman, "۱٬۲۳۴٫۵ تومان")] // not a whole toman: one decimal
    [InlineData(0, MoneyUnit.Toman, "۰ تومان")]
    [InlineData(10, MoneyUnit.Toman, "۱ تومان")]
    [InlineData(5, MoneyUnit.Toman, "۰٫۵ تومان")]
    [InlineData(999, MoneyUnit.Rial, "۹۹۹ ریال")]
    [InlineData(1000, MoneyUnit.Rial, "۱٬۰۰۰ ریال")]
    [InlineData(-12_345_000, MoneyUnit.Toman, "−۱٬۲۳۴٬۵۰۰ تومان")]
    [InlineData(-5, MoneyUnit.Rial, "−۵ ریال")]
    public void Persian_uses_persian_digits_separator_and_unit_word(long rials, MoneyUnit unit, string expected) =>
        Assert.Equal(expected, MoneyFormatter.Format(rials, unit, Fa));

    [Theory]
    [InlineData(12_345_000, MoneyUnit.Toman, "1,234,500 toman")]
    [InlineData(12_345_000, MoneyUnit.Rial, "12,345,000 rials")]
    [InlineData(12_345, MoneyUnit.Toman, "1,234.5 toman")]
    [InlineData(1, MoneyUnit.Rial, "1 rial")]
    [InlineData(-1, MoneyUnit.Rial, "−1 rial")]
    [InlineData(0, MoneyUnit.Rial, "0 rials")]
    [InlineData(2, MoneyUnit.Rial, "2 rials")]
    [InlineData(10, MoneyUnit.Toman, "1 toman")]
    [InlineData(-12_345, MoneyUnit.Toman, "−1,234.5 toman")]
    [InlineData(long.MaxValue, MoneyUnit.Rial, "9,223,372,036,854,775,807 rials")]
    [InlineData(long.MinValue, MoneyUnit.Rial, "−9,223,372,036,854,775,808 rials")]
    [InlineData(long.MinValue, MoneyUnit.Toman, "−922,337,203,685,477,580.8 toman")]
    public void English_uses_latin_digits_and_english_unit_words(long rials, MoneyUnit unit, string expected) =>
        Assert.Equal(expected, MoneyFormatter.Format(rials, unit, En));

    [Fact]
    public void Other_cultures_keep_their_own_separators() =>
        Assert.Equal("1.234,5 toman", MoneyFormatter.Format(12_345, MoneyUnit.Toman, CultureInfo.GetCultureInfo("de-DE")));

    [Fact]
    public void Persian_output_is_not_the_frameworks_currency_format()
    {
        var text = MoneyFormatter.Format(12_345_000, MoneyUnit.Rial, Fa);
        Assert.NotEqual(12_345_000m.ToString("C", Fa), text);
        Assert.DoesNotContain(',', text);
        Assert.DoesNotContain('1', text);
        Assert.EndsWith(" ریال", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1234500", MoneyUnit.Toman, 12_345_000)]
    [InlineData("1,234,500", MoneyUnit.Toman, 12_345_000)]
    [InlineData("۱٬۲۳۴٬۵۰۰", MoneyUnit.Toman, 12_345_000)]
    [InlineData("١٬٢٣٤٬٥٠٠", MoneyUnit.Toman, 12_345_000)]
    [InlineData("۱,۲۳۴,۵۰۰", MoneyUnit.Toman, 12_345_000)]
    [InlineData("۱،۲۳۴،۵۰۰", MoneyUnit.Toman, 12_345_000)]
    [InlineData(" 1 234 500 ", MoneyUnit.Toman, 12_345_000)]
    [InlineData("1234.5", MoneyUnit.Toman, 12_345)]
    [InlineData("۱۲۳۴٫۵", MoneyUnit.Toman, 12_345)]
    [InlineData("۱۲۳۴/۵", MoneyUnit.Toman, 12_345)] // the slash Persian keyboards type as a decimal point
    [InlineData("1234.50", MoneyUnit.Toman, 12_345)]
    [InlineData("12,345,000", MoneyUnit.Rial, 12_345_000)]
    [InlineData("12345000.0", MoneyUnit.Rial, 12_345_000)]
    [InlineData("0", MoneyUnit.Rial, 0)]
    [InlineData("-500", MoneyUnit.Toman, -5000)]
    [InlineData("−۵۰۰", MoneyUnit.Toman, -5000)]
    [InlineData("+500", MoneyUnit.Rial, 500)]
    [InlineData("9223372036854775807", MoneyUnit.Rial, long.MaxValue)]
    public void TryParseAmount_reads_digits_in_any_script(string text, MoneyUnit unit, long expected)
    {
        Assert.True(MoneyFormatter.TryParseAmount(text, unit, out var rials));
        Assert.Equal(expected, rials);
    }

    [Theory]
    [InlineData(null, MoneyUnit.Toman)]
    [InlineData("", MoneyUnit.Toman)]
    [InlineData("abc", MoneyUnit.Toman)]
    [InlineData("12a", MoneyUnit.Rial)]
    [InlineData("1234.5", MoneyUnit.Rial)] // half a rial
    [InlineData("1234.55", MoneyUnit.Toman)] // half a rial
    [InlineData("12,5", MoneyUnit.Rial)] // not a thousands group
    [InlineData("1,23,456", MoneyUnit.Rial)]
    [InlineData("1234,567", MoneyUnit.Rial)]
    [InlineData("1.2.3", MoneyUnit.Rial)]
    [InlineData("-", MoneyUnit.Rial)]
    [InlineData("--5", MoneyUnit.Rial)]
    [InlineData("9223372036854775808", MoneyUnit.Rial)] // long.MaxValue + 1
    [InlineData("922337203685477581", MoneyUnit.Toman)] // overflows in rials
    public void TryParseAmount_rejects_what_is_not_a_whole_rial_amount(string? text, MoneyUnit unit)
    {
        Assert.False(MoneyFormatter.TryParseAmount(text, unit, out var rials));
        Assert.Equal(0, rials);
    }

    [Theory]
    [InlineData(12_345_000, MoneyUnit.Toman)]
    [InlineData(12_345, MoneyUnit.Toman)]
    [InlineData(7, MoneyUnit.Rial)]
    [InlineData(98_765_432_100, MoneyUnit.Rial)]
    public void Formatted_numbers_parse_back(long rials, MoneyUnit unit)
    {
        foreach (var culture in new[] { Fa, En })
        {
            var number = MoneyFormatter.Format(rials, unit, culture).Split(' ')[0];
            Assert.True(MoneyFormatter.TryParseAmount(number, unit, out var back));
            Assert.Equal(rials, back);
        }
    }

    [Fact]
    public void Money_defaults_to_rials_in_IRR() => Assert.Equal(new Money(1000, "IRR"), new Money(1000));
}
