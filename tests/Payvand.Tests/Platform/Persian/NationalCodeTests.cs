using Payvand.Platform.Persian;

namespace Payvand.Tests.Platform.Persian;

public class NationalCodeTests
{
    // Check digits worked out by hand: s = sum(d[i] * (10 - i)), r = s % 11, check = r < 2 ? r : 11 - r.
    [Theory]
    // 0·10+0·9+1·8+2·7+3·6+4·5+5·4+6·3+7·2 = 112, 112 % 11 = 2, check 11 - 2 = 9
    [InlineData("0012345679", "0012345679")]
    // 1·10+2·9+3·8+4·7+5·6+6·5+7·4+8·3+9·2 = 210, 210 % 11 = 1, check 1
    [InlineData("1234567891", "1234567891")]
    // 9·10+8·9+7·8+6·7+5·6+4·5+3·4+2·3+1·2 = 330, 330 % 11 = 0, check 0
    [InlineData("9876543210", "9876543210")]
    // 0·10+0·9+6·8+1·7+2·6+3·5+4·4+5·3+6·2 = 125, 125 % 11 = 4, check 11 - 4 = 7
    [InlineData("0061234567", "0061234567")]
    // 2·10+7·9+4·8+8·7+1·6+5·5+9·4+6·3+9·2 = 274, 274 % 11 = 10, check 1
    [InlineData("2748159691", "2748159691")]
    // 0·10+1·9+2·8+3·7+4·6+5·5+6·4+7·3+8·2 = 156, 156 % 11 = 2, check 9
    [InlineData("0123456789", "0123456789")]
    public void Valid_codes_pass(string input, string expected)
    {
        var result = NationalCode.Validate(input);
        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Normalized);
        Assert.Null(result.Error);
        Assert.False(result.IsSuspicious);
    }

    [Theory]
    [InlineData("12345679", "0012345679")] // 8 digits
    [InlineData("123456789", "0123456789")] // 9 digits
    [InlineData("61234567", "0061234567")]
    [InlineData("۰۰۱۲۳۴۵۶۷۹", "0012345679")]
    [InlineData("٠٠١٢٣٤٥٦٧٩", "0012345679")]
    [InlineData("001-234567-9", "0012345679")]
    [InlineData(" 001 234 5679 ", "0012345679")]
    [InlineData("۱۲۳-۴۵۶۷۸۹۱", "1234567891")]
    public void Input_is_normalized_to_ten_ascii_digits(string input, string expected)
    {
        var result = NationalCode.Validate(input);
        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Normalized);
    }

    [Theory]
    [InlineData(null, NationalCodeProblem.Empty)]
    [InlineData("", NationalCodeProblem.Empty)]
    [InlineData("  - ", NationalCodeProblem.Empty)]
    [InlineData("12345a7891", NationalCodeProblem.NotDigits)]
    [InlineData("1234.567891", NationalCodeProblem.NotDigits)]
    [InlineData("1234567", NationalCodeProblem.WrongLength)]
    [InlineData("12345678911", NationalCodeProblem.WrongLength)]
    [InlineData("0012345678", NationalCodeProblem.Checksum)] // check should be 9
    [InlineData("1234567890", NationalCodeProblem.Checksum)] // check should be 1
    [InlineData("9876543211", NationalCodeProblem.Checksum)] // check should be 0
    [InlineData("0123456780", NationalCodeProblem.Checksum)]
    public void Invalid_codes_say_why(string? input, NationalCodeProblem problem)
    {
        var result = NationalCode.Validate(input);
        Assert.False(result.IsValid);
        Assert.Equal(problem, result.Error);
        Assert.Null(result.Normalized);
    }

    // Every repeated digit passes the checksum (s = 54·d, and 54 % 11 = 10, so the check digit comes out as d):
    // valid, but flagged as suspicious so the UI can warn.
    [Theory]
    [InlineData("0000000000")]
    [InlineData("1111111111")]
    [InlineData("5555555555")]
    [InlineData("9999999999")]
    [InlineData("۲۲۲۲۲۲۲۲۲۲")]
    public void Repeated_digits_are_valid_but_suspicious(string input)
    {
        var result = NationalCode.Validate(input);
        Assert.True(result.IsValid);
        Assert.True(result.IsSuspicious);
        Assert.Null(result.Error);
    }

    [Fact]
    public void Exactly_one_check_digit_is_right_for_every_body()
    {
        foreach (var body in new[] { "001234567", "274815969", "448762311", "063010101" })
        {
            var valid = Enumerable.Range(0, 10).Count(check => NationalCode.Validate(body + check).IsValid);
            Assert.Equal(1, valid);
        }
    }
}
