using System.Globalization;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Platform.Api;

// Reads list filters from a query string the same way for every list endpoint, with field errors for bad values.
public sealed class QueryReader(IQueryCollection query, IStringLocalizer<SharedResource> text)
{
    private readonly Validator v = new(text);

    // Control characters are dropped as from stored text (a NUL in a filter is an error on PostgreSQL, StoredText).
    public string? Text(string name) =>
        query.TryGetValue(name, out var value) && StoredText.Clean(value.ToString()).Trim() is { Length: > 0 } text ? text : null;

    public int? Number(string name)
    {
        var s = Text(name);
        if (s is null) return null;
        if (int.TryParse(PersianText.ToLatinDigits(s), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
        v.Add(name, "{0} must be a number.", name);
        return null;
    }

    public long? WholeNumber(string name)
    {
        var s = Text(name);
        if (s is null) return null;
        if (long.TryParse(PersianText.ToLatinDigits(s), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return l;
        v.Add(name, "{0} must be a number.", name);
        return null;
    }

    public bool Bool(string name) => Text(name) is { } s && (s == "true" || s == "1");

    public T? Enum<T>(string name) where T : struct, Enum
    {
        var s = Text(name);
        if (s is null) return null;
        if (System.Enum.TryParse<T>(s, ignoreCase: true, out var e) && System.Enum.IsDefined(e)) return e;
        v.Add(name, "{0} must be one of: {1}.", name, string.Join(", ", System.Enum.GetNames<T>()));
        return null;
    }

    public DateOnly? Date(string name)
    {
        var s = Text(name);
        if (s is null) return null;
        if (DateOnly.TryParseExact(PersianText.ToLatinDigits(s), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        v.Add(name, "{0} must be a date (yyyy-MM-dd).", name);
        return null;
    }

    public DateTime? Instant(string name)
    {
        var s = Text(name);
        if (s is null) return null;
        if (DateTimeOffset.TryParse(PersianText.ToLatinDigits(s), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)) return d.UtcDateTime;
        v.Add(name, "{0} must be a date (yyyy-MM-dd).", name);
        return null;
    }

    public Dictionary<string, string> Prefixed(string prefix) => query.Keys
        .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k.Length > prefix.Length)
        .ToDictionary(k => k[prefix.Length..], k => StoredText.Clean(query[k].ToString()));

    // keysetSorts: the sorts that after=<id> works with (none: the list pages by number only).
    public PageRequest Page(string[] sortFields, params string[] keysetSorts)
    {
        var sort = Text("sort");
        var desc = Bool("desc");
        if (sort is not null && sort.StartsWith('-'))
        {
            sort = sort[1..];
            desc = true;
        }

        if (sort is not null && !sortFields.Contains(sort, StringComparer.OrdinalIgnoreCase))
        {
            v.Add("sort", "{0} must be one of: {1}.", "sort", string.Join(", ", sortFields));
        }

        var pageSize = Number("pageSize") ?? 50;
        if (pageSize is < 1 or > PageRequest.MaxPageSize) v.Add("pageSize", "{0} must be between {1} and {2}.", "pageSize", 1, PageRequest.MaxPageSize);
        var after = Number("after");
        if (after is not null && !keysetSorts.Contains(sort ?? keysetSorts.FirstOrDefault(), StringComparer.OrdinalIgnoreCase))
        {
            if (keysetSorts.Length == 0) v.Add("after", "This list pages by page number only.");
            else v.Add("after", "{0} works only with sort={1}.", "after", string.Join(", ", keysetSorts));
        }

        if (after is not null && Text("page") is not null) v.Add("page", "Use either {0} or {1}.", "page", "after");
        var page = Number("page") ?? 1;
        if (page is < 1 or > PageRequest.MaxPage) v.Add("page", "{0} must be between {1} and {2}.", "page", 1, PageRequest.MaxPage);
        return new PageRequest(page, pageSize, sort, desc, after);
    }

    public void ThrowIfAny() => v.ThrowIfAny();
}
