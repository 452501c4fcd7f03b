using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Organization;

// The business settings an administrator chooses: the money unit amounts are shown in (rial or toman), the
// roles that must use an authenticator app to sign in, and how many days uploaded and exported files are kept
// (null: the server's default, FileRetention.ConfiguredDays), and the courtesy rules of promotional messages: quiet
// hours in the business time zone and the weekly cap per person and channel. Changes are audited.
public sealed class EditSettings(
    PayvandSettings settings, IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, CurrentUserAccessor currentUser,
    IStringLocalizer<SharedResource> text)
{
    // Audited as the AppSetting row that holds them.
    public const string AuditType = nameof(AppSetting);
    public const string AuditId = "business";

    public const int MaxWeeklyCap = 100;

    public sealed record Request(
        MoneyUnit MoneyUnit, List<string>? TwoFactorRequiredRoles, int? FileRetentionDays = null,
        TimeOnly? QuietFrom = null, TimeOnly? QuietTo = null, int? WeeklyPromotionalCap = null);

    public async Task<BusinessSettings> Get(UserScope user, CancellationToken ct)
    {
        UserRules.Require(user, OrganizationPermissions.Settings, text);
        return await settings.Get(ct);
    }

    public async Task<BusinessSettings> Save(Request request, UserScope user, CancellationToken ct)
    {
        UserRules.Require(user, OrganizationPermissions.Settings, text);
        var v = new Validator(text);
        if (!Enum.IsDefined(request.MoneyUnit)) v.Add("moneyUnit", "{0} must be one of: {1}.", text["Money unit"], string.Join(", ", Enum.GetNames<MoneyUnit>()));
        var roles = new List<string>();
        foreach (var name in request.TwoFactorRequiredRoles ?? [])
        {
            var role = Roles.All.FirstOrDefault(r => string.Equals(r, name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (role is null) v.Add("twoFactorRequiredRoles", "{0} must be one of: {1}.", text["Role"], string.Join(", ", Roles.All));
            else if (!roles.Contains(role)) roles.Add(role);
        }

        if (request.FileRetentionDays is < 1 or > FileRetention.MaxDays)
        {
            v.Add("fileRetentionDays", "{0} must be between {1} and {2}.", text["Keep files for (days)"], 1, FileRetention.MaxDays);
        }

        if ((request.QuietFrom is null) != (request.QuietTo is null))
        {
            v.Add(request.QuietFrom is null ? "quietFrom" : "quietTo", "Give both the start and the end of the quiet hours, or neither.");
        }
        else if (request.QuietFrom is { } from && from == request.QuietTo)
        {
            v.Add("quietTo", "The quiet hours must end at another time than they start.");
        }

        if (request.WeeklyPromotionalCap is < 1 or > MaxWeeklyCap)
        {
            v.Add("weeklyPromotionalCap", "{0} must be between {1} and {2}.", text["Promotional messages per week"], 1, MaxWeeklyCap);
        }

        v.ThrowIfAny();
        roles = roles.OrderBy(r => Array.IndexOf(Roles.All, r)).ToList();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (roles.Any(user.IsInRole) && !await db.Users.AnyAsync(u => u.Id == user.UserId && u.TwoFactorEnabled, ct))
        {
            // Otherwise the administrator would lock themselves out of the API at once.
            throw new DomainRuleException(text["Set up two-step sign-in for yourself before requiring it for your own role."]);
        }

        var before = await settings.Get(ct);
        var after = before with
        {
            MoneyUnit = request.MoneyUnit,
            TwoFactorRequiredRoles = roles,
            FileRetentionDays = request.FileRetentionDays,
            QuietFrom = request.QuietFrom,
            QuietTo = request.QuietTo,
            WeeklyPromotionalCap = request.WeeklyPromotionalCap,
        };
        var changes = new List<FieldChange>();
        if (before.MoneyUnit != after.MoneyUnit) changes.Add(new FieldChange(nameof(BusinessSettings.MoneyUnit), before.MoneyUnit.ToString(), after.MoneyUnit.ToString()));
        if (!before.TwoFactorRequiredRoles.SequenceEqual(roles))
        {
            changes.Add(new FieldChange(nameof(BusinessSettings.TwoFactorRequiredRoles), Joined(before.TwoFactorRequiredRoles), Joined(roles)));
        }

        if (before.FileRetentionDays != after.FileRetentionDays)
        {
            changes.Add(new FieldChange(nameof(BusinessSettings.FileRetentionDays), Days(before.FileRetentionDays), Days(after.FileRetentionDays)));
        }

        if (before.QuietFrom != after.QuietFrom) changes.Add(new FieldChange(nameof(BusinessSettings.QuietFrom), Time(before.QuietFrom), Time(after.QuietFrom)));
        if (before.QuietTo != after.QuietTo) changes.Add(new FieldChange(nameof(BusinessSettings.QuietTo), Time(before.QuietTo), Time(after.QuietTo)));
        if (before.WeeklyPromotionalCap != after.WeeklyPromotionalCap)
        {
            changes.Add(new FieldChange(nameof(BusinessSettings.WeeklyPromotionalCap), Days(before.WeeklyPromotionalCap), Days(after.WeeklyPromotionalCap)));
        }

        if (changes.Count == 0) return before;
        await settings.Save(after, ct);
        db.Audit.Add(UserRules.AuditChanges(user, currentUser.IpAddress, clock.GetUtcNow().UtcDateTime, AuditType, AuditId, changes));
        await db.SaveChangesAsync(ct);
        return after;
    }

    private static string? Days(int? days) => days?.ToString(CultureInfo.InvariantCulture);

    private static string? Time(TimeOnly? time) => time?.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string? Joined(IEnumerable<string> roles) => string.Join(", ", roles) is { Length: > 0 } s ? s : null;
}
