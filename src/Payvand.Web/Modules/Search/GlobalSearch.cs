using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Search;

namespace Payvand.Modules.Search;

// The search box of every page: people and companies (and whatever other modules register) by name, phone in any
// format, email, national code or ID, in one answer, best and newest first, only records the caller may see.
// Fast enough to call on every keystroke: each source is one index-backed query.
public sealed class GlobalSearch(IDbContextFactory<PayvandDb> dbFactory, IEnumerable<ISearchSource> sources)
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 50;

    public async Task<List<SearchHit>> Handle(string? text, int limit, UserScope user, CancellationToken ct)
    {
        var query = new SearchQuery(text);
        if (!query.IsSearchable) return [];
        limit = Math.Clamp(limit, 1, MaxLimit);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = new List<SearchCandidate>();
        foreach (var source in sources.Where(s => s.Permission is null || user.Has(s.Permission)))
        {
            found.AddRange(await source.Find(db, query, user, limit, ct));
        }

        return found.OrderByDescending(c => c.Exact).ThenByDescending(c => c.UpdatedAt).Take(limit).Select(c => c.Hit).ToList();
    }
}
