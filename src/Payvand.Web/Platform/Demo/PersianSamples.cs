using System.Globalization;
using Payvand.Modules.Activities;
using Payvand.Platform.Persian;

namespace Payvand.Platform.Demo;

// An Iranian city with its province, landline area code, the first three digits national codes issued there
// start with, the demo branch (0 Tehran, 1 Isfahan, 2 Mashhad) whose region it is in, and how common it is.
public sealed record DemoCity(string Name, string Province, string AreaCode, string NationalCodePrefix, int Branch, int Weight);

// Realistic Persian values for demo and benchmark data: cities, phone numbers, national codes, birthdays,
// companies, tags and timeline texts. Every method draws from the Random it is given, so a fixed seed gives the
// same data every time.
public static class PersianSamples
{
    public static readonly (string Name, string City, string Code)[] Branches =
    [
        ("دفتر مرکزی تهران", "تهران", "THR"),
        ("شعبه اصفهان", "اصفهان", "ISF"),
        ("شعبه مشهد", "مشهد", "MHD"),
    ];

    public static readonly DemoCity[] Cities =
    [
        new("تهران", "تهران", "21", "001", 0, 30),
        new("کرج", "البرز", "26", "031", 0, 6),
        new("قم", "قم", "25", "037", 0, 3),
        new("قزوین", "قزوین", "28", "431", 0, 2),
        new("رشت", "گیلان", "13", "263", 0, 3),
        new("ساری", "مازندران", "11", "211", 0, 2),
        new("تبریز", "آذربایجان شرقی", "41", "136", 0, 5),
        new("ارومیه", "آذربایجان غربی", "44", "276", 0, 2),
        new("زنجان", "زنجان", "24", "424", 0, 1),
        new("اردبیل", "اردبیل", "45", "163", 0, 1),
        new("همدان", "همدان", "81", "386", 0, 2),
        new("اراک", "مرکزی", "86", "052", 0, 2),
        new("کرمانشاه", "کرمانشاه", "83", "324", 0, 2),
        new("سنندج", "کردستان", "87", "372", 0, 1),
        new("اصفهان", "اصفهان", "31", "128", 1, 10),
        new("شیراز", "فارس", "71", "228", 1, 7),
        new("یزد", "یزد", "35", "444", 1, 2),
        new("اهواز", "خوزستان", "61", "175", 1, 4),
        new("کرمان", "کرمان", "34", "298", 1, 2),
        new("بندرعباس", "هرمزگان", "76", "338", 1, 2),
        new("بوشهر", "بوشهر", "77", "355", 1, 1),
        new("شهرکرد", "چهارمحال و بختیاری", "38", "460", 1, 1),
        new("خرم‌آباد", "لرستان", "66", "406", 1, 1),
        new("مشهد", "خراسان رضوی", "51", "092", 2, 9),
        new("نیشابور", "خراسان رضوی", "51", "106", 2, 1),
        new("گرگان", "گلستان", "17", "221", 2, 2),
        new("بجنورد", "خراسان شمالی", "58", "069", 2, 1),
        new("بیرجند", "خراسان جنوبی", "56", "065", 2, 1),
        new("زاهدان", "سیستان و بلوچستان", "54", "361", 2, 2),
        new("سمنان", "سمنان", "23", "467", 2, 1),
    ];

    private static readonly int[] CityWeights = Cities.Select(c => c.Weight).ToArray();

    // Mobile prefixes after "09", weighted roughly like the operators' shares (Hamrah-e Aval, Irancell, Rightel).
    private static readonly (string Prefix, int Weight)[] MobilePrefixes =
    [
        ("12", 14), ("13", 9), ("19", 8), ("11", 6), ("10", 5), ("14", 3), ("15", 2), ("16", 2), ("17", 2), ("18", 2),
        ("90", 4), ("91", 4), ("92", 2), ("93", 2), ("94", 1),
        ("35", 9), ("36", 7), ("37", 5), ("38", 3), ("39", 3), ("30", 3), ("33", 3), ("01", 3), ("02", 3), ("03", 2), ("05", 1),
        ("20", 1), ("21", 1), ("22", 1),
    ];

    private static readonly int[] MobileWeights = MobilePrefixes.Select(p => p.Weight).ToArray();

    public static readonly string[] Tags =
    [
        "مشتری وفادار", "عمده‌فروش", "VIP", "خرده‌فروش", "نمایشگاه ۱۴۰۳", "معرفی‌شده", "همکار تجاری", "باشگاه مشتریان",
        "خرید آنلاین", "نیازمند پیگیری",
    ];

    // Relative frequency of each tag above.
    private static readonly int[] TagWeights = [10, 6, 3, 8, 4, 4, 3, 7, 6, 4];

    public const string ProductCategory = "پوشاک و کفش";

    public const string RefundReason = "اندازه مناسب نبود";

    // SKU, name, price in rials.
    public static readonly (string Sku, string Name, long Price)[] Products =
    [
        ("TS-101", "تی‌شرت نخی", 4_500_000),
        ("JN-220", "شلوار جین", 12_800_000),
        ("SH-310", "کفش ورزشی", 21_500_000),
        ("JK-450", "کاپشن زمستانی", 38_000_000),
        ("SC-120", "شال گردن پشمی", 6_200_000),
        ("BG-270", "کیف چرمی", 17_900_000),
    ];

    public static readonly string[] EmailProviders = ["gmail.com", "yahoo.com", "chmail.ir", "outlook.com", "mail.ir"];

    public static readonly string[] JobTitles =
    [
        "مدیرعامل", "مدیر خرید", "کارشناس خرید", "مدیر بازرگانی", "کارشناس فروش", "حسابدار", "مدیر مالی", "مسئول انبار",
        "مدیر فنی", "کارشناس بازاریابی", "مدیر داخلی", "مسئول دفتر", "سرپرست فروشگاه", "مهندس تولید",
    ];

    // Kinds and names of companies, each with the Latin word its web address uses.
    private static readonly (string Name, string Latin)[] CompanyKinds =
    [
        ("شرکت", "co"), ("گروه صنعتی", "group"), ("بازرگانی", "trading"), ("صنایع غذایی", "food"),
        ("فروشگاه‌های زنجیره‌ای", "stores"), ("پخش سراسری", "pakhsh"), ("تولیدی", "tolid"), ("کارخانجات", "industries"),
        ("شرکت مهندسی", "eng"), ("موسسه", "institute"),
    ];

    private static readonly (string Name, string Latin)[] CompanyNames =
    [
        ("آرمان", "arman"), ("پارسیان", "parsian"), ("سپهر", "sepehr"), ("آریا", "arya"), ("مهرگان", "mehregan"),
        ("البرز", "alborz"), ("کوثر", "kowsar"), ("نیکان", "nikan"), ("زاگرس", "zagros"), ("دماوند", "damavand"),
        ("سپیدار", "sepidar"), ("آفتاب", "aftab"), ("پرشین", "persian"), ("کاوه", "kaveh"), ("ستاره", "setareh"),
        ("نوین", "novin"), ("تابان", "taban"), ("ایرانیان", "iranian"), ("پویا", "pouya"), ("رهاورد", "rahavard"),
        ("سیمرغ", "simorgh"), ("بهار", "bahar"), ("آسا", "asa"), ("پارس‌نیک", "parsnik"), ("مهرآفرین", "mehrafarin"),
        ("سبزگستر", "sabzgostar"), ("فراز", "faraz"), ("روشا", "rosha"), ("آوا", "ava"), ("شایان", "shayan"),
    ];

    public static readonly string[] Industries =
    [
        "مواد غذایی", "پوشاک", "لوازم خانگی", "ساختمان و مصالح", "خودرو و قطعات", "دارو و تجهیزات پزشکی", "نرم‌افزار",
        "لوازم آرایشی و بهداشتی", "کشاورزی", "حمل و نقل", "آموزش", "گردشگری",
    ];

    public static readonly string[] ConsentSources =
    [
        "فرم وب‌سایت", "ثبت‌نام حضوری در فروشگاه", "کارت باشگاه مشتریان", "نمایشگاه", "تماس تلفنی", "فایل ورودی",
    ];

    public const string OptOutSource = "پاسخ «لغو۱۱» به پیامک";

    public static readonly string[] NoteTexts =
    [
        "مشتری از کیفیت سفارش قبلی راضی بود و برای خرید بعدی لیست قیمت خواست.",
        "قرار شد پیش‌فاکتور جدید با تخفیف حجمی ارسال شود.",
        "به نمایشگاه امسال دعوت شد؛ احتمالاً با همکارش می‌آید.",
        "درخواست تغییر آدرس ارسال به انبار جدید.",
        "از تأخیر ارسال گله داشت؛ پیگیری با واحد انبار انجام شد.",
        "علاقه‌مند به طرح اقساطی است؛ شرایط برایش توضیح داده شد.",
        "شماره همراه دوم برای هماهنگی تحویل ثبت شد.",
        "مشتری قدیمی؛ هر فصل سفارش ثابت دارد.",
    ];

    public static readonly string[] CallTopics =
    [
        "پیگیری سفارش", "پیگیری پیش‌فاکتور", "هماهنگی ارسال", "معرفی محصولات جدید", "پیگیری پرداخت", "نظرسنجی پس از خرید",
        "تمدید قرارداد", "پاسخ به شکایت",
    ];

    public static readonly string[] CallNotes =
    [
        "قرار شد تا آخر هفته نتیجه را اعلام کند.", "سفارش را تأیید کرد.", "خواست فردا دوباره تماس بگیریم.",
        "قیمت را بالا دانست؛ پیشنهاد تخفیف داده شد.", "از پشتیبانی راضی بود.", "شماره حساب برای واریز ارسال شد.",
    ];

    public static readonly string[] MeetingSubjects =
    [
        "جلسه معرفی محصولات", "مذاکره قرارداد سالانه", "بازدید از فروشگاه", "جلسه بررسی شکایت", "ارائه طرح همکاری",
        "جلسه تسویه حساب",
    ];

    public static readonly string[] MeetingPlaces = ["دفتر مرکزی", "محل کار مشتری", "غرفه نمایشگاه", "تماس تصویری", "کافه نزدیک دفتر"];

    public static readonly string[] EmailSubjects =
    [
        "پیش‌فاکتور سفارش", "لیست قیمت جدید", "قرارداد همکاری", "فاکتور رسمی", "درخواست نمونه کالا", "پاسخ به درخواست شما",
    ];

    public static readonly string[] SmsTexts =
    [
        "سفارش شما ارسال شد. کد رهگیری برایتان پیامک می‌شود.",
        "جشنواره فروش پاییزه: ۲۰٪ تخفیف تا پایان هفته. لغو۱۱",
        "یادآوری: قرار ملاقات فردا ساعت ۱۰ صبح.",
        "تولدتان مبارک! یک کد تخفیف ویژه برایتان فعال شد.",
        "پرداخت شما با موفقیت ثبت شد. سپاس از خریدتان.",
        "باشه، ممنون. فردا تماس می‌گیرم.",
    ];

    public static DemoCity City(Random r) => Cities[Weighted(r, CityWeights)];

    // "09121234567".
    public static string Mobile(Random r) =>
        string.Create(CultureInfo.InvariantCulture, $"09{MobilePrefixes[Weighted(r, MobileWeights)].Prefix}{r.Next(0, 10_000_000):0000000}");

    // "021-44556677": area code and an eight-digit number of the kind that city's exchanges give out.
    public static string Landline(Random r, DemoCity city) =>
        string.Create(CultureInfo.InvariantCulture, $"0{city.AreaCode}-{"3457"[r.Next(4)]}{r.Next(0, 10_000_000):0000000}");

    // A national code that passes the check-digit rule of NationalCode.Validate, starting with the city's prefix.
    public static string NationalCode(Random r, DemoCity city)
    {
        var body = city.NationalCodePrefix + r.Next(0, 1_000_000).ToString("000000", CultureInfo.InvariantCulture);
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (body[i] - '0') * (10 - i);
        var remainder = sum % 11;
        return body + (remainder < 2 ? remainder : 11 - remainder).ToString(CultureInfo.InvariantCulture);
    }

    // An 11-digit national ID of a legal entity (شناسه ملی) with its check digit.
    public static string CompanyNationalId(Random r)
    {
        var body = "10" + r.Next(0, 100_000_000).ToString("00000000", CultureInfo.InvariantCulture);
        int[] factors = [29, 27, 23, 19, 17, 29, 27, 23, 19, 17];
        var tens = body[9] - '0' + 2;
        var sum = 0;
        for (var i = 0; i < 10; i++) sum += (body[i] - '0' + tens) * factors[i];
        var check = sum % 11;
        return body + (check == 10 ? 0 : check).ToString(CultureInfo.InvariantCulture);
    }

    // A birthday of someone 18 to 75 years old, drawn as a Jalali date (so every day of every Jalali month occurs).
    public static DateOnly BirthDate(Random r, DateOnly today)
    {
        var (year, _, _) = Jalali.FromGregorian(today);
        var y = year - r.Next(18, 76);
        var m = r.Next(1, 13);
        return Jalali.ToGregorian(y, m, r.Next(1, Jalali.DaysInMonth(y, m) + 1));
    }

    // "صنایع غذایی آرمان" with its web domain "arman-food.ir".
    public static (string Name, string Domain) Company(Random r)
    {
        var kind = Pick(r, CompanyKinds);
        var name = Pick(r, CompanyNames);
        return ($"{kind.Name} {name.Name}", $"{name.Latin}-{kind.Latin}.ir");
    }

    // One to three distinct tags, or none for about a third of people.
    public static List<string> SomeTags(Random r)
    {
        var count = r.Next(100) switch { < 35 => 0, < 75 => 1, < 93 => 2, _ => 3 };
        var tags = new List<string>(count);
        while (tags.Count < count)
        {
            var tag = Tags[Weighted(r, TagWeights)];
            if (!tags.Contains(tag)) tags.Add(tag);
        }

        return tags;
    }

    public static ActivityKind TimelineKind(Random r) => r.Next(100) switch
    {
        < 35 => ActivityKind.Call,
        < 55 => ActivityKind.Note,
        < 75 => ActivityKind.Sms,
        < 87 => ActivityKind.Email,
        _ => ActivityKind.Meeting,
    };

    public static CallOutcome CallOutcome(Random r) => r.Next(100) switch
    {
        < 62 => Modules.Activities.CallOutcome.Connected,
        < 82 => Modules.Activities.CallOutcome.NoAnswer,
        < 90 => Modules.Activities.CallOutcome.Busy,
        < 97 => Modules.Activities.CallOutcome.LeftVoicemail,
        _ => Modules.Activities.CallOutcome.WrongNumber,
    };

    // An instant on a working day (Saturday to Wednesday, Thursday mornings) between 9:00 and 18:00 Tehran time,
    // on the given UTC date (Tehran is UTC+3:30 all year since 2022).
    public static DateTime WorkingTime(Random r, DateOnly dayUtc)
    {
        while (dayUtc.DayOfWeek == DayOfWeek.Friday) dayUtc = dayUtc.AddDays(-1);
        var lastHour = dayUtc.DayOfWeek == DayOfWeek.Thursday ? 13 : 18;
        var local = dayUtc.ToDateTime(new TimeOnly(9, 0)).AddMinutes(r.Next(0, (lastHour - 9) * 60));
        return DateTime.SpecifyKind(local.AddMinutes(-210), DateTimeKind.Utc);
    }

    public static T Pick<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];

    public static int Weighted(Random r, int[] weights)
    {
        var roll = r.Next(weights.Sum());
        for (var i = 0; i < weights.Length; i++)
        {
            roll -= weights[i];
            if (roll < 0) return i;
        }

        return weights.Length - 1;
    }
}
