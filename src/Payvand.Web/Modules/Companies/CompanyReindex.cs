using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Search;

namespace Payvand.Modules.Companies;

// Companies' terms written again as SaveCompany makes them now (SearchReindexJob).
public sealed class CompanyReindex : ISearchReindexer
{
    public string Entity => SaveCompany.SearchEntity;

    public async Task<int?> Reindex(PayvandDb db, int afterId, int batch, CancellationToken ct)
    {
        var companies = await db.Companies.AsNoTracking().Include(c => c.Points).Where(c => c.Id > afterId).OrderBy(c => c.Id).Take(batch).ToListAsync(ct);
        if (companies.Count == 0) return null;
        var ids = companies.Select(c => c.Id).ToList();
        await db.SearchTerms.Where(t => t.Entity == Entity && ids.Contains(t.RecordId)).ExecuteDeleteAsync(ct);
        var rows = companies.SelectMany(c => SearchIndex.Rows(Entity, c.Id, SaveCompany.Terms(c), c.SortName)).ToList<object>();
        await BulkInsert.Of<SearchTerm>(db).Insert(db, rows, returnKeys: false, ct);
        return companies[^1].Id;
    }
}
