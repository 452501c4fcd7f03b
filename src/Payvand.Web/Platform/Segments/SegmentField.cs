using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Payvand.Platform.Data;
using Payvand.Platform.Persian;
using Payvand.Platform.Search;

namespace Payvand.Platform.Segments;

[JsonConverter(typeof(JsonStringEnumConverter<SegmentValueType>))]
public enum SegmentValueType
{
    Number,

    // Whole rials.
    Money,

    // An instant, compared by days of the business time zone.
    Date,

    Text,

    // One of a fixed list (Choices).
    Choice,

    // The person has any or none of a set of things (tags, products bought).
    Set,
}

[JsonConverter(typeof(JsonStringEnumConverter<SegmentOperator>))]
public enum SegmentOperator
{
    Equals,
    NotEquals,
    AtLeast,
    AtMost,
    Between,
    Before,
    After,
    InLastDays,
    MoreThanDaysAgo,
    StartsWith,
    In,
    NotIn,
    HasAny,
    HasNone,
    IsSet,
    IsNotSet,
}

// One choice of a Choice or Set field: the value sent, and its English resource key.
public sealed record SegmentChoice(string Value, string Label);

// What a condition is evaluated at: now, and the business time zone that days are counted in.
public sealed record SegmentContext(DateTime NowUtc, TimeZoneInfo Zone)
{
    public DateTime StartOfDay(DateOnly day) => TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), Zone);
}

// A field people can be selected by, contributed by the module that owns its data (net spent, last purchase, city,
// later tier, points, open deals, open tickets, survey scores), registered with services.AddSegmentField(...).
// Matching compiles a condition to a query of the ids of the people who meet it, which the database runs as part of
// the segment's one statement: nothing is evaluated person by person in C#.
public interface ISegmentField
{
    // Unique, "module.field" ("purchases.netSpent"); also the API's name of the field.
    string Key { get; }

    // English resource keys: the field's name and the group the rule builder lists it under.
    string Label { get; }

    string Group { get; }

    SegmentValueType Type { get; }

    IReadOnlyList<SegmentOperator> Operators { get; }

    IReadOnlyList<SegmentChoice> Choices { get; }

    // The people who meet the condition; values are already checked by the compiler for count, and by Read* for form.
    IQueryable<int> Matching(PayvandDb db, SegmentOperator op, IReadOnlyList<string> values, SegmentContext context);
}

// The building blocks of fields: a value of some record that belongs to a person, compared in SQL.
public static class SegmentField
{
    public static readonly SegmentOperator[] NumberOperators =
        [SegmentOperator.Equals, SegmentOperator.NotEquals, SegmentOperator.AtLeast, SegmentOperator.AtMost, SegmentOperator.Between];

    public static readonly SegmentOperator[] DateOperators =
        [SegmentOperator.Before, SegmentOperator.After, SegmentOperator.Between, SegmentOperator.InLastDays, SegmentOperator.MoreThanDaysAgo, SegmentOperator.IsSet, SegmentOperator.IsNotSet];

    public static readonly SegmentOperator[] TextOperators = [SegmentOperator.Equals, SegmentOperator.NotEquals, SegmentOperator.StartsWith, SegmentOperator.IsSet, SegmentOperator.IsNotSet];

    public static readonly SegmentOperator[] KeyOperators = [SegmentOperator.Equals, SegmentOperator.StartsWith];

    public static readonly SegmentOperator[] ChoiceOperators = [SegmentOperator.In, SegmentOperator.NotIn];

    public static readonly SegmentOperator[] SetOperators = [SegmentOperator.HasAny, SegmentOperator.HasNone];

    // A whole number (or rials) of a record of the person: people whose value compares.
    public static ISegmentField Number<T>(string key, string label, string group, Func<PayvandDb, IQueryable<T>> source,
        Expression<Func<T, int>> person, Expression<Func<T, long>> value, bool money = false) =>
        new Field(key, label, group, money ? SegmentValueType.Money : SegmentValueType.Number, NumberOperators, [], (db, op, values, _) =>
        {
            var x = values.Select(ReadWhole).ToArray();
            return source(db).Where(Compare(value, op, x)).Select(person);
        });

    // An instant of a record of the person, compared by whole days of the business time zone.
    public static ISegmentField Date<T>(string key, string label, string group, Func<PayvandDb, IQueryable<T>> source,
        Expression<Func<T, int>> person, Expression<Func<T, DateTime?>> value) =>
        new Field(key, label, group, SegmentValueType.Date, DateOperators, [], (db, op, values, context) =>
            source(db).Where(CompareDate(value, op, values, context)).Select(person));

    // A text of the person's record: compared as typed, with Arabic ي/ك folded to Persian (as they are stored).
    public static ISegmentField Text<T>(string key, string label, string group, Func<PayvandDb, IQueryable<T>> source,
        Expression<Func<T, int>> person, Expression<Func<T, string?>> value) =>
        new Field(key, label, group, SegmentValueType.Text, TextOperators, [], (db, op, values, _) =>
        {
            var text = values.Count > 0 ? PersianText.PersianLetters(values[0].Trim()) : "";
            var p = value.Parameters[0];
            var v = value.Body;
            var arg = Param(text);
            Expression body = op switch
            {
                SegmentOperator.Equals => Expression.Equal(v, arg),
                SegmentOperator.NotEquals => Expression.OrElse(Expression.Equal(v, Expression.Constant(null, typeof(string))), Expression.NotEqual(v, arg)),
                SegmentOperator.StartsWith => Expression.Call(v, typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!, arg),
                SegmentOperator.IsSet => Expression.AndAlso(Expression.NotEqual(v, Expression.Constant(null, typeof(string))), Expression.NotEqual(v, Expression.Constant(""))),
                _ => Expression.OrElse(Expression.Equal(v, Expression.Constant(null, typeof(string))), Expression.Equal(v, Expression.Constant(""))),
            };
            return source(db).Where(Expression.Lambda<Func<T, bool>>(body, p)).Select(person);
        });

    // A text of the person's record kept as a key (SearchIndex.Key: Persian-normalized, no spaces or half-spaces, at
    // most maxLength): equal to, or starting with, the value made a key the same way. One equality or range of the
    // key's index.
    public static ISegmentField Key<T>(string key, string label, string group, Func<PayvandDb, IQueryable<T>> source,
        Expression<Func<T, int>> person, Expression<Func<T, string?>> value, int maxLength) =>
        new Field(key, label, group, SegmentValueType.Text, KeyOperators, [], (db, op, values, _) =>
            source(db).Where(KeyIs(value, op, values[0], maxLength)).Select(person));

    // key = Key(text), or Key(text) <= key < its successor (SearchIndex.PrefixRange): comparisons in the column's byte
    // order. Text that is no key (spaces only) matches nothing.
    public static Expression<Func<T, bool>> KeyIs<T>(Expression<Func<T, string?>> key, SegmentOperator op, string text, int maxLength)
    {
        if (SearchIndex.Key(text, maxLength) is not { } typed) return _ => false;
        var v = key.Body;
        if (op == SegmentOperator.Equals) return Expression.Lambda<Func<T, bool>>(Expression.Equal(v, Param(typed)), key.Parameters);
        var (low, high) = SearchIndex.PrefixRange(typed);
        var compare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;
        var zero = Expression.Constant(0);
        return Expression.Lambda<Func<T, bool>>(Expression.AndAlso(
            Expression.GreaterThanOrEqual(Expression.Call(compare, v, Param(low)), zero),
            Expression.LessThan(Expression.Call(compare, v, Param(high)), zero)), key.Parameters);
    }

    // An enum of the person's record: people whose value is (not) one of the chosen.
    public static ISegmentField Choice<T, TEnum>(string key, string label, string group, Func<PayvandDb, IQueryable<T>> source,
        Expression<Func<T, int>> person, Expression<Func<T, TEnum>> value, string? labelPrefix) where TEnum : struct, Enum =>
        new Field(key, label, group, SegmentValueType.Choice, ChoiceOperators,
            [.. Enum.GetValues<TEnum>().Select(e => new SegmentChoice(e.ToString(), labelPrefix is null ? e.ToString() : labelPrefix + "." + e))], (db, op, values, _) =>
            {
                var chosen = values.Select(Enum.Parse<TEnum>).ToList();
                var contains = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(TEnum)], Param(chosen), value.Body);
                var body = op == SegmentOperator.In ? (Expression)contains : Expression.Not(contains);
                return source(db).Where(Expression.Lambda<Func<T, bool>>(body, value.Parameters)).Select(person);
            });

    // The person has any (or none) of the given things: `having` answers the ids of the people with any of them.
    public static ISegmentField Set(string key, string label, string group, Func<PayvandDb, IQueryable<int>> everyone,
        Func<PayvandDb, IReadOnlyList<string>, IQueryable<int>> having) =>
        new Field(key, label, group, SegmentValueType.Set, SetOperators, [], (db, op, values, _) =>
        {
            var with = having(db, [.. values.Select(v => PersianText.PersianLetters(v.Trim()))]);
            return op == SegmentOperator.HasAny ? with : everyone(db).Where(id => !with.Contains(id));
        });

    // A field whose matching is written out by its module (consent with its "undecided", birthdays in a window).
    public static ISegmentField Custom(string key, string label, string group, SegmentValueType type, IReadOnlyList<SegmentOperator> operators,
        IReadOnlyList<SegmentChoice> choices, Func<PayvandDb, SegmentOperator, IReadOnlyList<string>, SegmentContext, IQueryable<int>> matching) =>
        new Field(key, label, group, type, operators, choices, matching);

    // The ids among a Set field's values (digits in any script); other values read as no id (0).
    public static List<int> Ids(IEnumerable<string> values) =>
        [.. values.Select(v => int.TryParse(PersianText.ToLatinDigits(v), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)];

    // How many values an operator takes.
    public static int Arity(SegmentOperator op) => op switch
    {
        SegmentOperator.Between => 2,
        SegmentOperator.IsSet or SegmentOperator.IsNotSet => 0,
        SegmentOperator.In or SegmentOperator.NotIn or SegmentOperator.HasAny or SegmentOperator.HasNone => -1, // one or more
        _ => 1,
    };

    // A value the operator of a field of this type can read, or why not (an English resource key).
    public static string? Problem(SegmentValueType type, SegmentOperator op, string value, IReadOnlyList<SegmentChoice> choices) => (type, op) switch
    {
        (SegmentValueType.Date, SegmentOperator.InLastDays or SegmentOperator.MoreThanDaysAgo) =>
            TryWhole(value, out var days) && days is >= 0 and <= 36_500 ? null : "A number of days from 0 to 36500.",
        (SegmentValueType.Date, _) => TryDay(value, out _) ? null : "A date such as 1403-01-31 or 2024-04-19.",
        (SegmentValueType.Number or SegmentValueType.Money, _) => TryWhole(value, out _) ? null : "A whole number.",
        (SegmentValueType.Choice, _) => choices.Any(c => c.Value == value) ? null : "Not one of the field's choices.",
        _ => value.Length is > 0 and <= 200 ? null : "A text of 1 to 200 characters.",
    };

    private static bool TryWhole(string value, out long number) =>
        long.TryParse(PersianText.ToLatinDigits(value).Replace(",", "", StringComparison.Ordinal).Replace("٬", "", StringComparison.Ordinal).Trim(),
            NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);

    private static long ReadWhole(string value) => TryWhole(value, out var n) ? n : throw new FormatException(value);

    // A Jalali date (1403-01-31 or 1403/01/31) or an ISO Gregorian one, digits in any script.
    private static bool TryDay(string value, out DateOnly day)
    {
        var s = PersianText.ToLatinDigits(value).Trim().Replace('/', '-');
        if (DateOnly.TryParseExact(s, "yyyy-M-d", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) && day.Year >= 1600) return true;
        return Jalali.TryParse(s.Replace('-', '/'), out day);
    }

    private static Expression<Func<T, bool>> Compare<T>(Expression<Func<T, long>> value, SegmentOperator op, long[] x)
    {
        var v = value.Body;
        Expression body = op switch
        {
            SegmentOperator.Equals => Expression.Equal(v, Param(x[0])),
            SegmentOperator.NotEquals => Expression.NotEqual(v, Param(x[0])),
            SegmentOperator.AtLeast => Expression.GreaterThanOrEqual(v, Param(x[0])),
            SegmentOperator.AtMost => Expression.LessThanOrEqual(v, Param(x[0])),
            _ => Expression.AndAlso(Expression.GreaterThanOrEqual(v, Param(Math.Min(x[0], x[1]))), Expression.LessThanOrEqual(v, Param(Math.Max(x[0], x[1])))),
        };
        return Expression.Lambda<Func<T, bool>>(body, value.Parameters);
    }

    private static Expression<Func<T, bool>> CompareDate<T>(Expression<Func<T, DateTime?>> value, SegmentOperator op, IReadOnlyList<string> values, SegmentContext context)
    {
        var v = value.Body;
        DateTime Day(int i, int plus = 0) => TryDay(values[i], out var d) ? context.StartOfDay(d.AddDays(plus)) : throw new FormatException(values[i]);
        DateTime DaysAgo() => context.NowUtc.AddDays(-ReadWhole(values[0]));
        Expression Before(DateTime at) => Expression.LessThan(v, Param<DateTime?>(at));
        Expression AtOrAfter(DateTime at) => Expression.GreaterThanOrEqual(v, Param<DateTime?>(at));
        var none = Expression.Constant(null, typeof(DateTime?));
        Expression body = op switch
        {
            SegmentOperator.Before => Before(Day(0)),
            SegmentOperator.After => AtOrAfter(Day(0, 1)),
            SegmentOperator.Between => Expression.AndAlso(AtOrAfter(Day(0)), Before(Day(1, 1))),
            SegmentOperator.InLastDays => AtOrAfter(DaysAgo()),
            SegmentOperator.MoreThanDaysAgo => Before(DaysAgo()),
            SegmentOperator.IsSet => Expression.NotEqual(v, none),
            _ => Expression.Equal(v, none),
        };
        return Expression.Lambda<Func<T, bool>>(body, value.Parameters);
    }

    // A value as a query parameter (a captured variable), not a literal, so the statement's plan is reused.
    private static MemberExpression Param<TValue>(TValue value) => Expression.Property(Expression.Constant(new Box<TValue>(value)), nameof(Box<TValue>.Value));

    private sealed class Box<TValue>(TValue value)
    {
        public TValue Value { get; } = value;
    }

    private sealed record Field(
        string Key, string Label, string Group, SegmentValueType Type, IReadOnlyList<SegmentOperator> Operators, IReadOnlyList<SegmentChoice> Choices,
        Func<PayvandDb, SegmentOperator, IReadOnlyList<string>, SegmentContext, IQueryable<int>> Match) : ISegmentField
    {
        public IQueryable<int> Matching(PayvandDb db, SegmentOperator op, IReadOnlyList<string> values, SegmentContext context) => Match(db, op, values, context);
    }
}

public static class SegmentFieldRegistration
{
    public static IServiceCollection AddSegmentField(this IServiceCollection services, ISegmentField field) =>
        services.AddSingleton(field);
}
