using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Payvand.Platform.Localization;

namespace Payvand.Tests.Platform.Localization;

// MudBlazor's own words (Select row, Rows per page, the pager's "1-25 of 300") in Persian with Persian digits; English
// keeps MudBlazor's defaults.
public sealed class MudTextTests
{
    private static MudText Create() => new(new StringLocalizer<SharedResource>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance)));

    private static T In<T>(string culture, Func<T> read)
    {
        var (ui, current) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return read();
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, current);
        }
    }

    [Fact]
    public void Every_mapped_key_reads_persian_in_persian()
    {
        var text = Create();
        var english = In("fa-IR", () => MudText.Keys.Where(k => { var s = text[k.Key, "1", "2", "3"]; return s.ResourceNotFound || s.Value.Any(char.IsAsciiLetter); })
            .Select(k => k.Key).ToList());
        Assert.True(english.Count == 0, "Not in Persian: " + string.Join(", ", english));
    }

    [Fact]
    public void The_pager_counts_read_in_persian_digits()
    {
        var text = Create();
        Assert.Equal("۱ تا ۲۵ از ۱٬۲۰۰", In("fa-IR", () => text["MudDataGridPager_InfoFormat", "1", "25", "1,200"].Value));
        Assert.Equal("انتخاب ردیف", In("fa-IR", () => text["MudDataGrid_SelectRow"].Value));
        Assert.Equal("باز و بسته کردن مدیریت سامانه", In("fa-IR", () => text["MudNavGroup_ToggleExpand", "مدیریت سامانه"].Value));
    }

    [Fact]
    public void English_keeps_mudblazors_own_words()
    {
        var text = Create();
        Assert.True(In("en-US", () => text["MudDataGrid_SelectRow"].ResourceNotFound));
    }
}
