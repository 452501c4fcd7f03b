using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Imports;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Purchases;

// Importing purchase history: one row per purchase line; the rows of one order (same order id, and source system
// when a column gives one) are one purchase. Each order goes through RecordPurchase's rules (Build, Add, Publish):
// the person's summary, the timeline entry and PurchaseRecorded come as they do for a purchase sent to the API.
//
// - The person must exist and be visible to the user: by person id, else mobile, else national code, else email.
//   An import never creates people (import them first); an unknown person makes the order invalid.
// - An order whose order id (in its source system, "import" by default) is already recorded is skipped, so
//   importing a file twice, or a job resuming after a restart, records nothing twice.
// - An order is all or nothing: when one of its rows is invalid the whole order is refused, and every row of it
//   says why (its own problem, or which row of the order has one).
// - The rows of an order belong together. A second block of rows with an order id seen earlier in the file (after
//   rows of other orders) is a duplicate and is skipped.
// - Amounts are rials; a currency cell saying toman (تومان, IRT) makes the row's amounts tomans (× 10).
public sealed class PurchaseImport(IStringLocalizer<SharedResource> text, TimeProvider clock, RecordPurchase record, PayvandSettings settings) : IImportKind
{
    public const string KindName = "purchases";

    public const string DefaultSource = "import";

    private static readonly string[] CustomerFields = ["contactId", "mobile", "nationalCode", "email"];

    private static readonly string[] ProductFields = ["sku", "product", "description"];

    public string Name => KindName;

    public string Label => "Purchases";

    public string Title => "Import purchases";

    public string Help => "One row per purchase line; rows with the same order number are one purchase. The person must already exist (mobile, email, national code or person id). Amounts are in rials unless the currency column says toman. An order already recorded is skipped; an order with an invalid row is not imported at all.";

    public string ResultsHref => "purchases";

    public int Position => 20;

    private IStringLocalizer<SharedResource> Localizer => text;

    private TimeProvider Clock => clock;

    private RecordPurchase Recorder => record;

    public IReadOnlyList<ImportField> Fields { get; } =
    [
        new("orderId", "Order number", "شماره سفارش", "شماره فاکتور", "کد سفارش", "سفارش", "فاکتور", "order id", "order number", "order no", "order", "invoice", "invoice number"),
        new("source", "Source system", "سیستم مبدا", "منبع", "source", "source system"),
        new("date", "Date", "تاریخ", "تاریخ خرید", "تاریخ سفارش", "تاریخ فاکتور", "date", "order date", "purchase date"),
        new("mobile", "Mobile", "موبایل", "تلفن همراه", "شماره همراه", "شماره موبایل", "همراه", "mobile", "mobile number", "cell"),
        new("email", "Email", "ایمیل", "پست الکترونیک", "email", "e-mail"),
        new("nationalCode", "National code", "کد ملی", "شماره ملی", "national code", "national id"),
        new("contactId", "Person id", "شناسه شخص", "شناسه مشتری", "کد مشتری", "person id", "contact id", "customer id"),
        new("sku", "SKU", "کد کالا", "کد محصول", "sku", "product code", "item code"),
        new("product", "Product", "کالا", "محصول", "نام کالا", "نام محصول", "product", "product name", "item"),
        new("description", "Description", "شرح", "شرح کالا", "توضیحات", "description"),
        new("quantity", "Quantity", "تعداد", "مقدار", "quantity", "qty"),
        new("unitPrice", "Unit price", "قیمت واحد", "فی", "قیمت", "مبلغ واحد", "unit price", "price"),
        new("discount", "Discount", "تخفیف", "discount"),
        new("branch", "Branch", "شعبه", "branch"),
        new("channel", "Channel", "کانال", "کانال فروش", "channel"),
        new("currency", "Currency", "واحد پول", "ارز", "currency"),
    ];

    public IReadOnlyDictionary<string, string> Check(MappedRow row) => Read(row).Problems;

    public string? MissingMapping(IReadOnlyCollection<string> mapped)
    {
        if (!mapped.Contains("orderId")) return text["Map a column to the order number."];
        if (!mapped.Contains("date")) return text["Map a column to the date."];
        if (!CustomerFields.Any(mapped.Contains)) return text["Map a column to the person: mobile, email, national code or person id."];
        if (!ProductFields.Any(mapped.Contains)) return text["Map a column to the product: SKU, product name or description."];
        return null;
    }

    public IImportWriter Begin(ImportRun run) => new Writer(this, run, run.User, run.User.ChooseBranch(run.Settings.BranchId, text));

    // "Quantity: must be more than zero. Date: ..." for the report.
    private string Describe(IReadOnlyDictionary<string, string> problems) =>
        string.Join(" ", problems.Select(p => $"{text[Fields.FirstOrDefault(f => f.Key == p.Key)?.Label ?? p.Key]}: {p.Value}"));

    // One row as read, before anything is looked up in the database; Problems by field key.
    private sealed record Line(MappedRow Source, Dictionary<string, string> Problems)
    {
        public string? OrderId { get; init; }

        public string SourceSystem { get; init; } = DefaultSource;

        public DateTime? At { get; init; }

        public (string Field, string Value)? Customer { get; init; }

        public string? Sku { get; init; }

        public string? Product { get; init; }

        public string? Description { get; init; }

        public decimal Quantity { get; init; } = 1;

        public long? UnitPrice { get; init; }

        public long Discount { get; init; }

        public string? Branch { get; init; }

        public PurchaseChannel? Channel { get; init; }

        public string Currency { get; init; } = Purchase.DefaultCurrency;

        public int Row => Source.Row;

        public string? Key => KeyOf(Source);
    }

    // Rows with the same key are one order: the order id in its source system.
    private static string? KeyOf(MappedRow row)
    {
        string? Get(string key) => row.Values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? RecordPurchase.Clean(v) : null;
        return Get("orderId") is { } id ? RecordPurchase.OrderKey(Get("source") ?? DefaultSource, id) : null;
    }

    private Line Read(MappedRow row)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Get(string key) => row.Values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? RecordPurchase.Clean(v) : null;

        var orderId = Get("orderId");
        if (orderId is null) problems["orderId"] = text["{0} is required.", text["Order number"]];
        else if (orderId.Length > 100) problems["orderId"] = text["{0} must be at most {1} characters.", text["Order number"], 100];
        var source = Get("source") ?? DefaultSource;
        if (source.Length > 50) problems["source"] = text["{0} must be at most {1} characters.", text["Source system"], 50];

        DateTime? at = null;
        if (Get("date") is { } dateText)
        {
            at = ReadInstant(dateText);
            if (at is null) problems["date"] = text["The date is not valid."];
        }

        (string, string)? customer = null;
        foreach (var field in CustomerFields)
        {
            if (Get(field) is not { } value) continue;
            var normalized = field switch
            {
                "contactId" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id.ToString(CultureInfo.InvariantCulture) : null,
                "mobile" => IranianPhone.TryNormalize(value, out var e164) && IranianPhone.IsMobile(e164) ? e164 : null,
                "nationalCode" => NationalCode.Validate(value).Normalized,
                _ => ContactInput.NormalizePoint(ContactPointKind.Email, value),
            };
            if (normalized is null)
            {
                problems[field] = text[field switch
                {
                    "contactId" => "Enter a whole number.",
                    "mobile" => "The phone number is not valid.",
                    "nationalCode" => "The national code is not valid.",
                    _ => "The email address is not valid.",
                }];
                continue;
            }

            customer ??= (field, normalized);
        }

        var (sku, product, description) = (Get("sku"), Get("product") is { } p ? PersianText.PersianLetters(p) : null, Get("description"));
        if (sku is null && product is null && description is null)
        {
            problems[ProductFields.FirstOrDefault(row.Values.ContainsKey) ?? "product"] = text["Give the product's SKU or name, or a description."];
        }

        var currencyText = Get("currency");
        var toman = currencyText is not null && PersianText.Normalize(currencyText).ToUpperInvariant() is "تومان" or "TOMAN" or "IRT" or "TMN";
        var currency = currencyText is null || toman || PersianText.Normalize(currencyText).ToUpperInvariant() is "ریال" or "RIAL" ? Purchase.DefaultCurrency : currencyText.ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)) problems["currency"] = text["The currency must be a three-letter code such as IRR."];
        var unit = toman ? MoneyUnit.Toman : MoneyUnit.Rial;

        long? Amount(string field, string label)
        {
            if (Get(field) is not { } value) return null;
            if (MoneyFormatter.TryParseAmount(value, unit, out var rials) && rials >= 0) return rials;
            problems[field] = rials < 0 ? text["{0} cannot be negative.", text[label]] : text["Enter an amount."];
            return null;
        }

        var quantity = 1m;
        if (Get("quantity") is { } quantityText)
        {
            if (!decimal.TryParse(quantityText, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out quantity) || quantity <= 0)
            {
                problems["quantity"] = text["{0} must be more than zero.", text["Quantity"]];
            }
        }

        PurchaseChannel? channel = null;
        if (Get("channel") is { } channelText)
        {
            channel = ReadChannel(channelText);
            if (channel is null) problems["channel"] = text["Unknown channel: use in store, online, phone or other (حضوری، آنلاین، تلفنی، سایر)."];
        }

        return new Line(row, problems)
        {
            OrderId = orderId,
            SourceSystem = source,
            At = at,
            Customer = customer,
            Sku = sku,
            Product = product,
            Description = description,
            Quantity = quantity,
            UnitPrice = Amount("unitPrice", "Unit price"),
            Discount = Amount("discount", "Discount") ?? 0,
            Branch = Get("branch") is { } b ? PersianText.NormalizeKey(b) : null,
            Channel = channel,
            Currency = currency,
        };
    }

    // Jalali (1402/05/12) or Gregorian (2023-08-03, as Excel writes dates), with an optional time (14:30): the year
    // tells the calendar. The time is in the business's time zone (see RecordPurchase.OccurredOn).
    private DateTime? ReadInstant(string value)
    {
        var parts = value.Split([' ', 'T'], 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var day = parts[0].Replace('-', '/');
        var year = day.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 && int.TryParse(day.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : 0;
        DateOnly date;
        if (year >= 1700)
        {
            if (!DateOnly.TryParseExact(day, "yyyy/M/d", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)) return null;
        }
        else if (!Jalali.TryParse(day, out date))
        {
            return null;
        }

        TimeOnly? time = null;
        if (parts.Length == 2)
        {
            if (!TimeOnly.TryParseExact(parts[1], ["H:mm", "H:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var given)) return null;
            time = given;
        }

        return RecordPurchase.OccurredOn(date, time, clock.GetUtcNow().UtcDateTime, settings.CurrentTimeZone);
    }

    private static PurchaseChannel? ReadChannel(string value)
    {
        var key = PersianText.NormalizeKey(value).ToLowerInvariant();
        if (Enum.TryParse<PurchaseChannel>(key, ignoreCase: true, out var named) && Enum.IsDefined(named)) return named;
        return key switch
        {
            "حضوری" or "فروشگاه" or "فروشگاهی" or "instore" or "store" or "pos" => PurchaseChannel.InStore,
            "آنلاین" or "انلاین" or "اینترنتی" or "سایت" or "online" or "web" => PurchaseChannel.Online,
            "تلفنی" or "تلفن" or "phone" => PurchaseChannel.Phone,
            "سایر" or "دیگر" or "other" => PurchaseChannel.Other,
            _ => null,
        };
    }

    // An order of the file: its rows in order (the first one holds the order's fields).
    private sealed record Order(string Key, List<Line> Lines);

    // What became of an order, told on each of its rows.
    private sealed record Decision(RowOutcome Outcome, int? PurchaseId, Dictionary<int, string?> Messages);

    // One run. The job hands over batches of rows, but an order's rows may go on past the end of a batch, so the
    // writer reads its import's file alongside the job and takes the rest of such an order from it. An order is thus written whole, in the batch
    // holding its first row; its later rows, reported in the next batch, say what became of it.
    private sealed class Writer(PurchaseImport kind, ImportRun run, UserScope user, int defaultBranch) : IImportWriter
    {
        private readonly Dictionary<string, int> firstRowOf = new(StringComparer.Ordinal); // order key -> the row its first block starts at
        private readonly List<(string? Key, int Start)> blocks = []; // runs of rows with one key, in file order (recent ones)
        private readonly Dictionary<int, ReportRow> ahead = []; // reports of rows past the batch, written with their order
        private FileRows? file;
        private int trackedUpTo;

        private IStringLocalizer<SharedResource> Text => kind.Localizer;

        public async Task<List<ReportRow>> Write(PayvandDb db, PreparedBatch batch, CancellationToken ct)
        {
            var rows = batch.Rows;
            file ??= new FileRows(run.ReadRows(db).GetEnumerator()); // the job gives every batch the same context
            foreach (var before in file.ReadUntil(rows[0].Row - 1)) Track(before);
            var continued = BlockOf(rows[0].Row); // the order the row before the batch belongs to, or one read ahead
            var lines = rows.Select(kind.Read).ToList();
            foreach (var row in rows) Track(row);
            var report = new Dictionary<int, ReportRow>();
            var orders = new List<Order>();
            for (var i = 0; i < lines.Count;)
            {
                var line = lines[i];
                var end = i + 1;
                while (end < lines.Count && line.Key is not null && lines[end].Key == line.Key) end++;
                var block = lines[i..end];
                if (i == 0 && line.Key is not null && continued.Start < line.Row && continued.Key == line.Key)
                {
                    // The rest of an order that began before this batch: written then, told now.
                    foreach (var l in block) report[l.Row] = ahead.Remove(l.Row, out var told) ? told : await Earlier(db, l.Row, continued.Start, ct);
                }
                else if (line.Key is null)
                {
                    report[line.Row] = new ReportRow(line.Row, RowOutcome.Invalid, null, kind.Describe(line.Problems));
                }
                else if (firstRowOf[line.Key] < line.Row)
                {
                    var message = Text["Order {0} already appears at row {1}.", line.OrderId!, firstRowOf[line.Key]].Value;
                    foreach (var l in block) report[l.Row] = new ReportRow(l.Row, RowOutcome.Skipped, null, message);
                    if (end == lines.Count) Ahead(block[0].Key!, lines[^1].Row, l => new ReportRow(l.Row, RowOutcome.Skipped, null, message));
                }
                else
                {
                    var order = new Order(line.Key, [.. block]);
                    if (end == lines.Count) order.Lines.AddRange(file.ReadWhile(l => KeyOf(l) == line.Key, lines[^1].Row).Select(kind.Read));
                    orders.Add(order);
                }

                i = end;
            }

            foreach (var (order, decision) in await Decide(db, orders, ct))
            {
                foreach (var l in order.Lines)
                {
                    var told = new ReportRow(l.Row, decision.Outcome, decision.PurchaseId, decision.Messages.GetValueOrDefault(l.Row));
                    if (l.Row <= rows[^1].Row) report[l.Row] = told;
                    else ahead[l.Row] = told;
                }
            }

            foreach (var passed in file.ReadUntil(rows[^1].Row)) Track(passed);
            foreach (var next in file.Buffered()) Track(next);
            return rows.Select(r => report[r.Row]).ToList();
        }

        // Rows past the batch that repeat an order already seen: skipped like the rest of their block.
        private void Ahead(string key, int after, Func<Line, ReportRow> told)
        {
            foreach (var next in file!.ReadWhile(l => KeyOf(l) == key, after)) ahead[next.Row] = told(kind.Read(next));
        }

        // Notes each row of the file once, in order: the blocks of rows of one order, and where each order first appears.
        private void Track(MappedRow row)
        {
            if (row.Row <= trackedUpTo) return;
            trackedUpTo = row.Row;
            var key = KeyOf(row);
            if (blocks.Count == 0 || blocks[^1].Key != key || key is null) blocks.Add((key, row.Row));
            if (key is not null) firstRowOf.TryAdd(key, row.Row);
            if (blocks.Count > 64) blocks.RemoveRange(0, blocks.Count - 64);
        }

        private (string? Key, int Start) BlockOf(int row) => blocks.LastOrDefault(b => b.Start <= row);

        // After a restart the rows written before it are known only from the report of the order's first row.
        private async Task<ReportRow> Earlier(PayvandDb db, int row, int start, CancellationToken ct)
        {
            var first = await run.Reported(db, start, ct);
            return new ReportRow(row, first?.Outcome ?? RowOutcome.Skipped, first?.RecordId, Text["Part of the order of row {0}.", start]);
        }

        private async Task<List<(Order, Decision)>> Decide(PayvandDb db, List<Order> orders, CancellationToken ct)
        {
            var decided = new List<(Order, Decision)>();
            if (orders.Count == 0) return decided;
            var all = orders.SelectMany(o => o.Lines).ToList();
            var people = await People(db, all, ct);
            var (bySku, byName) = await Products(db, all, ct);
            var branches = await db.Branches.AsNoTracking().Select(b => new { b.Id, b.Name, b.Code }).ToListAsync(ct);
            var existing = await RecordPurchase.RecordedOrders(db, orders.Select(o => (o.Lines[0].SourceSystem, o.Lines[0].OrderId!)).ToList(), ct);

            var now = kind.Clock.GetUtcNow().UtcDateTime;
            var written = new List<(Order Order, Purchase Purchase)>();
            foreach (var order in orders)
            {
                var head = order.Lines[0];
                if (existing.TryGetValue(order.Key, out var recorded))
                {
                    var message = Text["Order {0} is already recorded.", head.OrderId!].Value;
                    decided.Add((order, new Decision(RowOutcome.Skipped, recorded, order.Lines.ToDictionary(l => l.Row, _ => (string?)message))));
                    continue;
                }

                var problems = order.Lines.ToDictionary(l => l.Row, l => new Dictionary<string, string>(l.Problems, StringComparer.Ordinal));
                // Later rows of an order may leave its date and person empty; the first row must give them.
                if (head.At is null) problems[head.Row].TryAdd("date", Text["{0} is required.", Text["Date"]]);
                if (head.Customer is null && !CustomerFields.Any(problems[head.Row].ContainsKey))
                {
                    problems[head.Row][CustomerFields.FirstOrDefault(head.Source.Values.ContainsKey) ?? "mobile"] = Text["Give the person's mobile, email, national code or person id."];
                }

                int? contactId = null;
                if (head.Customer is { } customer && !people.TryGetValue(customer, out var found)) problems[head.Row].TryAdd(customer.Field, Text["The person was not found."]);
                else if (head.Customer is not null) contactId = people[head.Customer.Value];
                var branchId = defaultBranch;
                if (head.Branch is { } branchText)
                {
                    var branch = branches.FirstOrDefault(b => PersianText.NormalizeKey(b.Name) == branchText || (b.Code is not null && PersianText.NormalizeKey(b.Code) == branchText)
                        || b.Id.ToString(CultureInfo.InvariantCulture) == branchText);
                    if (branch is null) problems[head.Row].TryAdd("branch", Text["The branch was not found."]);
                    else if (!user.CanSeeBranch(branch.Id)) problems[head.Row].TryAdd("branch", Text["You cannot put records in that branch."]);
                    else branchId = branch.Id;
                }

                foreach (var l in order.Lines.Skip(1)) Agree(head, l, problems[l.Row]);
                var productIds = new List<int?>();
                foreach (var l in order.Lines)
                {
                    Product? product = null;
                    if (l.Sku is { } sku && !bySku.TryGetValue(sku, out product)) problems[l.Row].TryAdd("sku", Text["The product was not found."]);
                    else if (l.Sku is null && l.Product is { } name)
                    {
                        var named = byName.GetValueOrDefault(PersianText.NormalizeKey(name)) ?? [];
                        if (named.Count == 1) product = named[0];
                        else problems[l.Row].TryAdd("product", Text[named.Count == 0 ? "The product was not found." : "Several products have this name: give the SKU."]);
                    }

                    productIds.Add(product?.Id);
                }

                var request = new RecordPurchase.Request
                {
                    ContactId = contactId,
                    BranchId = branchId,
                    Channel = head.Channel ?? PurchaseChannel.InStore,
                    SourceSystem = head.SourceSystem,
                    ExternalOrderId = head.OrderId,
                    OccurredAt = head.At,
                    Currency = head.Currency,
                    Lines = [.. order.Lines.Select((l, i) => new RecordPurchase.LineInput(productIds[i], l.Description ?? (productIds[i] is null ? l.Product : null), l.Quantity, l.UnitPrice, l.Discount))],
                };
                if (problems.Values.All(p => p.Count == 0))
                {
                    try
                    {
                        var products = bySku.Values.Concat(byName.Values.SelectMany(p => p)).DistinctBy(p => p.Id).ToDictionary(p => p.Id);
                        var purchase = kind.Recorder.Build(request, branchId, user, now, products, contactFound: true);
                        purchase.ContactId = contactId;
                        written.Add((order, purchase));
                        continue;
                    }
                    catch (ValidationException e)
                    {
                        foreach (var (field, messages) in e.Errors) Blame(order, field, string.Join(" ", messages), problems);
                    }
                }

                decided.Add((order, Refused(order, problems)));
            }

            if (written.Count == 0) return decided;
            var purchases = written.Select(w => w.Purchase).ToList();
            await kind.Recorder.Add(db, purchases, ct); // PurchaseRecorded commits with the batch
            decided.AddRange(written.Select(w => (w.Order, new Decision(RowOutcome.Created, w.Purchase.Id,
                w.Order.Lines.Skip(1).ToDictionary(l => l.Row, _ => (string?)Text["Line of the purchase of row {0}.", w.Order.Lines[0].Row].Value)))));
            return decided;
        }

        // Every row of a refused order says why: its own problems, or the rows of the order that have some.
        private Decision Refused(Order order, Dictionary<int, Dictionary<string, string>> problems)
        {
            var bad = problems.Where(p => p.Value.Count > 0).Select(p => p.Key).Order().ToList();
            var others = Text["The order is not imported: row {0} has a problem.", string.Join(", ", bad)].Value;
            return new Decision(RowOutcome.Invalid, null, order.Lines.ToDictionary(l => l.Row, l => (string?)(problems[l.Row].Count > 0 ? kind.Describe(problems[l.Row]) : others)));
        }

        // A field error of RecordPurchase put on the row it came from: lines[2].quantity is the third row's quantity.
        private static void Blame(Order order, string field, string message, Dictionary<int, Dictionary<string, string>> problems)
        {
            var index = field.StartsWith("lines[", StringComparison.Ordinal) && int.TryParse(field[6..field.IndexOf(']', StringComparison.Ordinal)], CultureInfo.InvariantCulture, out var i) ? i : 0;
            var key = field[(field.IndexOf('.', StringComparison.Ordinal) + 1)..] switch
            {
                "occurredAt" => "date",
                "externalOrderId" => "orderId",
                "sourceSystem" => "source",
                "productId" => "product",
                "lines" => "product",
                var other => other,
            };
            problems[order.Lines[Math.Clamp(index, 0, order.Lines.Count - 1)].Row].TryAdd(key, message);
        }

        // The order's fields are those of its first row; a later row may leave them empty but not say otherwise.
        private void Agree(Line head, Line line, Dictionary<string, string> problems)
        {
            void Same<T>(string field, T? first, T? here, bool given)
            {
                if (given && !EqualityComparer<T>.Default.Equals(first, here)) problems.TryAdd(field, Text["Differs from row {0} of the same order.", head.Row]);
            }

            string? Cell(string field) => line.Source.Values.TryGetValue(field, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
            Same("date", head.At, line.At, Cell("date") is not null);
            Same("branch", head.Branch, line.Branch, Cell("branch") is not null);
            Same("channel", head.Channel, line.Channel, Cell("channel") is not null);
            Same("currency", head.Currency, line.Currency, Cell("currency") is not null);
            if (line.Customer is { } c) Same(c.Field, head.Customer, line.Customer, given: true);
        }

        // The people the rows name, among those the user may see: one query per kind of reference for the batch.
        private async Task<Dictionary<(string Field, string Value), int>> People(PayvandDb db, List<Line> lines, CancellationToken ct)
        {
            var wanted = lines.Select(l => l.Customer).OfType<(string Field, string Value)>().Distinct().ToList();
            List<string> Values(string field) => wanted.Where(w => w.Field == field).Select(w => w.Value).ToList();
            var found = new Dictionary<(string, string), int>();
            var visible = db.Contacts.VisibleTo(user);
            var ids = Values("contactId").Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList();
            if (ids.Count > 0)
            {
                foreach (var id in await visible.Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct)) found[("contactId", id.ToString(CultureInfo.InvariantCulture))] = id;
            }

            var codes = Values("nationalCode");
            if (codes.Count > 0)
            {
                foreach (var c in await visible.Where(c => c.NationalCode != null && codes.Contains(c.NationalCode)).Select(c => new { c.Id, c.NationalCode }).ToListAsync(ct))
                {
                    found[("nationalCode", c.NationalCode!)] = Math.Min(found.GetValueOrDefault(("nationalCode", c.NationalCode!), int.MaxValue), c.Id);
                }
            }

            foreach (var (field, pointKind) in new[] { ("mobile", ContactPointKind.Mobile), ("email", ContactPointKind.Email) })
            {
                // The oldest person with the number, as RecordPurchase matches a mobile.
                foreach (var (value, id) in await RecordPurchase.Holders(db, user, pointKind, Values(field), ct)) found[(field, value)] = id;
            }

            return found;
        }

        private static async Task<(Dictionary<string, Product> BySku, Dictionary<string, List<Product>> ByName)> Products(PayvandDb db, List<Line> lines, CancellationToken ct)
        {
            var skus = lines.Select(l => l.Sku).OfType<string>().Distinct().ToList();
            var names = lines.Where(l => l.Sku is null).Select(l => l.Product).OfType<string>().Distinct().ToList();
            var bySku = skus.Count == 0 ? [] : await db.Products.AsNoTracking().Where(p => skus.Contains(p.Sku)).ToDictionaryAsync(p => p.Sku, StringComparer.Ordinal, ct);
            var named = names.Count == 0 ? [] : await db.Products.AsNoTracking().Where(p => names.Contains(p.Name)).ToListAsync(ct);
            return (bySku, named.GroupBy(p => PersianText.NormalizeKey(p.Name)).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal));
        }
    }

    // The import's own file, read forward in step with the job: rows the job has not handed over yet are kept
    // until it does, so each row is read from the file once.
    private sealed class FileRows(IEnumerator<MappedRow> rows)
    {
        private readonly Queue<MappedRow> read = new();
        private bool ended;

        // The rows up to the given row number that were not read before.
        public IEnumerable<MappedRow> ReadUntil(int last)
        {
            while (Peek() is { } next && next.Row <= last) yield return read.Dequeue();
        }

        // The rows right after the given row number while they match (read ahead of the job and kept for it).
        public List<MappedRow> ReadWhile(Func<MappedRow, bool> belongs, int after)
        {
            var taken = new List<MappedRow>();
            foreach (var row in read.Where(r => r.Row > after))
            {
                if (!belongs(row)) return taken;
                taken.Add(row);
            }

            while (!ended)
            {
                if (!rows.MoveNext())
                {
                    ended = true;
                    break;
                }

                read.Enqueue(rows.Current);
                if (rows.Current.Row <= after) continue;
                if (!belongs(rows.Current)) break;
                taken.Add(rows.Current);
            }

            return taken;
        }

        // The rows read ahead of the job.
        public List<MappedRow> Buffered() => [.. read];

        private MappedRow? Peek()
        {
            if (read.Count > 0) return read.Peek();
            if (ended || !rows.MoveNext())
            {
                ended = true;
                return null;
            }

            read.Enqueue(rows.Current);
            return rows.Current;
        }
    }
}
