using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Search;

namespace Payvand.Modules.Contacts;

// People's terms and SearchText written again as SaveContact makes them now (SearchReindexJob).
public sealed class PeopleReindex : ISearchReindexer
{
    public string Entity => SaveContact.SearchEntity;

    public async Task<int?> Reindex(PayvandDb db, int afterId, int batch, CancellationToken ct)
    {
        var people = await db.Contacts.AsNoTracking().Include(c => c.Points).Where(c => c.Id > afterId).OrderBy(c => c.Id).Take(batch).ToListAsync(ct);
        if (people.Count == 0) return null;
        var ids = people.Select(c => c.Id).ToList();
        await db.SearchTerms.Where(t => t.Entity == Entity && ids.Contains(t.RecordId)).ExecuteDeleteAsync(ct);
        var rows = new List<object>();
        foreach (var person in people)
        {
            var terms = SaveContact.Terms(person).ToList();
            rows.AddRange(SearchIndex.Rows(Entity, person.Id, terms, person.SortName));
            // Written on its own: SearchText is derived, so the person's version and audit trail stay as they are.
            var text = SearchIndex.Text(terms);
            if (text != person.SearchText) await db.Contacts.Where(c => c.Id == person.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.SearchText, text), ct);
        }

        await BulkInsert.Of<SearchTerm>(db).Insert(db, rows, returnKeys: false, ct);
        return people[^1].Id;
    }
}
