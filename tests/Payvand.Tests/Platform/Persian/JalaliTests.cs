using System.Globalization;
using Payvand.Platform.Persian;

namespace Payvand.Tests.Platform.Persian;

public class JalaliTests
{
    [Theory]
    [InlineData(1403, 1, 1, "2024-03-20")] // Nowruz 1403
    [InlineData(1404, 1, 1, "2025-03-21")]
    [InlineData(1399, 12, 30, "2021-03-20")] // 1399 is a leap year
    [InlineData(1403, 12, 30, "2025-03-20")] // and so is 1403
    [InlineData(1402, 12, 29, "2024-03-19")]
    [InlineData(1357, 11, 22, "1979-02-11")]
    [InlineData(1300, 1, 1, "1921-03-21")]
    [InlineData(1403, 6, 31, "2024-09-21")] // the first six months have 31 days
    [InlineData(1403, 7, 30, "2024-10-21")]
    public void ToGregorian_and_back(int y, int m, int d, string iso)
    {
        var date = DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(date, Jalali.ToGregorian(y, m, d));
        Assert.Equal((y, m, d), Jalali.FromGregorian(date));
    }

    [Theory]
    [InlineData("1403/01/01", "2024-03-20")]
    [InlineData("1403/1/1", "2024-03-20")]
    [InlineData("۱۴۰۳/۰۱/۰۱", "2024-03-20")]
    [InlineData("۱۴۰۳/۱/۱", "2024-03-20")]
    [InlineData("١٤٠٣/٠١/٠١", "2024-03-20")]
    [InlineData("1403-01-01", "2024-03-20")]
    [InlineData("1403.01.01", "2024-03-20")]
    [InlineData(" 1403 / 01 / 01 ", "2024-03-20")]
    [InlineData("1399/12/30", "2021-03-20")]
    [InlineData("1403/12/30", "2025-03-20")]
    [InlineData("1402/12/29", "2024-03-19")]
    [InlineData("1403/06/31", "2024-09-21")]
    [InlineData("1200/01/01", "1821-03-21")]
    [InlineData("1500/12/29", "2122-03-20")]
    public void TryParse_reads_jalali_text(string text, string iso)
    {
        Assert.True(Jalali.TryParse(text, out var date));
        Assert.Equal(DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture), date);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1403")]
    [InlineData("1403/01")]
    [InlineData("1403/13/01")] // month 13
    [InlineData("1403/00/10")]
    [InlineData("1403/01/32")] // day 32
    [InlineData("1403/01/00")]
    [InlineData("1403/07/31")] // the second half of the year has 30 days
    [InlineData("1400/12/30")] // Esfand 30 only in leap years
    [InlineData("1402/12/30")]
    [InlineData("1199/12/29")] // outside 1200-1500
    [InlineData("1501/01/01")]
    [InlineData("2024/03/20")]
    [InlineData("03/01/01")]
    [InlineData("1403/01-01")] // mixed separators
    [InlineData("1403/01/01/01")]
    [InlineData("1403/a1/01")]
    [InlineData("1403/001/01")]
    public void TryParse_rejects_what_is_not_a_jalali_date(string? text)
    {
        Assert.False(Jalali.TryParse(text, out var date));
        Assert.Equal(default, date);
    }

    [Fact]
    public void Framework_parse_silently_reads_jalali_text_as_year_1403_AD()
    {
        // The trap: the invariant culture takes "1403/01/01" as a Gregorian date six centuries ago, without complaint.
        var trap = DateOnly.Parse("1403/01/01", CultureInfo.InvariantCulture);
        Assert.Equal(new DateOnly(1403, 1, 1), trap);

        // Jalali text must go through Jalali.TryParse, which knows it is Nowruz 1403.
        Assert.True(Jalali.TryParse("1403/01/01", out var date));
        Assert.Equal(new DateOnly(2024, 3, 20), date);
    }

    [Theory]
    [InlineData("2024-03-20", true, "۱۴۰۳/۰۱/۰۱")]
    [InlineData("2024-03-20", false, "1403/01/01")]
    [InlineData("2025-03-20", false, "1403/12/30")]
    [InlineData("2024-12-31", false, "1403/10/11")]
    [InlineData("1979-02-11", true, "۱۳۵۷/۱۱/۲۲")]
    public void Format_writes_yyyy_MM_dd(string iso, bool persianDigits, string expected) =>
        Assert.Equal(expected, Jalali.Format(DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture), persianDigits));

    [Fact]
    public void Format_uses_persian_digits_by_default() =>
        Assert.Equal("۱۴۰۳/۰۱/۰۱", Jalali.Format(new DateOnly(2024, 3, 20)));

    [Theory]
    [InlineData("2024-03-20", "۱ فروردین ۱۴۰۳")]
    [InlineData("2024-05-21", "۱ خرداد ۱۴۰۳")]
    [InlineData("2024-10-22", "۱ آبان ۱۴۰۳")]
    [InlineData("2025-03-20", "۳۰ اسفند ۱۴۰۳")]
    [InlineData("1979-02-11", "۲۲ بهمن ۱۳۵۷")]
    public void FormatLong_uses_persian_month_names(string iso, string expected) =>
        Assert.Equal(expected, Jalali.FormatLong(DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture)));

    [Fact]
    public void Month_names_run_from_farvardin_to_esfand()
    {
        Assert.Equal("فروردین", Jalali.MonthName(1));
        Assert.Equal("مهر", Jalali.MonthName(7));
        Assert.Equal("اسفند", Jalali.MonthName(12));
        Assert.Throws<ArgumentOutOfRangeException>(() => Jalali.MonthName(13));
    }

    [Fact]
    public void ToGregorian_throws_for_a_day_that_does_not_exist() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Jalali.ToGregorian(1400, 12, 30));

    [Fact]
    public void Every_day_over_2000_days_round_trips()
    {
        var start = new DateOnly(2021, 1, 1);
        var previous = Jalali.FromGregorian(start.AddDays(-1));
        for (var i = 0; i < 2000; i++)
        {
            var date = start.AddDays(i);
            var (y, m, d) = Jalali.FromGregorian(date);
            Assert.Equal(date, Jalali.ToGregorian(y, m, d));

            Assert.True(Jalali.TryParse(Jalali.Format(date), out var parsed));
            Assert.Equal(date, parsed);
            Assert.True(Jalali.TryParse(Jalali.Format(date, persianDigits: false), out parsed));
            Assert.Equal(date, parsed);

            // Consecutive days: the next day of the month, or day 1 of the next month.
            var continues = (y, m, d) == (previous.Year, previous.Month, previous.Day + 1);
            var newMonth = d == 1 && (m == previous.Month + 1 && y == previous.Year || m == 1 && previous.Month == 12 && y == previous.Year + 1);
            Assert.True(continues || newMonth, $"{date:yyyy-MM-dd} -> {y}/{m}/{d} after {previous}");
            previous = (y, m, d);
        }
    }
}
