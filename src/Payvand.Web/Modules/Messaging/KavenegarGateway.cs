using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Payvand.Modules.Messaging;

// Kavenegar's REST API (https://api.kavenegar.com/v1/{apikey}/sms/...): sendarray.json with localmessageids (up to 200
// messages a call), status.json, statuslocalmessageid.json, receive.json. Every answer is
// {"return":{"status":200,"message":"..."},"entries":[...]}; a return.status other than 200 is an error.
// The typed HttpClient retries only GETs (the reads) on transient failures; a send is a POST that is never repeated
// by the client: the dispatcher looks its local ids up first. The API key is part of the path, so the client logs no
// request lines.
public sealed class KavenegarGateway(HttpClient http) : ISmsGateway
{
    public const string Name = "kavenegar";
    public const string DefaultBaseUrl = "https://api.kavenegar.com";

    // Refused messages (not the account): invalid receptor, sender, text, too many, bad date, arrays of unequal length,
    // forbidden words.
    private static readonly HashSet<int> MessageErrors = [411, 412, 413, 414, 417, 419, 422, 424, 426, 428, 431];

    public string Provider => Name;

    public int MaxBatch => 200;

    public async Task<IReadOnlyList<SmsReceipt>> Send(SmsAccount account, IReadOnlyList<OutgoingSms> messages, CancellationToken ct)
    {
        if (messages.Count is 0 or > 200) throw new ArgumentOutOfRangeException(nameof(messages), "Kavenegar's sendarray takes 1 to 200 messages.");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["receptor"] = JsonSerializer.Serialize(messages.Select(m => Local(m.Receptor))),
            ["sender"] = JsonSerializer.Serialize(messages.Select(m => m.Sender)),
            ["message"] = JsonSerializer.Serialize(messages.Select(m => m.Text)),
            ["localmessageids"] = JsonSerializer.Serialize(messages.Select(m => m.LocalId.ToString(CultureInfo.InvariantCulture))),
        });
        var entries = await Call(account, "sendarray.json", HttpMethod.Post, form, sending: true, ct);
        if (entries.Count != messages.Count) throw new SmsGatewayException($"Kavenegar answered {entries.Count} entries for {messages.Count} messages.", null, temporary: true, maybeAccepted: true);
        return messages.Select((m, i) => new SmsReceipt(m.LocalId, Long(entries[i], "messageid"), Int(entries[i], "status"))).ToList();
    }

    public async Task<IReadOnlyList<SmsState>> Status(SmsAccount account, IReadOnlyList<long> providerIds, CancellationToken ct)
    {
        var entries = await Call(account, "status.json?messageid=" + Ids(providerIds), HttpMethod.Get, null, sending: false, ct);
        return entries.Select(e => new SmsState(Long(e, "messageid"), null, Int(e, "status"))).ToList();
    }

    public async Task<IReadOnlyList<SmsState>> StatusByLocalId(SmsAccount account, IReadOnlyList<long> localIds, CancellationToken ct)
    {
        var entries = await Call(account, "statuslocalmessageid.json?localid=" + Ids(localIds), HttpMethod.Get, null, sending: false, ct);
        return entries.Select(e => new SmsState(Long(e, "messageid"), Long(e, "localid"), Int(e, "status"))).ToList();
    }

    public async Task<IReadOnlyList<IncomingSms>> Receive(SmsAccount account, string line, CancellationToken ct)
    {
        var entries = await Call(account, "receive.json?isread=0&linenumber=" + Uri.EscapeDataString(line), HttpMethod.Get, null, sending: false, ct);
        return entries.Select(e => new IncomingSms(Long(e, "messageid"), Str(e, "sender"), Str(e, "receptor"), Str(e, "message"),
            DateTimeOffset.FromUnixTimeSeconds(Long(e, "date")).UtcDateTime)).ToList();
    }

    // Kavenegar takes Iranian mobiles as 09xxxxxxxxx; Payvand keeps them as +989xxxxxxxxx.
    private static string Local(string receptor) => receptor.StartsWith("+98", StringComparison.Ordinal) ? "0" + receptor[3..] : receptor;

    private static string Ids(IEnumerable<long> ids) => string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    private async Task<List<JsonElement>> Call(SmsAccount account, string method, HttpMethod verb, HttpContent? content, bool sending, CancellationToken ct)
    {
        var url = $"{account.BaseUrl.TrimEnd('/')}/v1/{Uri.EscapeDataString(account.ApiKey)}/sms/{method}";
        using var request = new HttpRequestMessage(verb, url) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            // No answer: a send may still have been taken. The message of the exception never holds the URL (the key).
            throw new SmsGatewayException("Kavenegar did not answer: " + e.GetType().Name, null, temporary: true, maybeAccepted: sending, e is HttpRequestException ? null : e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(body).RootElement;
            }
            catch (JsonException)
            {
                var server = (int)response.StatusCode >= 500;
                throw new SmsGatewayException($"Kavenegar answered HTTP {(int)response.StatusCode} without JSON.", (int)response.StatusCode, temporary: true, maybeAccepted: sending && server);
            }

            var status = root.TryGetProperty("return", out var ret) && ret.TryGetProperty("status", out var s) && s.TryGetInt32(out var code) ? code : (int)response.StatusCode;
            if (status != 200)
            {
                var text = ret.ValueKind == JsonValueKind.Object && ret.TryGetProperty("message", out var m) ? m.GetString() : null;
                var temporary = !MessageErrors.Contains(status);
                throw new SmsGatewayException($"Kavenegar {status}: {text}", status, temporary, maybeAccepted: sending && (status >= 500 || response.StatusCode >= HttpStatusCode.InternalServerError));
            }

            return root.TryGetProperty("entries", out var entries) && entries.ValueKind == JsonValueKind.Array ? [.. entries.EnumerateArray()] : [];
        }
    }

    private static long Long(JsonElement e, string name) => e.TryGetProperty(name, out var v)
        ? v.ValueKind == JsonValueKind.Number ? v.GetInt64() : long.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 0
        : 0;

    private static int Int(JsonElement e, string name) => (int)Long(e, name);

    private static string Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
        ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()
        : "";
}
