using System.Globalization;
using Payvand.Platform.Persian;

namespace Payvand.Tests.Platform.Persian;

public class DateInputTests
{
    [Theory]
    [InlineData("fa-IR", "1403/01/01", "2024-03-20")]
    [InlineData("fa-IR", "۱۴۰۳/۰۱/۰۱", "2024-03-20")]
    [InlineData("fa-IR", "۱۴۰۳-۱-۱", "2024-03-20")]
    [InlineData("fa-IR", "1403-01-01", "2024-03-20")] // ISO-shaped but a Jalali year: Jalali
    [InlineData("fa-IR", "1399/12/30", "2021-03-20")]
    [InlineData("fa-IR", "2024-03-20", "2024-03-20")] // a year no Jalali date has: ISO Gregorian
    [InlineData("fa-IR", "۲۰۲۴-۰۳-۲۰", "2024-03-20")]
    [InlineData("fa", "1403/01/01", "2024-03-20")]
    [InlineData("fa-AF", "1403/01/01", "2024-03-20")]
    [InlineData("en-US", "2024-03-20", "2024-03-20")]
    [InlineData("en-US", "3/20/2024", "2024-03-20")]
    [InlineData("en-US", "03/20/2024", "2024-03-20")]
    [InlineData("en-US", "۳/۲۰/۲۰۲۴", "2024-03-20")]
    [InlineData("en-US", "۲۰۲۴-۰۳-۲۰", "2024-03-20")]
    [InlineData("en-GB", "20/03/2024", "2024-03-20")]
    [InlineData("de-DE", "20.03.2024", "2024-03-20")]
    [InlineData("", "2024-03-20", "2024-03-20")] // invariant
    public void TryParse_reads_the_cultures_dates(string culture, string text, string iso)
    {
        Assert.True(DateInput.TryParse(text, CultureInfo.GetCultureInfo(culture), out var date));
        Assert.Equal(DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture), date);
    }

    [Theory]
    [InlineData("fa-IR", null)]
    [InlineData("fa-IR", "")]
    [InlineData("fa-IR", "   ")]
    [InlineData("fa-IR", "1400/12/30")]
    [InlineData("fa-IR", "1403/13/01")]
    [InlineData("fa-IR", "3/20/2024")] // no US dates in the Persian UI
    [InlineData("fa-IR", "2024-02-30")]
    [InlineData("fa-IR", "1550-01-01")] // neither a Jalali year in range nor a plausible Gregorian one
    [InlineData("fa-IR", "فردا")]
    [InlineData("en-US", "2024-02-30")]
    [InlineData("en-US", "13/20/2024")]
    [InlineData("en-US", "20/03/2024")]
    [InlineData("en-US", "tomorrow")]
    [InlineData("en-US", "")]
    public void TryParse_rejects_what_the_culture_does_not_write(string culture, string? text)
    {
        Assert.False(DateInput.TryParse(text, CultureInfo.GetCultureInfo(culture), out var date));
        Assert.Equal(default, date);
    }

    [Fact]
    public void The_same_text_is_gregorian_in_en_and_jalali_in_fa()
    {
        // In the en UI ISO text is Gregorian; in the fa UI a year 1200-1500 is Jalali.
        Assert.True(DateInput.TryParse("1403-01-01", CultureInfo.GetCultureInfo("en-US"), out var date));
        Assert.Equal(new DateOnly(1403, 1, 1), date);
        Assert.True(DateInput.TryParse("1403-01-01", CultureInfo.GetCultureInfo("fa-IR"), out date));
        Assert.Equal(new DateOnly(2024, 3, 20), date);
    }
}
