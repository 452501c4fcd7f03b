using System.Globalization;
using Payvand.Components.Shared;
using Payvand.Platform.Persian;
using Payvand.Platform.Search;

namespace Payvand.Tests.Platform.Persian;

// Left-to-right numbers inside right-to-left text: a phone number is isolated so its groups are drawn in order
// ("۰۹۱۲ ۳۴۵ ۶۷۸۹", not "۶۷۸۹ ۳۴۵ ۰۹۱۲"), and Persian lines are not joined by a middle dot that reads as a zero.
public sealed class BidiTextTests
{
    private static T In<T>(string culture, Func<T> read)
    {
        var ui = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return read();
        }
        finally
        {
            CultureInfo.CurrentUICulture = ui;
        }
    }

    [Fact]
    public void A_phone_is_isolated_left_to_right()
    {
        Assert.Equal("\u2066۰۹۱۲ ۳۴۵ ۶۷۸۹\u2069", In("fa-IR", () => UiText.Phone("+989123456789")));
        Assert.Equal("\u20660912 345 6789\u2069", In("en-US", () => UiText.Phone("+989123456789")));
        Assert.Equal("", PersianText.LeftToRight(null));
    }

    [Fact]
    public void Persian_parts_are_joined_by_the_persian_comma()
    {
        Assert.Equal("سپیدار، تهران", In("fa-IR", () => SearchHit.Join("سپیدار", null, "تهران")));
        Assert.Equal("Sepidar · Tehran", In("en-US", () => SearchHit.Join("Sepidar", "", "Tehran")));
        Assert.DoesNotContain("·", In("fa-IR", () => UiText.Separator), StringComparison.Ordinal);
    }
}
