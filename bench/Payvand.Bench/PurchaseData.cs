using System.Globalization;
using Payvand.Modules.Purchases;

namespace Payvand.Bench;

// One generated purchase, kept compact in memory (millions of them) until all are drawn and put in time order.
// ContactId 0 is an anonymous purchase; OwnerId 0 is none. Refund: 0 none, 1 all of it, 2 its first line.
internal struct GenPurchase
{
    public int ContactId;
    public int BranchId;
    public int ContactBranchId;
    public int OwnerId;
    public PurchaseChannel Channel;
    public long OccurredTicks;
    public long Discount;
    public long Total;
    public long Refunded;
    public int FirstLine;
    public int LineCount;
    public byte Refund;
    public int RefundDays;
}

// One line: ProductIndex into the catalogue (-1: a free-text line without a product), quantity in thousandths.
internal struct GenLine
{
    public int ProductIndex;
    public int QuantityMilli;
    public long UnitPrice;
    public long Discount;
    public long LineTotal;

    public readonly decimal Quantity => QuantityMilli / 1000m;
}

internal sealed record GenCategory(string Name, int? ParentIndex);

internal sealed record GenProduct(string Sku, string Name, int CategoryIndex, long Price, bool Weighed);

// Draws the catalogue and everyone's purchases: most people buy never or a few times, a long tail of loyal buyers
// buys often (the heaviest a few thousand times), a tenth of the purchases are anonymous, 4% are refunded (partly or
// in full), most are in the person's branch and in store, the rest online (web shop) or by phone. The number of lines
// per purchase is chosen so that the whole comes to about the lines asked for. Deterministic for a seed, and drawn
// from its own Random so the people are the same with or without purchases.
internal sealed class PurchaseData
{
    public static readonly DateTime Now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // Purchases per person: 45% none, 30% one or two, 15% three to eight, 8.5% nine to 25, 1.5% a Pareto tail from 25.
    private const double MeanPurchasesPerPerson = 0.30 * 1.5 + 0.15 * 5.5 + 0.085 * 17 + 0.015 * 62;
    private const double AnonymousShare = 0.10;
    private const int MaxPerPerson = 3000;
    private const int MaxLines = 40;

    private static readonly (string Parent, (string Name, string[] Items, long Price, bool Weighed)[] Children)[] Tree =
    [
        ("مواد غذایی", [
            ("لبنیات", ["شیر", "ماست", "پنیر", "کره", "دوغ"], 450_000, false),
            ("خشکبار و حبوبات", ["پسته", "بادام", "عدس", "لوبیا قرمز", "کشمش"], 2_800_000, true),
            ("نوشیدنی", ["آب معدنی", "آبمیوه", "چای", "قهوه", "نوشابه"], 600_000, false),
        ]),
        ("پوشاک و کفش", [
            ("پوشاک مردانه", ["پیراهن", "شلوار", "کت", "تی‌شرت", "ژاکت"], 9_000_000, false),
            ("پوشاک زنانه", ["مانتو", "روسری", "شال", "دامن", "پالتو"], 11_000_000, false),
            ("کفش", ["کفش ورزشی", "کفش چرمی", "صندل", "بوت", "دمپایی"], 15_000_000, false),
        ]),
        ("لوازم خانگی", [
            ("آشپزخانه", ["قابلمه", "ماهیتابه", "کتری", "سرویس قاشق", "لیوان"], 5_000_000, false),
            ("لوازم برقی", ["چای‌ساز", "اتو", "جاروبرقی", "مخلوط‌کن", "سشوار"], 35_000_000, false),
            ("دکوراسیون", ["گلدان", "قاب عکس", "پرده", "فرش ماشینی", "آباژور"], 8_000_000, false),
        ]),
        ("آرایشی و بهداشتی", [
            ("بهداشتی", ["شامپو", "صابون", "خمیردندان", "مسواک", "دستمال کاغذی"], 900_000, false),
            ("آرایشی", ["کرم دست", "ضدآفتاب", "رژ لب", "ریمل", "لاک ناخن"], 3_500_000, false),
            ("عطر و ادکلن", ["عطر", "ادکلن", "اسپری", "مام", "بادی اسپلش"], 12_000_000, false),
        ]),
        ("کالای دیجیتال", [
            ("موبایل و لوازم جانبی", ["گوشی موبایل", "قاب گوشی", "شارژر", "هندزفری", "پاوربانک"], 25_000_000, false),
            ("کامپیوتر", ["لپ‌تاپ", "ماوس", "کیبورد", "فلش مموری", "هارد اکسترنال"], 40_000_000, false),
            ("صوتی و تصویری", ["تلویزیون", "اسپیکر", "هدفون", "ساندبار", "گیرنده دیجیتال"], 60_000_000, false),
        ]),
    ];

    private static readonly string[] Brands = ["آرمان", "سپهر", "آریا", "مهرگان", "البرز", "کوثر", "نیکان", "زاگرس", "دماوند", "سیمرغ"];

    private static readonly (string Name, double Factor)[] Variants = [("کوچک", 0.6), ("متوسط", 1.0), ("بزرگ", 1.5), ("ویژه", 2.4)];

    private static readonly string[] RefundReasons = ["اندازه مناسب نبود", "کالا معیوب بود", "مشتری منصرف شد", "رنگ مورد نظر نبود", "ارسال اشتباه"];

    private static readonly string[] FreeTextLines = ["هزینه ارسال", "بسته‌بندی هدیه", "خدمات نصب", "کارمزد"];

    private readonly Random random;
    private readonly double extraLinesRatio;
    private readonly int[] popularity;
    private readonly Dictionary<int, int> branchIndex;
    private readonly int[] branches;
    private readonly int[][] cashiersByBranch;

    public PurchaseData(int people, long lines, int seed, int[] branches, List<(int Id, int Branch)> owners)
    {
        random = new Random(seed + 7);
        this.branches = branches;
        branchIndex = branches.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        cashiersByBranch = Enumerable.Range(0, branches.Length).Select(b => owners.Where(o => o.Branch == b).Select(o => o.Id).ToArray()).ToArray();
        var expectedPurchases = people * MeanPurchasesPerPerson / (1 - AnonymousShare);
        var perPurchase = Math.Max(1.0, lines / Math.Max(1.0, expectedPurchases));
        // Extra lines beyond the first are geometric with mean perPurchase - 1: many single-line receipts, some big baskets.
        var mean = perPurchase - 1;
        extraLinesRatio = mean / (1 + mean);
        Purchases = new List<GenPurchase>((int)Math.Min(int.MaxValue / 64, expectedPurchases * 1.05));
        Lines = new List<GenLine>((int)Math.Min(int.MaxValue / 64, lines * 1.05));

        var categories = new List<GenCategory>();
        var products = new List<GenProduct>();
        foreach (var (parent, children) in Tree)
        {
            var parentIndex = categories.Count;
            categories.Add(new GenCategory(parent, null));
            foreach (var (name, items, price, weighed) in children)
            {
                var childIndex = categories.Count;
                categories.Add(new GenCategory(name, parentIndex));
                foreach (var item in items)
                {
                    foreach (var brand in Brands)
                    {
                        foreach (var (variant, factor) in Variants)
                        {
                            var listPrice = (long)(price * factor * (0.7 + random.NextDouble() * 0.6)) / 10_000 * 10_000;
                            products.Add(new GenProduct(
                                string.Create(CultureInfo.InvariantCulture, $"P-{products.Count + 1:00000}"), $"{item} {brand} {variant}", childIndex, Math.Max(10_000, listPrice), weighed));
                        }
                    }
                }
            }
        }

        Categories = categories;
        Products = products;
        // Some products sell far more than others: a shuffled order of popularity, drawn with a skew towards its start.
        popularity = Enumerable.Range(0, products.Count).ToArray();
        random.Shuffle(popularity);
    }

    public IReadOnlyList<GenCategory> Categories { get; }

    public IReadOnlyList<GenProduct> Products { get; }

    public List<GenPurchase> Purchases { get; }

    public List<GenLine> Lines { get; }

    // Purchase indexes in time order: position i gets purchase id i + 1.
    public int[] Order { get; private set; } = [];

    public static string RefundReason(int purchaseId) => RefundReasons[purchaseId % RefundReasons.Length];

    public static string FreeText(int lineIndex) => FreeTextLines[lineIndex % FreeTextLines.Length];

    // Draws one person's purchases and sets the person's summary from them, as RecordPurchase and RefundPurchase
    // would have left it.
    public void AddFor(int contactId, Modules.Contacts.Contact person)
    {
        var count = PurchasesOfOnePerson();
        if (count == 0) return;
        var home = branchIndex[person.BranchId];
        // Buyers' purchases lie between a little before the person was recorded (history brought along) and now.
        var from = person.CreatedAt.AddDays(-random.Next(0, 365)).Ticks;
        var span = Now.Ticks - from;
        long net = 0;
        long first = long.MaxValue, last = long.MinValue;
        for (var i = 0; i < count; i++)
        {
            var at = from + (long)(random.NextDouble() * span);
            var branch = random.Next(100) < 85 ? home : random.Next(branches.Length);
            var p = Draw(contactId, branch, home, at);
            net += p.Total - p.Refunded;
            first = Math.Min(first, at);
            last = Math.Max(last, at);
        }

        person.PurchaseCount = count;
        person.NetSpent = net;
        person.FirstPurchaseAt = new DateTime(first, DateTimeKind.Utc);
        person.LastPurchaseAt = new DateTime(last, DateTimeKind.Utc);
    }

    // The anonymous tenth (walk-in customers who gave no phone number), then everything put in time order.
    public void Finish()
    {
        var anonymous = (int)(Purchases.Count * AnonymousShare / (1 - AnonymousShare));
        var start = Now.AddYears(-4).Ticks;
        for (var i = 0; i < anonymous; i++)
        {
            var branch = random.Next(branches.Length);
            Draw(0, branch, branch, start + (long)(random.NextDouble() * (Now.Ticks - start)));
        }

        var order = Enumerable.Range(0, Purchases.Count).ToArray();
        var keys = Purchases.Select(p => p.OccurredTicks).ToArray();
        Array.Sort(keys, order);
        Order = order;
    }

    private int PurchasesOfOnePerson()
    {
        var u = random.NextDouble();
        if (u < 0.45) return 0;
        if (u < 0.75) return random.Next(1, 3);
        if (u < 0.90) return random.Next(3, 9);
        if (u < 0.985) return random.Next(9, 26);
        // Pareto (x_m 25, alpha 1.6): the loyal buyers, a few of them with thousands of purchases.
        return (int)Math.Min(MaxPerPerson, 25 / Math.Pow(1 - random.NextDouble(), 1 / 1.6));
    }

    private GenPurchase Draw(int contactId, int branch, int contactBranch, long at)
    {
        var channelDraw = random.Next(100);
        var channel = channelDraw < 70 ? PurchaseChannel.InStore : channelDraw < 90 ? PurchaseChannel.Online : channelDraw < 97 ? PurchaseChannel.Phone : PurchaseChannel.Other;
        var p = new GenPurchase
        {
            ContactId = contactId,
            BranchId = branches[branch],
            ContactBranchId = branches[contactBranch],
            OwnerId = channel == PurchaseChannel.Online ? 0 : PersianSamplesPick(cashiersByBranch[branch]),
            Channel = contactId == 0 ? PurchaseChannel.InStore : channel,
            OccurredTicks = at,
            FirstLine = Lines.Count,
        };
        var lineCount = 1;
        while (lineCount < MaxLines && random.NextDouble() < extraLinesRatio) lineCount++;
        long sum = 0;
        for (var i = 0; i < lineCount; i++)
        {
            var line = DrawLine();
            sum += line.LineTotal;
            Lines.Add(line);
        }

        p.LineCount = lineCount;
        p.Discount = random.Next(100) < 5 ? sum / 10 / 10_000 * 10_000 : 0;
        p.Total = sum - p.Discount;
        if (contactId != 0 && random.Next(100) < 4 && p.Total > 0)
        {
            p.Refund = random.Next(100) < 40 ? (byte)1 : (byte)2;
            p.Refunded = p.Refund == 1 ? p.Total : Math.Min(p.Total, Lines[p.FirstLine].LineTotal);
            p.RefundDays = random.Next(1, 15);
        }

        Purchases.Add(p);
        return p;
    }

    private GenLine DrawLine()
    {
        if (random.Next(100) < 2)
        {
            var fee = random.Next(5, 50) * 100_000L;
            return new GenLine { ProductIndex = -1, QuantityMilli = 1000, UnitPrice = fee, LineTotal = fee };
        }

        // Squaring a uniform draw favours the start of the popularity order: its first tenth sells about a third.
        var index = popularity[(int)(Math.Pow(random.NextDouble(), 2) * popularity.Length)];
        var product = Products[index];
        var quantity = product.Weighed ? random.Next(1, 20) * 250 : random.Next(100) switch
        {
            < 70 => 1000,
            < 88 => 2000,
            _ => random.Next(3, 7) * 1000,
        };
        var discount = 0L;
        var amount = PurchaseLine.TotalOf(quantity / 1000m, product.Price, 0);
        if (random.Next(100) < 15) discount = amount * random.Next(5, 21) / 100 / 1000 * 1000;
        return new GenLine { ProductIndex = index, QuantityMilli = quantity, UnitPrice = product.Price, Discount = discount, LineTotal = amount - discount };
    }

    private int PersianSamplesPick(int[] ids) => ids[random.Next(ids.Length)];
}
