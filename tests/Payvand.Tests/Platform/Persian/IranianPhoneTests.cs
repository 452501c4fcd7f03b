using Payvand.Platform.Persian;

namespace Payvand.Tests.Platform.Persian;

public class IranianPhoneTests
{
    [Theory]
    [InlineData("09121234567", "+989121234567")]
    [InlineData("+989121234567", "+989121234567")]
    [InlineData("00989121234567", "+989121234567")]
    [InlineData("9121234567", "+989121234567")]
    [InlineData("989121234567", "+989121234567")]
    [InlineData("0098 912 123 4567", "+989121234567")]
    [InlineData("+98 (912) 123-4567", "+989121234567")]
    [InlineData("0912-123-4567", "+989121234567")]
    [InlineData("0912.123.4567", "+989121234567")]
    [InlineData("+98 0912 123 4567", "+989121234567")] // trunk zero kept after the country code
    [InlineData("  09121234567  ", "+989121234567")]
    [InlineData("۰۹۱۲۱۲۳۴۵۶۷", "+989121234567")]
    [InlineData("٠٩١٢١٢٣٤٥٦٧", "+989121234567")]
    [InlineData("۰۹۱۲ ۱۲۳ ۴۵۶۷", "+989121234567")]
    [InlineData("09351234567", "+989351234567")]
    [InlineData("09901234567", "+989901234567")]
    [InlineData("09991234567", "+989991234567")] // lenient: any 9 + nine digits, even if metadata lags
    [InlineData("021-88776655", "+982188776655")]
    [InlineData("(021) 8877 6655", "+982188776655")]
    [InlineData("+98 21 8877 6655", "+982188776655")]
    [InlineData("۰۲۱۸۸۷۷۶۶۵۵", "+982188776655")]
    [InlineData("031-32123456", "+983132123456")]
    [InlineData("+1 650-253-0000", "+16502530000")]
    [InlineData("001 650 253 0000", "+16502530000")]
    [InlineData("+44 7911 123456", "+447911123456")]
    [InlineData("+90 532 123 45 67", "+905321234567")]
    public void TryNormalize_accepts_what_people_type(string input, string expected)
    {
        Assert.True(IranianPhone.TryNormalize(input, out var e164));
        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("0912123456")] // one digit short
    [InlineData("091212345678")] // one digit long
    [InlineData("0912-123-456x")]
    [InlineData("09121234567 ext 2")]
    [InlineData("1234")]
    [InlineData("+1 123")]
    [InlineData("+99999999999")]
    [InlineData("0912+1234567")]
    [InlineData("88776655")] // a landline without its area code
    public void TryNormalize_rejects_invalid_input(string? input)
    {
        Assert.False(IranianPhone.TryNormalize(input, out var e164));
        Assert.Equal("", e164);
    }

    [Theory]
    [InlineData("+989121234567", true)]
    [InlineData("+989991234567", true)]
    [InlineData("+982188776655", false)]
    [InlineData("+447911123456", true)]
    [InlineData("+442079460958", false)]
    [InlineData("not a phone", false)]
    public void IsMobile_tells_mobiles_apart(string e164, bool expected) =>
        Assert.Equal(expected, IranianPhone.IsMobile(e164));

    [Theory]
    [InlineData("+989121234567", "09121234567")]
    [InlineData("+982188776655", "02188776655")]
    [InlineData("+16502530000", "+16502530000")]
    public void ToNational_gives_the_dialled_form(string e164, string expected) =>
        Assert.Equal(expected, IranianPhone.ToNational(e164));

    [Theory]
    [InlineData("+989121234567", false, "0912 123 4567")]
    [InlineData("+989121234567", true, "۰۹۱۲ ۱۲۳ ۴۵۶۷")]
    [InlineData("+989991234567", false, "0999 123 4567")]
    [InlineData("+982188776655", false, "021 8877 6655")]
    [InlineData("+982188776655", true, "۰۲۱ ۸۸۷۷ ۶۶۵۵")]
    [InlineData("+16502530000", false, "+1 650-253-0000")]
    [InlineData("garbage", false, "garbage")]
    public void Format_is_for_display(string e164, bool persianDigits, string expected) =>
        Assert.Equal(expected, IranianPhone.Format(e164, persianDigits));

    [Theory]
    [InlineData("۰۹۱۲ ۱۲۳ ۴۵۶۷")]
    [InlineData("021-88776655")]
    [InlineData("+44 7911 123456")]
    public void Normalized_numbers_round_trip_through_display(string input)
    {
        Assert.True(IranianPhone.TryNormalize(input, out var e164));
        Assert.True(IranianPhone.TryNormalize(IranianPhone.Format(e164, persianDigits: true), out var again));
        Assert.Equal(e164, again);
    }
}
