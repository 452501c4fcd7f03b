using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;

namespace Payvand.Platform.Api;

// Every list endpoint pages the same way: ?page=1&pageSize=50&sort=lastName&desc=false, and returns the total.
// Lists that support it also take after=<id of the last row of the previous page> instead of a page number: that page
// starts right after the row (keyset paging), so page 2,000 costs what page 1 does, where page=2000 reads past 99,950 rows.
public sealed record PageRequest(int Page = 1, int PageSize = 50, string? Sort = null, bool Desc = false, int? After = null)
{
    public const int MaxPageSize = 500;

    // Far past any list (half a billion rows at the largest page size), and small enough that the rows skipped and the
    // rows counted (PagedCount) stay within an int: page 42,949,673 of 100 once wrapped round to a negative offset,
    // which SQLite reads as 0, so the answer was page 1's rows labelled with the requested number.
    public const int MaxPage = 1_000_000;

    // The page read and reported: what was asked, within 1..MaxPage (the API refuses numbers outside it, QueryReader).
    public int SafePage => Math.Clamp(Page, 1, MaxPage);

    public int SafePageSize => Math.Clamp(PageSize, 1, MaxPageSize);

    public int Skip => After is null ? (SafePage - 1) * SafePageSize : 0;

    // Rows to read for the page: one more than it shows, which tells whether more follow (see PagedCount.Total).
    public int ReadSize => SafePageSize + 1;
}

// TotalIsLowerBound: there are more than Total matches (see PagedCount); the exact number was not counted.
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize, bool TotalIsLowerBound = false);

// Counting every match of a broad filter over a million people costs more than reading the page (docs/benchmarks-log.md),
// so large lists count exactly up to CountCap matches (or up to the requested page, when further) and then say "more than".
public static class PagedCount
{
    public const int CountCap = 10_000;

    // A text search is counted to a lower cap: each match past the page costs a lookup, and "more than 200" people
    // named محمد says to narrow the search as well as an exact 33,681 would (and costs a fifth: docs/benchmarks-log.md).
    public const int SearchCountCap = 200;

    // The total for a page already read with ReadSize rows (`read` of them came back). An offset page often tells it
    // without counting: the last page says everything up to it, and a page past the cap says "more than skip + page"
    // (counting there would read as far as the page did once more: page 2,000 of a million people twice).
    public static Task<(int Total, bool IsLowerBound)> Total<T>(IQueryable<T> query, PageRequest page, int read, CancellationToken ct, int countCap = CountCap) =>
        Total(page, read, (take, token) => query.Take(take).CountAsync(token), ct, countCap);

    // The same, with the matches counted by countUpTo(n): the number of matches, or n when there are at least n.
    public static async Task<(int Total, bool IsLowerBound)> Total(PageRequest page, int read, Func<int, CancellationToken, Task<int>> countUpTo, CancellationToken ct, int countCap = CountCap)
    {
        var onPage = Math.Min(read, page.SafePageSize);
        var more = read > page.SafePageSize;
        if (page.After is null && (onPage > 0 || page.Skip == 0))
        {
            if (!more) return (page.Skip + onPage, false);
            if (page.Skip + page.SafePageSize >= countCap) return (page.Skip + onPage, true);
        }

        var cap = Math.Max(countCap, page.Skip + page.SafePageSize);
        var counted = await countUpTo(cap + 1, ct);
        return counted > cap ? (cap, true) : (counted, false);
    }
}

public static class PageNumbers
{
    // The last page of a list of total rows (1 when empty).
    public static int Last(int total, int pageSize) => Math.Max(1, (int)(((long)total + pageSize - 1) / pageSize));

    // A pager's page came back empty past the end (the list shrank: merged duplicates, deleted exports): the page to
    // show instead is the last one, so the rows shown and the page number selected agree.
    public static int? Instead<T>(PagedResult<T> result) =>
        result.Items.Count == 0 && result.Page > 1 && result.Total > 0 && !result.TotalIsLowerBound ? Last(result.Total, result.PageSize) : null;
}

public static class ApiResults
{
    public static Results<Ok<T>, NotFound> OkOrNotFound<T>(T? value) where T : class =>
        value is null ? TypedResults.NotFound() : TypedResults.Ok(value);
}

public static class Ordering
{
    // Orders by the key, then by id, so that equal keys keep one order from page to page; both descending when desc.
    public static IQueryable<T> OrderByThenId<T, TKey>(this IQueryable<T> query, System.Linq.Expressions.Expression<Func<T, TKey>> key, bool desc)
        where T : IAudited =>
        desc ? query.OrderByDescending(key).ThenByDescending(x => x.Id) : query.OrderBy(key).ThenBy(x => x.Id);
}
