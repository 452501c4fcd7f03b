using Payvand.Modules.Messaging.Templates;

namespace Payvand.Tests.Modules.Messaging.Templates;

// The SMS counter: GSM-7 160 for one part and 153 per part when split, UCS-2 (Persian) 70 and 67; extension characters
// take two septets, emoji outside the basic plane two UTF-16 units, and neither is cut between parts.
public sealed class SmsPartsTests
{
    [Fact]
    public void Empty_text_is_no_part_with_a_whole_part_left()
    {
        var p = SmsParts.Of("");
        Assert.Equal(new SmsParts(SmsEncoding.Gsm7, 0, 0, 160, 160), p);
        Assert.Equal(p, SmsParts.Of(null));
    }

    [Theory]
    [InlineData(1, 1, 159)]
    [InlineData(160, 1, 0)]
    [InlineData(161, 2, 306 - 161)]
    [InlineData(306, 2, 0)]
    [InlineData(307, 3, 459 - 307)]
    public void Latin_text_is_gsm7_160_then_153_per_part(int length, int parts, int remaining)
    {
        var p = SmsParts.Of(new string('a', length));
        Assert.Equal(SmsEncoding.Gsm7, p.Encoding);
        Assert.Equal(length, p.Characters);
        Assert.Equal(parts, p.Parts);
        Assert.Equal(remaining, p.Remaining);
        Assert.Equal(length <= 160 ? 160 : 153, p.PerPart);
    }

    [Theory]
    [InlineData(70, 1, 0)]
    [InlineData(71, 2, 134 - 71)]
    [InlineData(134, 2, 0)]
    [InlineData(135, 3, 201 - 135)]
    public void Persian_text_is_ucs2_70_then_67_per_part(int length, int parts, int remaining)
    {
        var p = SmsParts.Of(new string('س', length));
        Assert.Equal(SmsEncoding.Ucs2, p.Encoding);
        Assert.Equal(length, p.Characters);
        Assert.Equal(parts, p.Parts);
        Assert.Equal(remaining, p.Remaining);
    }

    [Fact]
    public void One_persian_letter_makes_latin_text_ucs2()
    {
        var p = SmsParts.Of("Hello سلام");
        Assert.Equal(SmsEncoding.Ucs2, p.Encoding);
        Assert.Equal(10, p.Characters);
        Assert.Equal(60, p.Remaining);
    }

    [Fact]
    public void Persian_digits_and_half_space_are_ucs2_one_unit_each()
    {
        var p = SmsParts.Of("کد ۱۲۳۴ می‌خواهم");
        Assert.Equal(SmsEncoding.Ucs2, p.Encoding);
        Assert.Equal(16, p.Characters);
    }

    [Fact]
    public void Gsm_accents_and_greek_stay_gsm7()
    {
        var p = SmsParts.Of("Ça coûte £5 @ Δ café");
        Assert.Equal(SmsEncoding.Ucs2, p.Encoding); // û is not in GSM 03.38
        var q = SmsParts.Of("Ça £5 @ Δ café ÄÖÜß¿¡");
        Assert.Equal(SmsEncoding.Gsm7, q.Encoding);
        Assert.Equal(21, q.Characters);
    }

    [Theory]
    [InlineData("€", 2)]
    [InlineData("{}", 4)]
    [InlineData("a[b]c", 7)]
    [InlineData("~^|\\", 8)]
    public void Extension_characters_take_two_septets(string text, int septets)
    {
        var p = SmsParts.Of(text);
        Assert.Equal(SmsEncoding.Gsm7, p.Encoding);
        Assert.Equal(septets, p.Characters);
    }

    [Fact]
    public void Eighty_euro_signs_fill_one_part_and_one_more_splits()
    {
        Assert.Equal(new SmsParts(SmsEncoding.Gsm7, 160, 1, 0, 160), SmsParts.Of(new string('€', 80)));
        var p = SmsParts.Of(new string('€', 81));
        Assert.Equal(162, p.Characters);
        // 76 euros fill 152 of a part's 153 septets; the 77th does not fit in the last septet and starts part 2.
        Assert.Equal(2, p.Parts);
        Assert.Equal(153 - 10, p.Remaining);
    }

    [Fact]
    public void An_extension_character_is_not_cut_between_parts()
    {
        // 152 letters and a euro: 154 septets, but the euro cannot start in septet 153, so part 1 holds 152.
        var p = SmsParts.Of(new string('a', 152) + "€" + new string('a', 10));
        Assert.Equal(164, p.Characters);
        Assert.Equal(2, p.Parts);
        Assert.Equal(153 - 12, p.Remaining);
    }

    [Fact]
    public void An_emoji_is_two_ucs2_units()
    {
        var p = SmsParts.Of("سلام 😀");
        Assert.Equal(SmsEncoding.Ucs2, p.Encoding);
        Assert.Equal(7, p.Characters);
        Assert.Equal(63, p.Remaining);

        Assert.Equal(new SmsParts(SmsEncoding.Ucs2, 70, 1, 0, 70), SmsParts.Of(string.Concat(Enumerable.Repeat("😀", 35))));
        Assert.Equal(2, SmsParts.Of(string.Concat(Enumerable.Repeat("😀", 36))).Parts);
    }

    [Fact]
    public void An_emoji_is_not_cut_between_parts()
    {
        // 66 letters and an emoji: the emoji does not fit in unit 67, so part 1 holds 66 and part 2 the emoji and the rest.
        var p = SmsParts.Of(new string('س', 66) + "😀" + new string('س', 5));
        Assert.Equal(73, p.Characters);
        Assert.Equal(2, p.Parts);
        Assert.Equal(67 - 7, p.Remaining);
    }

    [Fact]
    public void Line_breaks_are_gsm7()
    {
        var p = SmsParts.Of("a\nb\r\nc");
        Assert.Equal(SmsEncoding.Gsm7, p.Encoding);
        Assert.Equal(6, p.Characters);
    }
}
