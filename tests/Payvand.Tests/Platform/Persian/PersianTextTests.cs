using Payvand.Platform.Persian;

namespace Payvand.Tests.Platform.Persian;

public class PersianTextTests
{
    [Theory]
    [InlineData("۰۱۲۳۴۵۶۷۸۹", "0123456789")]
    [InlineData("٠١٢٣٤٥٦٧٨٩", "0123456789")]
    [InlineData("۱۲۳٫۵", "123.5")]
    [InlineData("۱٬۲۳۴٬۵۰۰", "1,234,500")]
    [InlineData("کد ۱۲۳ abc 456", "کد 123 abc 456")]
    [InlineData("mixed ۱2٣", "mixed 123")]
    [InlineData("", "")]
    public void ToLatinDigits_converts_every_digit_script(string input, string expected) =>
        Assert.Equal(expected, PersianText.ToLatinDigits(input));

    [Fact]
    public void ToLatinDigits_of_null_is_empty() => Assert.Equal("", PersianText.ToLatinDigits(null));

    [Theory]
    [InlineData("0123456789", "۰۱۲۳۴۵۶۷۸۹")]
    [InlineData("٤٥٦", "۴۵۶")]
    [InlineData("1403/01/01", "۱۴۰۳/۰۱/۰۱")]
    [InlineData("1,234.5", "۱,۲۳۴.۵")]
    [InlineData("abc", "abc")]
    public void ToPersianDigits_converts_digits_only(string input, string expected) =>
        Assert.Equal(expected, PersianText.ToPersianDigits(input));

    [Theory]
    [InlineData("علي", "علی")] // Arabic yeh
    [InlineData("موسى", "موسی")] // alef maksura
    [InlineData("كريم", "کریم")] // Arabic kaf and yeh
    [InlineData("فاطمة", "فاطمه")] // teh marbuta
    [InlineData("خانۀ", "خانه")] // heh with yeh above
    [InlineData("خانهٔ", "خانه")] // heh + hamza above (U+0654)
    [InlineData("أحمد", "احمد")]
    [InlineData("إيران", "ایران")]
    [InlineData("ٱلله", "الله")]
    [InlineData("آرش", "آرش")] // alef madda stays
    [InlineData("مؤسسه", "موسسه")]
    [InlineData("مُحَمَّد", "محمد")] // diacritics removed
    [InlineData("رحمٰن", "رحمن")] // superscript alef removed
    [InlineData("ســـلام", "سلام")] // tatweel removed
    [InlineData("ﻋﻠﯽ", "علی")] // presentation forms (FormKC)
    [InlineData("ＡＢＣ", "abc")] // full-width Latin (FormKC)
    [InlineData("  Hello   WORLD ", "hello world")]
    [InlineData("ali\u00A0reza", "ali reza")] // no-break space
    [InlineData("a\u2009b\u202Fc\u3000d", "a b c d")] // thin, narrow no-break and ideographic spaces
    [InlineData("a\tb\r\nc", "a b c")]
    [InlineData("می\u200Cخواهم", "می خواهم")] // ZWNJ becomes a space
    [InlineData("می\u200Dخواهم", "می خواهم")] // ZWJ too
    [InlineData("می \u200C خواهم", "می خواهم")] // and collapses with neighbouring spaces
    [InlineData("\u200Fعلی\u200E", "علی")] // bidi marks dropped
    [InlineData("پلاک ۱۲ و ٣٤", "پلاک 12 و 34")]
    [InlineData("۱۲٫۵", "12.5")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    public void Normalize_folds_to_one_canonical_form(string input, string expected) =>
        Assert.Equal(expected, PersianText.Normalize(input));

    [Fact]
    public void Normalize_of_null_is_empty() => Assert.Equal("", PersianText.Normalize(null));

    [Fact]
    public void Normalize_is_idempotent()
    {
        const string text = "  مُحَمَّد\u200Cعلي كريمي ۱۲۳ ABC ";
        var once = PersianText.Normalize(text);
        Assert.Equal(once, PersianText.Normalize(once));
    }

    [Theory]
    [InlineData("می\u200Cخواهم")]
    [InlineData("میخواهم")]
    [InlineData("می خواهم")]
    [InlineData(" مي\u200Cخواهم ")]
    public void NormalizeKey_matches_half_space_no_space_and_space(string input) =>
        Assert.Equal("میخواهم", PersianText.NormalizeKey(input));

    [Theory]
    [InlineData("Ali Reza", "alireza")]
    [InlineData("۰۹۱۲ ۱۲۳ ۴۵۶۷", "09121234567")]
    [InlineData(null, "")]
    public void NormalizeKey_removes_all_spaces(string? input, string expected) =>
        Assert.Equal(expected, PersianText.NormalizeKey(input));

    [Fact]
    public void Tokens_of_a_half_space_word_include_parts_and_joined_form() =>
        Assert.Equal(["می", "خواهم", "میخواهم"], PersianText.Tokens("می\u200Cخواهم"));

    [Theory]
    [InlineData("علي، كريمي!", "علی|کریمی")]
    [InlineData("Hello, hello; HELLO.", "hello")]
    [InlineData("ali@example.com", "ali|example|com")]
    [InlineData("کتاب\u200Cها و دفترها", "کتاب|ها|کتابها|و|دفترها")]
    [InlineData("فروشگاه\u200Cهای زنجیره\u200Cای", "فروشگاه|های|فروشگاههای|زنجیره|ای|زنجیرهای")]
    [InlineData("سفارش ۱۲۳", "سفارش|123")]
    [InlineData("(  ) - !", "")]
    [InlineData(null, "")]
    public void Tokens_are_distinct_normalized_words(string? input, string expected)
    {
        var want = expected.Length == 0 ? [] : expected.Split('|');
        Assert.Equal(want, PersianText.Tokens(input));
    }

    [Fact]
    public void Tokens_of_typed_forms_find_the_indexed_half_space_word()
    {
        var indexed = PersianText.Tokens("می\u200Cخواهم");
        Assert.All(PersianText.Tokens("میخواهم").Concat(PersianText.Tokens("می خواهم")), t => Assert.Contains(t, indexed));
    }
}
