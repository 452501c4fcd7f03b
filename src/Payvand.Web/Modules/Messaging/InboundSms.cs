using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Modules.Contacts;
using Payvand.Platform.Extensions;

namespace Payvand.Modules.Messaging;

// What Payvand did with an inbound SMS: nothing (any other text), or the reply's opt-out / opt-in (SmsReplies.Read),
// applied to every person with the number and to the line's block, whether or not it changed something.
public enum InboundSmsAction
{
    None,
    OptedOut,
    OptedIn,
}

// An SMS someone sent to one of the sender lines, kept once (SmsReplies): polled from the gateway or pushed by its
// webhook. Key makes it once per channel: the gateway's message id when it gives one, else a hash of line, sender,
// text and time. ContactId is the person with the sender's mobile (the first by id when several have it).
public sealed class InboundSms
{
    public const string SourceType = "Messaging.InboundSms";
    public const string TimelineType = "message.sms.inbound";
    public const int MaxTextLength = 2000;

    public long Id { get; set; }

    public int? SmsChannelId { get; set; }

    public required string Line { get; set; }

    // The sender: a normalized mobile (+989…) when it is one, else the number as the gateway gave it.
    public required string From { get; set; }

    public required string Text { get; set; }

    public DateTime ReceivedAt { get; set; }

    public long? ProviderMessageId { get; set; }

    public required string Key { get; set; }

    public int? ContactId { get; set; }

    public InboundSmsAction Action { get; set; }

    public DateTime CreatedAt { get; set; }

    // "c{channel}:m{gateway id}", or "c{channel}:h{sha256 of line, sender, text and second received}" without an id.
    public static string KeyOf(int channelId, long? providerMessageId, string line, string from, string text, DateTime receivedAt)
    {
        var channel = channelId.ToString(CultureInfo.InvariantCulture);
        if (providerMessageId is > 0 and var id) return $"c{channel}:m{id.ToString(CultureInfo.InvariantCulture)}";
        var content = string.Join('\n', line, from, text, receivedAt.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        return $"c{channel}:h{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))}";
    }
}

internal sealed class InboundSmsConfiguration : IEntityTypeConfiguration<InboundSms>
{
    public void Configure(EntityTypeBuilder<InboundSms> b)
    {
        b.ToTable("InboundSms");
        b.Property(m => m.Line).HasMaxLength(20);
        b.Property(m => m.From).HasMaxLength(30);
        b.Property(m => m.Text).HasMaxLength(InboundSms.MaxTextLength);
        b.Property(m => m.Key).HasMaxLength(100);
        b.HasIndex(m => m.Key).IsUnique();
        b.HasOne<Contact>().WithMany().HasForeignKey(m => m.ContactId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<SmsChannel>().WithMany().HasForeignKey(m => m.SmsChannelId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(m => new { m.ReceivedAt, m.Id });
        b.HasIndex(m => m.ContactId);
    }
}

// Stored with the timeline entry; the action by name, so the stored data reads without this code.
public sealed record InboundSmsEntryData(
    string Line, string From, [property: JsonConverter(typeof(JsonStringEnumConverter<InboundSmsAction>))] InboundSmsAction Action);

// An inbound SMS on the person's timeline, its text as the entry's body: "SMS reply received · To line 10004346 ·
// Opted out of promotional SMS", in the reader's language.
internal sealed class InboundSmsEntryType : ITimelineEntryType
{
    public string Type => InboundSms.TimelineType;

    public string Label => "SMS reply received";

    public string Describe(JsonElement data, TimelineReader reader)
    {
        var entry = data.Deserialize<InboundSmsEntryData>(MessageText.Json)!;
        var line = reader.Text["To line {0}", entry.Line].Value;
        return entry.Action == InboundSmsAction.None ? line : $"{line}{reader.Separator}{reader.Text[ActionText(entry.Action)]}";
    }

    public static string ActionText(InboundSmsAction action) => action switch
    {
        InboundSmsAction.OptedOut => "Opted out of promotional SMS",
        InboundSmsAction.OptedIn => "Opted in to promotional SMS",
        _ => "No action",
    };
}
