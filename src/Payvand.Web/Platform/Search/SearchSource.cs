using System.Linq.Expressions;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Platform.Search;

// One line of the search box's drop-down: "person", "company" (later "deal", "ticket"), what to show and where to go.
public sealed record SearchHit(string Type, int Id, string Title, string? Subtitle, string Url)
{
    // "a · b" ("a، b" in Persian) of the parts that are there; null when none is.
    public static string? Join(params string?[] parts) => parts.Any(p => !string.IsNullOrWhiteSpace(p))
        ? string.Join(PersianText.Separator(Cultures.IsPersian(System.Globalization.CultureInfo.CurrentUICulture)), parts.Where(p => !string.IsNullOrWhiteSpace(p)))
        : null;
}

// One kind of record global search finds (people, companies; later deals, tickets). A module makes its records
// findable by writing their terms with SearchIndex and registering a source: services.AddSearchSource<DealSearch>().
public interface ISearchSource
{
    // Only holders of this permission search this kind (null: everyone who may search).
    string? Permission => null;

    // At most `limit` records of this kind the user may see, best first. One database round trip, index-backed.
    Task<List<SearchCandidate>> Find(PayvandDb db, SearchQuery query, UserScope user, int limit, CancellationToken ct);
}

// A hit with what global search ranks it by: an exact match of a whole term (a full phone number, email, code or
// name) beats a prefix match; then the most recently changed record comes first.
public sealed record SearchCandidate(SearchHit Hit, bool Exact, DateTime UpdatedAt);

// What the user typed, read once for every source: digits in any script, ي/ك, spaces inside phone numbers, and
// the queries over the term index (SearchIndex) that find the records of one kind.
//
// SearchIndex.Matching intersects the full range of every word, which grows with the data: "محمد" or "0912"
// match a large share of a big database, and one keystroke would then sort all of them (about a second for
// 300,000 people). Here the range of one word is read in index order and reading stops after a few dozen visible
// records, the other words checked on each; a common query costs the same on any size of database. The slowest
// case is words each common but rare together: it reads the whole range of its longest word.
public sealed class SearchQuery
{
    public const int MinLength = 2;

    private readonly List<string> exactKeys;
    private readonly List<List<string>> prefixGroups = [];

    public SearchQuery(string? text)
    {
        Text = (text ?? "").Trim();
        Key = Cut(PersianText.NormalizeKey(PersianText.ToLatinDigits(Text)));
        var tokens = SearchIndex.QueryTokens(Text).Select(Cut).Distinct(StringComparer.Ordinal).ToList();
        exactKeys = tokens.Count == 1 && tokens[0] != Key ? [Key, tokens[0]] : [Key];

        // The whole query as one prefix first: a name typed in order ("مریم کاظ" -> "مریمکاظمی") and an email or
        // code typed whole or in part ("ali.rezaei@mail.ir", "ali.rez") are single terms of the index. Then every
        // word as a prefix of some term, for words in any order.
        if (Key.Length >= MinLength && !(tokens.Count == 1 && tokens[0] == Key)) prefixGroups.Add([Key]);
        if (tokens.Count > 0) prefixGroups.Add(tokens);
    }

    public string Text { get; }

    // The query without spaces, normalized like the index's terms.
    public string Key { get; }

    public bool IsSearchable => Key.Length >= MinLength;

    // Terms equal to the whole query: a record with one of them is an exact match.
    public IReadOnlyList<string> ExactKeys => exactKeys;

    // At most `take` ids (duplicates possible) of records of one kind that match and that `visible` lets through:
    // records with a term equal to the query (in name order), then those with a term starting with the query, then
    // those with a term starting with each word (in term order, so the closest completions come first). The ways
    // are read in that order and reading stops at `take`, so a later, costlier way runs only when needed.
    // visibleWith, when given, is `visible` that also checks the other words of the query on the record itself (in
    // the same probe); otherwise each other word is one more probe of the term index per record.
    public IQueryable<int> Candidates(PayvandDb db, string entity, Expression<Func<SearchTerm, bool>> visible, int take,
        Func<IReadOnlyList<string>, Expression<Func<SearchTerm, bool>>>? visibleWith = null)
    {
        IQueryable<int>? result = null;
        // One equality per key, so the index (Entity, Term, SortKey, RecordId) gives them in name order and reading
        // stops at `take`; an IN list would fetch and sort every holder of a common name ("کریمی": 6,887 people).
        foreach (var key in exactKeys)
        {
            var exact = db.SearchTerms.Where(t => t.Entity == entity && t.Term == key).Where(visible)
                .OrderBy(t => t.SortKey).ThenBy(t => t.RecordId).Select(t => t.RecordId).Take(take);
            result = result is null ? exact : result.Concat(exact);
        }

        foreach (var words in prefixGroups)
        {
            // The longest word has the narrowest range: it drives; the others are checked on each record it finds.
            var driving = words.OrderByDescending(w => w.Length).First();
            var others = words.Where(w => w != driving).ToList();
            // Visibility first: one primary-key probe that turns away most rows for a user of one branch.
            var terms = SearchIndex.InRange(db, entity, driving).Where(others.Count > 0 && visibleWith is not null ? visibleWith(others) : visible);
            if (visibleWith is null)
            {
                foreach (var word in others)
                {
                    var range = SearchIndex.InRange(db, entity, word);
                    terms = terms.Where(t => range.Any(u => u.RecordId == t.RecordId));
                }
            }

            result = result!.Concat(terms.OrderBy(t => t.Term).Select(t => t.RecordId).Take(take));
        }

        return result!.Take(take);
    }

    private static string Cut(string term) => term.Length > SearchIndex.MaxTermLength ? term[..SearchIndex.MaxTermLength] : term;
}

public static class SearchSourceRegistration
{
    public static IServiceCollection AddSearchSource<T>(this IServiceCollection services) where T : class, ISearchSource =>
        services.AddTransient<ISearchSource, T>();
}
