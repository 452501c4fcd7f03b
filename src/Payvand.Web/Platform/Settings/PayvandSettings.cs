using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Persian;

namespace Payvand.Platform.Settings;

// Administrator settings of the business, stored in the database (AppSetting rows).
public sealed record BusinessSettings
{
    public MoneyUnit MoneyUnit { get; init; } = MoneyUnit.Toman;

    // Roles whose members must use an authenticator app to sign in (empty: optional for everyone).
    public IReadOnlyList<string> TwoFactorRequiredRoles { get; init; } = [];

    // Days uploaded and exported files are kept (see Jobs/FileRetention); null: Payvand:Files:RetentionDays, else 30.
    public int? FileRetentionDays { get; init; }

    // The business's time zone (IANA id): schedules ("every day at 09:00"), quiet hours and days are read in it.
    // Null: Payvand:TimeZone, else Asia/Tehran.
    public string? TimeZone { get; init; }

    // No promotional message is sent from QuietFrom to QuietTo in the business time zone (22:00-08:00 wraps past
    // midnight); both null: no quiet hours. Transactional messages are not held.
    public TimeOnly? QuietFrom { get; init; }

    public TimeOnly? QuietTo { get; init; }

    // At most this many promotional messages per person and channel in any 7 days; null: no cap.
    public int? WeeklyPromotionalCap { get; init; }
}

public sealed class PayvandSettings(IDbContextFactory<PayvandDb> dbFactory, IConfiguration configuration)
{
    public const string DefaultTimeZone = "Asia/Tehran";

    private const string Key = "business";
    private BusinessSettings? cached;

    public async Task<BusinessSettings> Get(CancellationToken ct = default)
    {
        if (cached is not null) return cached;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.Key == Key, ct);
        cached = row is null ? new BusinessSettings() : JsonSerializer.Deserialize<BusinessSettings>(row.Value, AuditJson.Options) ?? new BusinessSettings();
        return cached;
    }

    public async Task<TimeZoneInfo> TimeZone(CancellationToken ct = default) => ZoneOf(await Get(ct));

    // The business time zone for code that cannot wait (a row of an import being read): the settings as last read,
    // which start-up reads (StartupTasks) and saving refreshes.
    public TimeZoneInfo CurrentTimeZone => ZoneOf(cached ?? new BusinessSettings());

    private TimeZoneInfo ZoneOf(BusinessSettings settings) =>
        TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone ?? configuration["Payvand:TimeZone"] ?? DefaultTimeZone);

    public async Task Save(BusinessSettings settings, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var json = JsonSerializer.Serialize(settings, AuditJson.Options);
        var row = await db.Settings.SingleOrDefaultAsync(s => s.Key == Key, ct);
        if (row is null) db.Settings.Add(new AppSetting { Key = Key, Value = json });
        else row.Value = json;
        await db.SaveChangesAsync(ct);
        cached = settings;
    }
}
