using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Platform.Extensions;

// What a timeline entry's text is drawn with: the reader's language and the business's money unit.
public sealed record TimelineReader(IStringLocalizer<SharedResource> Text, MoneyUnit Unit, CultureInfo Culture)
{
    // An amount as the rest of the UI shows it: rials in the business's unit ("۷٬۵۰۰٬۰۰۰ تومان"), others with their code.
    public string Money(long amount, string currency) => currency == "IRR"
        ? MoneyFormatter.Format(amount, Unit, Culture)
        : Number(amount) + " " + currency;

    public string Number(long value) => PersianText.Grouped(value, PersianText.IsPersianCulture(Culture));

    // Between the parts of one line (UiText.Separator in the reader's language).
    public string Separator => PersianText.Separator(PersianText.IsPersianCulture(Culture));
}

// A kind of entry a module writes on timelines (a purchase, a refund; later points earned, a deal won, a ticket
// closed), registered with services.AddTimelineEntryType<T>(). Entries store their type and structured data, not
// prose, so each reader sees them in their own language and the business's money unit, and the timeline's filter
// offers each registered type.
public interface ITimelineEntryType
{
    // The Type the module writes the entries with ("purchase").
    string Type { get; }

    // The English resource key of the type's name ("Purchase"), shown on the entry and in the filter.
    string Label { get; }

    // The entry's subject line from its data, in the reader's language.
    string Describe(JsonElement data, TimelineReader reader);
}

public static class TimelineEntryTypeRegistration
{
    public static IServiceCollection AddTimelineEntryType<T>(this IServiceCollection services) where T : class, ITimelineEntryType =>
        services.AddSingleton<ITimelineEntryType, T>();
}
