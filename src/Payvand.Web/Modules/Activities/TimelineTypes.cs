using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Extensions;
using Payvand.Platform.Localization;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Activities;

// The entry types modules registered (ITimelineEntryType), and the text of an entry for the reader now: its type's
// name and its subject drawn from its data in the reader's language (CurrentUICulture) and the business's money unit.
public sealed class TimelineTypes(IEnumerable<ITimelineEntryType> types, PayvandSettings settings, IStringLocalizer<SharedResource> text)
{
    private readonly Dictionary<string, ITimelineEntryType> byType = types.ToDictionary(t => t.Type, StringComparer.Ordinal);

    public IReadOnlyCollection<ITimelineEntryType> All => byType.Values;

    public ITimelineEntryType? Find(string? type) => type is not null && byType.TryGetValue(type, out var t) ? t : null;

    public async Task<TimelineReader> Reader(CancellationToken ct) =>
        new(text, (await settings.Get(ct)).MoneyUnit, CultureInfo.CurrentUICulture);

    // (the type's name, the subject): the stored subject when the type is not registered or the entry has no data.
    public (string? Label, string? Subject) Describe(string? type, JsonElement? data, string? storedSubject, TimelineReader reader)
    {
        if (Find(type) is not { } entryType) return (null, storedSubject);
        return (text[entryType.Label], data is { } json ? entryType.Describe(json, reader) : storedSubject);
    }
}
