using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Payvand.Platform.Api;

// Every list endpoint pages the same way: ?page=1&pageSize=50&sort=lastName&desc=false, and returns the total.
// Lists that support it also take after=<id of the last row of the previous page> instead of a page number: that page
// starts right after the row (keyset paging), so page 2,000 costs what page 1 does, where page=2000 reads past 99,950 rows.
public sealed record PageRequest(int Page = 1, int PageSize = 50, string? Sort = null, bool Desc = false, int? After = null)
{
    public const int MaxPageSize = 500;

    public int SafePage => Math.Max(1, Page);

    public int SafePageSize => Math.Clamp(PageSize, 1, MaxPageSize);

    public int Skip => After is null ? (SafePage - 1) * SafePageSize : 0;
}

// TotalIsLowerBound: there are more than Total matches (see PagedCount); the exact number was not counted.
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize, bool TotalIsLowerBound = false);

// Counting every match of a broad filter over a million people costs more than reading the page (docs/benchmarks.md),
// so large lists count exactly up to CountCap matches (or up to the requested page, when further) and then say "more than".
public static class PagedCount
{
    public const int CountCap = 10_000;

    // A text search is counted to a lower cap: each match past the page costs a lookup, and "more than 1,000" people
    // named محمد says to narrow the search as well as an exact 33,681 would.
    public const int SearchCountCap = 1_000;

    public static async Task<(int Total, bool IsLowerBound)> UpTo<T>(IQueryable<T> query, PageRequest page, CancellationToken ct, int countCap = CountCap)
    {
        var cap = Math.Max(countCap, page.Skip + page.SafePageSize);
        var counted = await query.Take(cap + 1).CountAsync(ct);
        return counted > cap ? (cap, true) : (counted, false);
    }
}

public static class ApiResults
{
    public static Results<Ok<T>, NotFound> OkOrNotFound<T>(T? value) where T : class =>
        value is null ? TypedResults.NotFound() : TypedResults.Ok(value);
}
