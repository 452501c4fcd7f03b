using System.Text.RegularExpressions;

namespace Payvand.FakeKavenegar;

public sealed record SentSms(long MessageId, long? LocalId, string Sender, string Receptor, string Message, long Date);

public sealed record InboundSms(long MessageId, string Sender, string Receptor, string Message, long Date)
{
    public bool Read { get; set; }
}

// The fake's memory: every message accepted, by Kavenegar's id and by the caller's local id (a second send with a
// local id already seen answers with the first message, as Kavenegar does, and sends nothing), the inboxes per line,
// the delivery status chosen for numbers, and the faults asked for.
public sealed partial class Gateway(IReadOnlyCollection<string> apiKeys, TimeProvider clock)
{
    public const string DisabledKey = "disabled-key";

    private readonly Lock gate = new();
    private readonly List<SentSms> sent = [];
    private readonly Dictionary<long, SentSms> byId = [];
    private readonly Dictionary<long, SentSms> byLocalId = [];
    private readonly Dictionary<string, int> numberStatus = [];
    private readonly List<InboundSms> inbox = [];
    private long lastId = 700_000_000;
    private int failNext;
    private int failStatus = 502;

    public int SendCalls { get; private set; }

    public int DuplicateSends { get; private set; }

    public bool NoCredit { get; set; }

    public int DelayMilliseconds { get; set; }

    public bool KnowsKey(string key) => apiKeys.Contains(key) || key == DisabledKey;

    // 09121234567, 9121234567, 989121234567, +989121234567 and 00989121234567 are one number: its last ten digits.
    public static string? NumberKey(string receptor)
    {
        var match = Mobile().Match(receptor.Trim());
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"^(?:0|98|\+98|0098)?(9\d{9})$")]
    private static partial Regex Mobile();

    // A failure asked for through /_fake/fail, consumed by one API call: the HTTP status to answer with, or null.
    public int? TakeFailure()
    {
        lock (gate)
        {
            if (failNext <= 0) return null;
            failNext--;
            return failStatus;
        }
    }

    public void FailNext(int count, int status)
    {
        lock (gate)
        {
            failNext = count;
            failStatus = status;
        }
    }

    // Accepts messages (all validated by the caller); a local id already seen gives back its first message.
    public List<SentSms> Send(IReadOnlyList<(string Sender, string Receptor, string Message, long? LocalId)> messages)
    {
        var date = clock.GetUtcNow().ToUnixTimeSeconds();
        lock (gate)
        {
            SendCalls++;
            var answers = new List<SentSms>();
            foreach (var m in messages)
            {
                if (m.LocalId is { } local && byLocalId.TryGetValue(local, out var earlier))
                {
                    DuplicateSends++;
                    answers.Add(earlier);
                    continue;
                }

                var sms = new SentSms(++lastId, m.LocalId, m.Sender, m.Receptor, m.Message, date);
                sent.Add(sms);
                byId[sms.MessageId] = sms;
                if (m.LocalId is { } id) byLocalId[id] = sms;
                answers.Add(sms);
            }

            return answers;
        }
    }

    public SentSms? ById(long id)
    {
        lock (gate) return byId.GetValueOrDefault(id);
    }

    public SentSms? ByLocalId(long id)
    {
        lock (gate) return byLocalId.GetValueOrDefault(id);
    }

    // The delivery status of a sent message: the one set for its number, else delivered.
    public int StatusOf(SentSms sms)
    {
        lock (gate) return numberStatus.GetValueOrDefault(NumberKey(sms.Receptor) ?? sms.Receptor, 10);
    }

    public void SetStatus(string receptor, int status)
    {
        lock (gate) numberStatus[NumberKey(receptor) ?? receptor] = status;
    }

    public InboundSms Receive(string line, string from, string message)
    {
        lock (gate)
        {
            var sms = new InboundSms(++lastId, from, line, message, clock.GetUtcNow().ToUnixTimeSeconds());
            inbox.Add(sms);
            return sms;
        }
    }

    // The unread messages of a line (isread=0), which are then read; or the read ones (isread=1).
    public List<InboundSms> Inbox(string line, bool read)
    {
        lock (gate)
        {
            var found = inbox.Where(m => m.Receptor == line && m.Read == read).ToList();
            foreach (var m in found) m.Read = true;
            return found;
        }
    }

    // Every message of every inbox unread again, as when an answer of receive.json was lost on its way.
    public void MarkUnread()
    {
        lock (gate)
        {
            foreach (var m in inbox) m.Read = false;
        }
    }

    public List<SentSms> Sent()
    {
        lock (gate) return [.. sent];
    }

    public void Reset()
    {
        lock (gate)
        {
            sent.Clear();
            byId.Clear();
            byLocalId.Clear();
            numberStatus.Clear();
            inbox.Clear();
            failNext = 0;
            SendCalls = 0;
            DuplicateSends = 0;
            NoCredit = false;
            DelayMilliseconds = 0;
        }
    }
}
