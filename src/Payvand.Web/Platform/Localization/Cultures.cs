using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Payvand.Platform.Localization;

// The two UI languages. Persian uses the Jalali calendar for the pickers and is right-to-left.
public static class Cultures
{
    public const string Persian = "fa-IR";
    public const string English = "en-US";
    public const string CookieName = ".Payvand.Culture";
    public const string UserClaim = "payvand:culture";

    public static readonly string[] Supported = [Persian, English];

    public static bool IsPersian(CultureInfo culture) => culture.TwoLetterISOLanguageName == "fa";

    public static bool IsRightToLeft => CultureInfo.CurrentUICulture.TextInfo.IsRightToLeft;

    public static string Normalize(string? name) =>
        name is not null && name.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English
        : name is not null && name.StartsWith("fa", StringComparison.OrdinalIgnoreCase) ? Persian
        : Persian;

    // fa-IR with the Persian (Jalali) calendar, for date pickers and culture-aware formatting.
    public static CultureInfo PersianWithJalali()
    {
        var culture = (CultureInfo)CultureInfo.GetCultureInfo(Persian).Clone();
        if (culture.DateTimeFormat.Calendar is not PersianCalendar &&
            culture.OptionalCalendars.Any(c => c is PersianCalendar))
        {
            culture.DateTimeFormat.Calendar = new PersianCalendar();
        }

        return culture;
    }

    public static RequestLocalizationOptions Options(string defaultCulture)
    {
        var options = new RequestLocalizationOptions()
            .SetDefaultCulture(Normalize(defaultCulture))
            .AddSupportedCultures(Supported)
            .AddSupportedUICultures(Supported);
        options.RequestCultureProviders =
        [
            new UserChoiceProvider(),
            new CookieRequestCultureProvider { CookieName = CookieName },
            new AcceptLanguageProvider(),
        ];
        return options;
    }

    // The browser's languages in order of preference; "fa", "fa-AF" and "fa-IR" all mean Persian, any "en" English.
    private sealed class AcceptLanguageProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var languages = httpContext.Request.GetTypedHeaders().AcceptLanguage
                .OrderByDescending(l => l.Quality ?? 1)
                .Select(l => l.Value.Value ?? "")
                .FirstOrDefault(l => l.StartsWith("fa", StringComparison.OrdinalIgnoreCase) || l.StartsWith("en", StringComparison.OrdinalIgnoreCase));
            return Task.FromResult(languages is null ? null : new ProviderCultureResult(Normalize(languages)));
        }
    }

    // The signed-in user's saved choice comes first.
    private sealed class UserChoiceProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var value = httpContext.User.FindFirst(UserClaim)?.Value;
            return Task.FromResult(value is null ? null : new ProviderCultureResult(Normalize(value)));
        }
    }
}
