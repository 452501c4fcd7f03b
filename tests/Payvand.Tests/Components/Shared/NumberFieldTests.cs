using System.Globalization;
using Payvand.Components.Shared;

namespace Payvand.Tests.Components.Shared;

// The one number input reads digits in any script and shows values in the user's digits ("۲" stays "۲" in Persian).
public sealed class NumberFieldTests
{
    [Theory]
    [InlineData("۲", 2)]
    [InlineData("٢", 2)]
    [InlineData(" 12 ", 12)]
    [InlineData("۱٬۲۰۰", 1200)]
    public void Whole_numbers_are_read_in_any_script(string typed, int expected)
    {
        Assert.True(NumberField<int>.TryParse(typed, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("۱/۵", "1.5")]
    [InlineData("۱٫۲۵", "1.25")]
    [InlineData("2.5", "2.5")]
    public void Decimals_take_a_slash_or_the_persian_decimal_point(string typed, string expected)
    {
        Assert.True(NumberField<decimal>.TryParse(typed, out var value));
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), value);
    }

    [Fact]
    public void Empty_text_is_no_value_and_words_or_fractions_of_whole_numbers_are_refused()
    {
        Assert.True(NumberField<int>.TryParse("  ", out var none));
        Assert.Null(none);
        Assert.False(NumberField<int>.TryParse("دو", out _));
        Assert.False(NumberField<int>.TryParse("۱/۵", out _));
    }

    [Fact]
    public void Values_are_shown_in_the_users_digits()
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("fa-IR");
            Assert.Equal("۲", NumberField<int>.Format(2));
            Assert.Equal("۱٫۵", NumberField<decimal>.Format(1.50m));
            CultureInfo.CurrentUICulture = new CultureInfo("en-US");
            Assert.Equal("1.5", NumberField<decimal>.Format(1.50m));
            Assert.Null(NumberField<int>.Format(null));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
