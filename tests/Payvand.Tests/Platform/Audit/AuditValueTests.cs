using System.Globalization;
using Payvand.Platform.Audit;

namespace Payvand.Tests.Platform.Audit;

// Audit entries store values the same way whoever wrote them: ISO dates and instants, never a culture's short date
// (DateOnly's invariant text is the US 08/05/1993, which a reader took for the 8th of May).
public sealed class AuditValueTests
{
    [Theory]
    [InlineData("en-US")]
    [InlineData("fa-IR")]
    [InlineData("")]
    public void Dates_instants_and_times_are_stored_iso_in_any_culture(string culture)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            Assert.Equal("1993-08-05", AuditValue.Text(new DateOnly(1993, 8, 5)));
            Assert.Equal("2026-12-07T05:30:00.0000000Z", AuditValue.Text(new DateTime(2026, 12, 7, 5, 30, 0, DateTimeKind.Utc)));
            Assert.Equal("2026-12-07T05:30:00.0000000+00:00", AuditValue.Text(new DateTimeOffset(2026, 12, 7, 5, 30, 0, TimeSpan.Zero)));
            Assert.Equal("18:45", AuditValue.Text(new TimeOnly(18, 45)));
            Assert.Equal("1234.5", AuditValue.Text(1234.5m));
            Assert.Null(AuditValue.Text(null));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
