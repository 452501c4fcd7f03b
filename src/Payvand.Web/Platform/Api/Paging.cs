using Microsoft.AspNetCore.Http.HttpResults;

namespace Payvand.Platform.Api;

// Every list endpoint pages the same way: ?page=1&pageSize=50&sort=lastName&desc=false, and returns the total.
public sealed record PageRequest(int Page = 1, int PageSize = 50, string? Sort = null, bool Desc = false)
{
    public const int MaxPageSize = 500;

    public int SafePage => Math.Max(1, Page);

    public int SafePageSize => Math.Clamp(PageSize, 1, MaxPageSize);

    public int Skip => (SafePage - 1) * SafePageSize;
}

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public static class ApiResults
{
    public static Results<Ok<T>, NotFound> OkOrNotFound<T>(T? value) where T : class =>
        value is null ? TypedResults.NotFound() : TypedResults.Ok(value);
}
