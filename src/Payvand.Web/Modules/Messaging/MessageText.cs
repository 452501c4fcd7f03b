using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payvand.Modules.Messaging;

// The English resource keys of message states and reasons (the Persian ones are in SharedResource.fa.resx).
public static class MessageText
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Status(MessageStatus status) => status switch
    {
        MessageStatus.Queued => "Queued",
        MessageStatus.Waiting => "Waiting",
        MessageStatus.Sending => "Sending",
        MessageStatus.Sent => "Sent",
        MessageStatus.Delivered => "Delivered",
        MessageStatus.Failed => "Failed",
        MessageStatus.Suppressed => "Suppressed",
        _ => "Cancelled",
    };

    // The reason in the words of the message's channel: an email has no mobile number or SMS channel to miss.
    public static string Reason(MessageReason reason, string channel) => channel == Contacts.ConsentChannel.Email
        ? reason switch
        {
            MessageReason.NoAddress => "No email address",
            MessageReason.Blocked => "Address blocked",
            MessageReason.NoChannel => "No email channel configured",
            MessageReason.Rejected => "Refused by the mail server",
            MessageReason.GatewayError => "Mail server error",
            _ => Reason(reason),
        }
        : Reason(reason);

    public static string Reason(MessageReason reason) => reason switch
    {
        MessageReason.None => "",
        MessageReason.Deleted => "Person deleted",
        MessageReason.NoAddress => "No mobile number",
        MessageReason.OptedOut => "Opted out",
        MessageReason.NoConsent => "No consent",
        MessageReason.Blocked => "Number blocked",
        MessageReason.QuietHours => "Quiet hours",
        MessageReason.OutsideBestTime => "Outside the person's best time",
        MessageReason.FrequencyCap => "Weekly cap reached",
        MessageReason.NoChannel => "No SMS channel configured",
        MessageReason.Rejected => "Refused by the gateway",
        MessageReason.GatewayError => "Gateway error",
        MessageReason.Undelivered => "Not delivered",
        MessageReason.CarrierBlacklist => "On the carrier's blacklist",
        MessageReason.Bounced => "Address bounced",
        MessageReason.Complained => "Marked as spam",
        _ => "Cancelled by the gateway",
    };
}
