using System.Text.Json;
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
        var texts = new Dictionary<int, string?>();
        foreach (var person in people)
        {
            var terms = SaveContact.Terms(person).ToList();
            rows.AddRange(SearchIndex.Rows(Entity, person.Id, terms, person.SortName));
            var text = SearchIndex.Text(terms);
            if (text != person.SearchText) texts[person.Id] = text;
        }

        await BulkInsert.Of<SearchTerm>(db).Insert(db, rows, returnKeys: false, ct);
        await WriteSearchTexts(db, texts, ct);
        return people[^1].Id;
    }

    // The batch's changed SearchText in one statement (a JSON object of id to text): a statement per person held the job
    // to about 50 people a second. Written on its own: SearchText is derived, so versions and audit trails stay.
    private static async Task WriteSearchTexts(PayvandDb db, Dictionary<int, string?> texts, CancellationToken ct)
    {
        if (texts.Count == 0) return;
        var json = JsonSerializer.Serialize(texts);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"""
                UPDATE "Contacts" AS c SET "SearchText" = j.value FROM json_each_text(CAST({json} AS json)) AS j WHERE c."Id" = CAST(j.key AS integer)
                """, ct);
        }
        else
        {
            await db.Database.ExecuteSqlAsync($"""
                UPDATE "Contacts" SET "SearchText" = j.value FROM json_each({json}) AS j WHERE "Contacts"."Id" = CAST(j.key AS integer)
                """, ct);
        }
    }
}
