using System.Text.Json;
using Payvand.Platform.Extensions;

namespace Payvand.Modules.Purchases;

// The data of a purchase's timeline entry: what the reader needs to see it in their language and money unit.
public sealed record PurchaseEntryData(long Total, string Currency, int Lines);

// The data of a refund's entry; its reason (free text) is the entry's body.
public sealed record RefundEntryData(long Amount, string Currency);

// "Purchase of 7,500,000 toman · 3 items", "خرید به مبلغ ۷٬۵۰۰٬۰۰۰ تومان، ۳ قلم" in the reader's language.
internal sealed class PurchaseEntryType : ITimelineEntryType
{
    public const string Name = "purchase";

    public string Type => Name;

    public string Label => "Purchase";

    public string Describe(JsonElement data, TimelineReader reader)
    {
        var entry = data.Deserialize<PurchaseEntryData>(JsonSerializerOptions.Web)!;
        var amount = reader.Text["Purchase of {0}", reader.Money(entry.Total, entry.Currency)];
        return entry.Lines > 0 ? $"{amount}{reader.Separator}{reader.Text[entry.Lines == 1 ? "{0} item" : "{0} items", reader.Number(entry.Lines)]}" : amount;
    }
}

internal sealed class RefundEntryType : ITimelineEntryType
{
    public const string Name = "refund";

    public string Type => Name;

    public string Label => "Refund";

    public string Describe(JsonElement data, TimelineReader reader)
    {
        var entry = data.Deserialize<RefundEntryData>(JsonSerializerOptions.Web)!;
        return reader.Text["Refund of {0}", reader.Money(entry.Amount, entry.Currency)];
    }
}
