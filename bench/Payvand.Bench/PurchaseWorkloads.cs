using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;

namespace Payvand.Bench;

// The workloads of issue 3 over the generated purchases (measure --workloads purchases):
// the person page's reads (GET /api/contacts/{id} carries the purchase summary: count, net spent, first and last
// purchase, from which the page shows the average interval; the purchases tab is GET /api/purchases?contactId=&pageSize=10),
// for random people and for the heaviest buyers; people lists filtered and sorted by the purchase summary; the
// purchases list; and ingestion: POST /api/purchases with a new Idempotency-Key and order number per request, the same
// with a tenth of the requests replaying an earlier key, by mobile number instead of contactId, as a till sends it, and
// POST /api/purchases/batch with 100 purchases a request, as a till sends its queue or a shop syncs its orders.
public static class PurchaseWorkloads
{
    private const int Sample = 1000;

    public static async Task<(string Data, List<Measure.Workload> Workloads)> Build(BenchOptions o, PayvandDb db, string token, CancellationToken ct)
    {
        var purchases = await db.Purchases.LongCountAsync(ct);
        var lines = await db.Purchases.SelectMany(p => p.Lines).LongCountAsync(ct);
        var maxId = await db.Contacts.MaxAsync(c => (int?)c.Id, ct) ?? throw new InvalidOperationException("No people: run generate first.");
        if (purchases == 0) throw new InvalidOperationException("No purchases: run generate with --lines first.");
        var random = new Random(o.Seed);
        var people = Enumerable.Range(0, Sample).Select(_ => random.Next(1, maxId + 1)).ToArray();
        var heaviest = await db.Contacts.OrderByDescending(c => c.PurchaseCount).ThenBy(c => c.Id).Select(c => c.Id).Take(20).ToArrayAsync(ct);
        var products = await db.Products.OrderBy(p => p.Id).Select(p => p.Id).Take(200).ToArrayAsync(ct);
        var mobiles = await db.Contacts.Where(c => people.Contains(c.Id))
            .SelectMany(c => c.Points.Where(p => p.Kind == ContactPointKind.Mobile).Select(p => p.Value)).Distinct().ToArrayAsync(ct);

        static string Contact(int id) => string.Create(CultureInfo.InvariantCulture, $"/api/contacts/{id}");
        static string Tab(int id) => string.Create(CultureInfo.InvariantCulture, $"/api/purchases?contactId={id}&page=1&pageSize=10");
        static string People(string query) => "/api/contacts?" + query;
        Func<string, string> Get(params string[] paths) => _ => Measure.Get(paths, token);
        var workloads = new List<Measure.Workload>
        {
            new("person page: GET /api/contacts/{id} (summary), 1,000 random people", Get(people.Select(Contact).ToArray())),
            new("person page: purchases tab, page 1 of 10, 1,000 random people", Get(people.Select(Tab).ToArray())),
            new("person page: both, the 20 heaviest buyers", Get(heaviest.SelectMany(id => new[] { Contact(id), Tab(id) }).ToArray())),
            new("person page: purchases tab, page 5 of 10, the 20 heaviest buyers",
                Get(heaviest.Select(id => string.Create(CultureInfo.InvariantCulture, $"/api/purchases?contactId={id}&page=5&pageSize=10")).ToArray())),
            new("people list: minSpent=5,000,000,000, sort by spent, desc", Get(People("minSpent=5000000000&sort=spent&desc=true&page=1&pageSize=50"))),
            new("people list: minPurchases=10, sort by last purchase, desc", Get(People("minPurchases=10&sort=lastPurchase&desc=true&page=1&pageSize=50"))),
            new("people list: city=تهران, minSpent=1,000,000,000, sort by name",
                Get(People("city=" + Uri.EscapeDataString("تهران") + "&minSpent=1000000000&sort=name&page=1&pageSize=50"))),
            new("purchases list: newest first, page 1 of 50", Get("/api/purchases?page=1&pageSize=50")),
        };
        workloads.Add(Ingest(o, "ingestion: POST /api/purchases, new key each", token, Body("contactId", people), products, replayPercent: 0));
        workloads.Add(Ingest(o, "ingestion: the same, 10% of requests replay an earlier key", token, Body("contactId", people), products, replayPercent: 10));
        workloads.Add(Ingest(o, "ingestion: by mobile (existing people), new key each", token, Body("mobile", mobiles.Select(m => $"\"{m}\"")), products, replayPercent: 0));
        // Batches go to any of the people, as the tills of a chain sell to different customers: 100 purchases for people
        // of a sample of 1,000 would make every batch wait for the others' locks on the same persons.
        workloads.Add(Ingest(o, "ingestion: POST /api/purchases/batch, 100 purchases a request, any person, new key each", token, [], products,
            replayPercent: 0, batch: 100, anyOf: maxId));
        return (string.Create(CultureInfo.InvariantCulture, $"{purchases:N0} purchases, {lines:N0} lines"), workloads);
    }

    // The person part of each body: "contactId":1234 or "mobile":"0912...".
    private static string[] Body<T>(string field, IEnumerable<T> values) => values.Select(v => string.Create(CultureInfo.InvariantCulture, $"\"{field}\":{v}")).ToArray();

    // Each request a new purchase of 1–4 product lines for a person of the sample, with order number and
    // Idempotency-Key made of the run id, the wrk thread and a counter; with batch > 1, a request to the batch endpoint
    // of that many such purchases (order numbers: the key, a dash and the place in the batch). With replayPercent, that
    // share of the requests sends an earlier request again, key and body alike (at least 200 requests old, so the first
    // has finished): the app must answer with the stored 201. After the run, the purchases of the run are counted in
    // the database, and divided by the run's duration for the purchases recorded per second.
    // With anyOf, the person of each purchase is contactId 1 to anyOf at random instead of one of people.
    private static Measure.Workload Ingest(
        BenchOptions o, string name, string token, string[] people, int[] products, int replayPercent, int batch = 1, int anyOf = 0) => new(name,
        run => Measure.Lua(token, $$"""
            local people = { {{string.Join(", ", people.Select(p => "'" + p + "'"))}} }
            local products = { {{string.Join(", ", products)}} }
            local counter = 0
            replays = 0
            local sent = {}
            local sent_count = 0
            init = function(args)
              math.randomseed(tid * 7919)
            end
            local function post(key, body)
              return wrk.format("POST", "{{(batch > 1 ? "/api/purchases/batch" : "/api/purchases")}}", {
                ["Authorization"] = wrk.headers["Authorization"], ["Accept-Language"] = "fa-IR", ["Host"] = wrk.host,
                ["Content-Type"] = "application/json", ["Idempotency-Key"] = key }, body)
            end
            local function purchase(order)
              local lines = {}
              for i = 1, math.random(1, 4) do
                lines[i] = '{"productId":' .. products[math.random(#products)] .. ',"quantity":' .. math.random(1, 3) .. '}'
              end
              local person = {{anyOf}} > 0 and ('"contactId":' .. math.random(1, {{anyOf}})) or people[math.random(#people)]
              return '{' .. person .. ',"channel":"InStore","sourceSystem":"bench","externalOrderId":"' .. order ..
                '","lines":[' .. table.concat(lines, ",") .. ']}'
            end
            request = function()
              counter = counter + 1
              if {{replayPercent}} > 0 and sent_count > 300 and math.random(100) <= {{replayPercent}} then
                replays = replays + 1
                local old = sent[(math.random(math.max(1, sent_count - 4999), sent_count - 200) - 1) % 5000 + 1]
                return post(old[1], old[2])
              end
              local key = "{{run}}-" .. tid .. "-" .. counter
              local body
              if {{batch}} > 1 then
                local items = {}
                for j = 1, {{batch}} do items[j] = purchase(key .. "-" .. j) end
                body = '{"purchases":[' .. table.concat(items, ",") .. ']}'
              else
                body = purchase(key)
              end
              if {{replayPercent}} > 0 then
                sent_count = sent_count + 1
                sent[(sent_count - 1) % 5000 + 1] = { key, body }
              end
              return post(key, body)
            end
            """),
        async (run, requests, replays, ct) =>
        {
            await using var services = AppServices.Build(o);
            await using var db = await services.Db(ct);
            var recorded = await db.Purchases.CountAsync(p => p.SourceSystem == "bench" && p.ExternalOrderId!.StartsWith(run + "-"), ct);
            return string.Create(CultureInfo.InvariantCulture,
                $"  ({name}: {requests:N0} responses, {replays:N0} of them to replayed keys; {recorded:N0} purchases of this run in the database, {recorded / (double)o.Duration:N0} purchases/s)");
        });
}
