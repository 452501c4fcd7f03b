using System.Globalization;
using System.Text.Json;

namespace Payvand.FakeKavenegar;

// Kavenegar's REST API as documented: /v1/{apikey}/sms/{method}.json by GET or POST (parameters in the query or the
// form), every answer {"return":{"status":200,"message":"..."},"entries":[...]}, errors with return.status (and the HTTP
// status) 400-432. Status codes of messages: 1, 2, 4, 5 in progress, 6 and 11 undelivered, 10 delivered, 13 cancelled,
// 14 blocked by the receiver's carrier blacklist, 100 no such message.
public static class KavenegarApi
{
    private const int MaxReceptors = 200;
    private const int MaxIds = 500;

    public static void Map(WebApplication app) =>
        app.MapMethods("/v1/{apikey}/sms/{method}", ["GET", "POST"], Handle);

    private static async Task<IResult> Handle(string apikey, string method, HttpRequest request, Gateway gateway)
    {
        if (gateway.TakeFailure() is { } failure) return Results.Text("<html><body>upstream failure</body></html>", "text/html", statusCode: failure);
        if (!gateway.KnowsKey(apikey)) return Error(403, "کد شناسائی API-Key معتبر نمی‌باشد");
        if (apikey == Gateway.DisabledKey) return Error(401, "حساب کاربری غیرفعال شده است");
        var p = await Parameters(request);
        return method switch
        {
            "send.json" => await Send(p, gateway),
            "sendarray.json" => await SendArray(p, gateway),
            "status.json" => Status(p, gateway),
            "statuslocalmessageid.json" => StatusByLocalId(p, gateway),
            "receive.json" => Receive(p, gateway),
            _ => Error(404, "متد مورد نظر پیدا نشد"),
        };
    }

    private static async Task<Dictionary<string, string>> Parameters(HttpRequest request)
    {
        var p = request.Query.ToDictionary(q => q.Key.ToLowerInvariant(), q => q.Value.ToString());
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync()) p[key.ToLowerInvariant()] = value.ToString();
        }

        return p;
    }

    private static IResult Ok(object entries) => Results.Json(new { @return = new { status = 200, message = "تایید شد" }, entries });

    private static IResult Error(int status, string message) =>
        Results.Json(new { @return = new { status, message }, entries = (object?)null }, statusCode: status);

    private static string Text(int status) => status switch
    {
        1 => "در صف ارسال قرار دارد",
        2 => "زمان بندی شده (ارسال در تاریخ معین)",
        4 or 5 => "ارسال شده به مخابرات",
        6 => "خطا در ارسال پیام",
        10 => "رسیده به گیرنده",
        11 => "نرسیده به گیرنده",
        13 => "ارسال پیام از سمت کاربر لغو شده یا در ارسال آن مشکلی پیش آمده",
        14 => "بلاک شده است، عدم تمایل گیرنده به دریافت پیامک از خطوط تبلیغاتی",
        _ => "شناسه پیامک نامعتبر است",
    };

    private static object Entry(SentSms s) => new
    {
        messageid = s.MessageId,
        message = s.Message,
        status = 1,
        statustext = Text(1),
        sender = s.Sender,
        receptor = s.Receptor,
        date = s.Date,
        cost = 1200,
    };

    // One message (or one text to a comma-separated list of receptors); localid (optional) keys a retried send.
    private static async Task<IResult> Send(Dictionary<string, string> p, Gateway gateway)
    {
        if (!p.TryGetValue("receptor", out var receptor) || !p.TryGetValue("message", out var message)) return Error(400, "پارامترها ناقص هستند");
        var receptors = receptor.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sender = p.GetValueOrDefault("sender") ?? "10004346";
        long? localId = null;
        if (p.TryGetValue("localid", out var local) && !string.IsNullOrWhiteSpace(local))
        {
            if (!long.TryParse(local, NumberStyles.None, CultureInfo.InvariantCulture, out var l)) return Error(400, "پارامترها ناقص هستند");
            localId = l;
        }

        if (Check(receptors, [sender], [message], gateway) is { } error) return error;
        var sent = gateway.Send(receptors.Select((r, i) => (sender, r, message, i == 0 ? localId : null)).ToList());
        if (gateway.DelayMilliseconds > 0) await Task.Delay(gateway.DelayMilliseconds);
        return Ok(sent.Select(Entry));
    }

    // Up to 200 messages, each with its own receptor, sender and text (JSON arrays of equal length), and localmessageids.
    private static async Task<IResult> SendArray(Dictionary<string, string> p, Gateway gateway)
    {
        var receptors = JsonArray(p.GetValueOrDefault("receptor"));
        var senders = JsonArray(p.GetValueOrDefault("sender"));
        var messages = JsonArray(p.GetValueOrDefault("message"));
        if (receptors is null || senders is null || messages is null) return Error(400, "پارامترها ناقص هستند");
        List<long>? localIds = null;
        if (p.TryGetValue("localmessageids", out var locals) && !string.IsNullOrWhiteSpace(locals))
        {
            var texts = JsonArray(locals);
            if (texts is null) return Error(400, "پارامترها ناقص هستند");
            localIds = [];
            foreach (var t in texts)
            {
                if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return Error(400, "پارامترها ناقص هستند");
                localIds.Add(id);
            }
        }

        if (receptors.Count != senders.Count || receptors.Count != messages.Count || (localIds is not null && localIds.Count != receptors.Count))
        {
            return Error(419, "طول آرایه متن و گیرنده و فرستنده هم اندازه نیست");
        }

        if (Check(receptors, senders, messages, gateway) is { } error) return error;
        var sent = gateway.Send(receptors.Select((r, i) => (senders[i], r, messages[i], localIds?[i])).ToList());
        if (gateway.DelayMilliseconds > 0) await Task.Delay(gateway.DelayMilliseconds);
        return Ok(sent.Select(Entry));
    }

    private static IResult? Check(IReadOnlyList<string> receptors, IReadOnlyList<string> senders, IReadOnlyList<string> messages, Gateway gateway)
    {
        if (receptors.Count == 0) return Error(400, "پارامترها ناقص هستند");
        if (receptors.Count > MaxReceptors) return Error(414, "تعداد دریافت کنندگان بیش از حد مجاز است");
        if (receptors.Any(r => Gateway.NumberKey(r) is null)) return Error(411, "دریافت کننده نامعتبر است");
        if (senders.Any(s => s.Length is < 4 or > 20 || !s.All(char.IsAsciiDigit))) return Error(412, "ارسال کننده نامعتبر است");
        if (messages.Any(m => string.IsNullOrWhiteSpace(m) || m.Length > 900)) return Error(413, "پیام خالی می‌باشد و یا طول پیام بیش از حد مجاز می‌باشد");
        if (gateway.NoCredit) return Error(418, "اعتبار حساب شما کافی نیست");
        return null;
    }

    private static List<string>? JsonArray(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return null;
            return doc.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<long>? Ids(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var ids = new List<long>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return null;
            ids.Add(id);
        }

        return ids.Count == 0 ? null : ids;
    }

    // messageid=1,2,...: each one's status, 100 for an id this account never sent.
    private static IResult Status(Dictionary<string, string> p, Gateway gateway)
    {
        var ids = Ids(p.GetValueOrDefault("messageid"));
        if (ids is null) return Error(400, "پارامترها ناقص هستند");
        if (ids.Count > MaxIds) return Error(414, "تعداد شناسه‌ها بیش از حد مجاز است");
        return Ok(ids.Select(id =>
        {
            var status = gateway.ById(id) is { } s ? gateway.StatusOf(s) : 100;
            return new { messageid = id, status, statustext = Text(status) };
        }));
    }

    // localid=1,2,...: the message sent with each local id, or messageid 0 and status 100 when there is none.
    private static IResult StatusByLocalId(Dictionary<string, string> p, Gateway gateway)
    {
        var ids = Ids(p.GetValueOrDefault("localid"));
        if (ids is null) return Error(400, "پارامترها ناقص هستند");
        if (ids.Count > MaxIds) return Error(414, "تعداد شناسه‌ها بیش از حد مجاز است");
        return Ok(ids.Select(local =>
        {
            var sms = gateway.ByLocalId(local);
            var status = sms is null ? 100 : gateway.StatusOf(sms);
            return new { messageid = sms?.MessageId ?? 0, localid = local, status, statustext = Text(status) };
        }));
    }

    // linenumber and isread (0: the unread messages, which become read): the inbox of a line.
    private static IResult Receive(Dictionary<string, string> p, Gateway gateway)
    {
        if (!p.TryGetValue("linenumber", out var line) || !p.TryGetValue("isread", out var isread) || isread is not ("0" or "1"))
        {
            return Error(400, "پارامترها ناقص هستند");
        }

        return Ok(gateway.Inbox(line, isread == "1").Select(m => new { messageid = m.MessageId, message = m.Message, sender = m.Sender, receptor = m.Receptor, date = m.Date }));
    }
}
