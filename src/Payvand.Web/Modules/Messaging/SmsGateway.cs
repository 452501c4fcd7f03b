namespace Payvand.Modules.Messaging;

// Where and with what a gateway call is made: from an SmsChannel, the API key unprotected for the call only.
public sealed record SmsAccount(string BaseUrl, string ApiKey);

// One message to send. LocalId is the idempotency key: the gateway sends a local id once and finds it again.
public sealed record OutgoingSms(long LocalId, string Receptor, string Sender, string Text);

// The gateway's answer for one message: its id there and its state (Kavenegar's status codes).
public sealed record SmsReceipt(long LocalId, long ProviderId, int Status);

// A message's state at the gateway; ProviderId 0 and status 100 when there is no such message.
public sealed record SmsState(long ProviderId, long? LocalId, int Status)
{
    public bool Found => ProviderId > 0 && Status != SmsStatusCodes.Unknown;
}

public sealed record IncomingSms(long ProviderId, string From, string Line, string Text, DateTime ReceivedAt);

// A gateway call that failed. Temporary: worth trying again later (network, timeout, 5xx, bad key, no credit);
// otherwise the messages themselves were refused (bad number or sender, empty text). MaybeAccepted: the gateway may have
// taken the messages before failing to answer (a timeout, a 5xx), so they are looked up by local id before another send.
public sealed class SmsGatewayException(string message, int? code, bool temporary, bool maybeAccepted, Exception? inner = null) : Exception(message, inner)
{
    public int? Code { get; } = code;

    public bool Temporary { get; } = temporary;

    public bool MaybeAccepted { get; } = maybeAccepted;
}

// An SMS gateway. A second provider is one class implementing this, registered with AddSmsGateway<T>().
public interface ISmsGateway
{
    // The provider name SmsChannel.Provider and the webhook path use ("kavenegar").
    string Provider { get; }

    // The most messages one Send takes.
    int MaxBatch { get; }

    // Sends the messages (one call); the receipts come in the order of the messages.
    Task<IReadOnlyList<SmsReceipt>> Send(SmsAccount account, IReadOnlyList<OutgoingSms> messages, CancellationToken ct);

    Task<IReadOnlyList<SmsState>> Status(SmsAccount account, IReadOnlyList<long> providerIds, CancellationToken ct);

    Task<IReadOnlyList<SmsState>> StatusByLocalId(SmsAccount account, IReadOnlyList<long> localIds, CancellationToken ct);

    // The unread inbound messages of one line (they become read).
    Task<IReadOnlyList<IncomingSms>> Receive(SmsAccount account, string line, CancellationToken ct);
}

// Kavenegar's message status codes, which this module reads as the common language of SMS states.
public static class SmsStatusCodes
{
    public const int Delivered = 10;
    public const int Undelivered = 11;
    public const int Cancelled = 13;
    public const int Blacklisted = 14;
    public const int Unknown = 100;

    // The message's state for a gateway status: in progress (1, 2, 4, 5) is Sent; 6 and 11 failed.
    public static (MessageStatus Status, MessageReason Reason) Read(int code) => code switch
    {
        Delivered => (MessageStatus.Delivered, MessageReason.None),
        6 or Undelivered => (MessageStatus.Failed, MessageReason.Undelivered),
        Cancelled => (MessageStatus.Failed, MessageReason.CancelledByProvider),
        Blacklisted => (MessageStatus.Failed, MessageReason.CarrierBlacklist),
        _ => (MessageStatus.Sent, MessageReason.None),
    };
}
