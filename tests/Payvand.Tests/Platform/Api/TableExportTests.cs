using Payvand.Platform.Api;

namespace Payvand.Tests.Platform.Api;

// An export writes every date of a row in one calendar: Jalali in Persian (beside the Jalali birth date), ISO in English.
public sealed class TableExportTests
{
    [Fact]
    public void An_instant_is_written_in_the_exports_calendar()
    {
        var utc = new DateTime(2024, 8, 2, 14, 30, 0, DateTimeKind.Utc);
        Assert.Equal("1403/05/12 14:30", TableExport.Instant(utc, persian: true));
        Assert.Equal("2024-08-02 14:30", TableExport.Instant(utc, persian: false));
    }
}
