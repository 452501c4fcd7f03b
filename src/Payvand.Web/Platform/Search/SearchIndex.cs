using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Persian;

namespace Payvand.Platform.Search;

// The words of a list's query still to test on each person, and the people to test (null: everyone, in list order).
// Ordered, for a list in name order: the word whose holders are read from the term index in that order instead.
public sealed record TextPlan(IReadOnlyList<string> Words, List<int>? Holders, OrderedTerms? Ordered = null);

// A word of a list's query whose holders a list in name order reads from the term index (ListContacts.InNameOrder):
// Terms, each one's holders read in SortKey order and merged; or, Terms null, the word's whole range, few enough
// entries to sort (at most SearchIndex.SortedRangeLimit).
public sealed record OrderedTerms(string Word, IReadOnlyList<string>? Terms);

// Writes and queries the prefix index behind global search. Terms are PersianText-normalized words,
// phone numbers in the forms people type (+98912..., 0912..., 912...), emails and codes.
public static class SearchIndex
{
    public const int MaxTermLength = 100;

    // The ends of a phone number kept as terms: its last 4 to 7 digits.
    public const int MinPhoneEnd = 4;
    public const int MaxPhoneEnd = 7;

    public static IEnumerable<string> TermsFor(IEnumerable<string?> words, IEnumerable<string> phonesE164, IEnumerable<string?> exact)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            foreach (var token in PersianText.Tokens(word)) terms.Add(token);
            // The words written together ("عبد الله" -> "عبدالله") find the name typed without its spaces. A whole with
            // a sign inside ("smith-0", "o'brien") is left out: a query's words never hold one (QueryTokens splits
            // there), so it would only lengthen the range of its first word (20,000 "smith-N" beside "smith").
            var whole = PersianText.NormalizeKey(word);
            if (whole.Length > 0 && IsWord(whole)) terms.Add(whole);
        }

        foreach (var phone in phonesE164)
        {
            var digits = phone.TrimStart('+');
            terms.Add(digits);
            if (digits.StartsWith("98", StringComparison.Ordinal))
            {
                terms.Add(digits[2..]);        // 9121234567
                terms.Add("0" + digits[2..]);  // 09121234567
            }

            // The end of the number, as people read it out or remember it: "6789", "56789" ... "3456789".
            for (var length = MinPhoneEnd; length <= MaxPhoneEnd && length < digits.Length - 2; length++) terms.Add(digits[^length..]);
        }

        foreach (var value in exact)
        {
            var key = PersianText.NormalizeKey(value);
            if (key.Length == 0) continue;
            terms.Add(key);
            // An email is also found by its domain ("example.com", "@example.com") and by its words ("niko", "example").
            if (key.LastIndexOf('@') is var at and > 0 && at < key.Length - 1)
            {
                terms.Add(key[at..]);
                terms.Add(key[(at + 1)..]);
                foreach (var token in PersianText.Tokens(key)) terms.Add(token);
            }
        }

        return terms.Where(t => t.Length > 0).Select(t => t.Length > MaxTermLength ? t[..MaxTermLength] : t);
    }

    // Only what QueryTokens can give as one word: letters, digits, marks and the half-space.
    private static bool IsWord(string key) => PersianText.Tokens(key) is [var only] && only == key;

    // Longest SearchText kept: a PostgreSQL index entry holds at most about 2,700 bytes and the text is included in one.
    public const int MaxTextLength = 1000;

    // A record's terms as one line, each preceded by a space, so "some term starts with t" is "the text contains ' t'"
    // (terms never contain a space). Null when longer than MaxTextLength: such a record is found by its terms alone.
    public static string? Text(IEnumerable<string> terms)
    {
        var text = string.Concat(terms.Distinct(StringComparer.Ordinal).Select(t => " " + t));
        return text.Length is 0 or > MaxTextLength ? null : text;
    }

    // What SearchText contains when a term starts with the query token.
    public static string TextNeedle(string token) => " " + token;

    // Replaces a record's terms. Called in the same unit of work as the record's save. sortKey: the record's place in
    // its list's name order (SearchTerm.SortKey), written with every term.
    public static async Task Replace(PayvandDb db, string entity, int recordId, IEnumerable<string> terms, string sortKey, CancellationToken ct)
    {
        await db.SearchTerms.Where(t => t.Entity == entity && t.RecordId == recordId).ExecuteDeleteAsync(ct);
        db.SearchTerms.AddRange(Rows(entity, recordId, terms, sortKey));
    }

    // The rows of a record's terms, for writers that insert in bulk.
    public static IEnumerable<SearchTerm> Rows(string entity, int recordId, IEnumerable<string> terms, string sortKey) =>
        terms.Distinct(StringComparer.Ordinal).Select(t => new SearchTerm { Entity = entity, RecordId = recordId, Term = t, SortKey = sortKey });

    public static Task Remove(PayvandDb db, string entity, int recordId, CancellationToken ct) =>
        db.SearchTerms.Where(t => t.Entity == entity && t.RecordId == recordId).ExecuteDeleteAsync(ct);

    // Ids of records of one kind whose terms start with every token of the query (AND across tokens).
    public static IQueryable<int> Matching(PayvandDb db, string entity, string query)
    {
        var tokens = QueryTokens(query);
        if (tokens.Count == 0) return db.SearchTerms.Where(_ => false).Select(t => t.RecordId);
        IQueryable<int>? ids = null;
        foreach (var token in tokens)
        {
            var these = InRange(db, entity, token).Select(t => t.RecordId);
            ids = ids is null ? these : ids.Intersect(these);
        }

        return ids!;
    }

    // A word with at most this many terms is read whole (its holders' ids) to answer a list's page; a list whose
    // every word has more is read in its own order instead (see ListContacts.Query). Reading 50,000 terms costs about
    // what reading a few hundred thousand index entries in list order does.
    public const int HoldersLimit = 50_000;

    // How a list answers a query: the ids of the holders of its narrowest word when it has at most HoldersLimit
    // terms, and the other words to test on each one's SearchText; or, every word being common, no ids and every word.
    // One bounded index range count per word, and one read of the narrowest word's range.
    // nameOrder: the list is read in name order, so a word can drive it through the term index (TextPlan.Ordered): a
    // word with at most SortedRangeLimit terms, or else a word with at most MaxOrderedTerms distinct terms (a common
    // complete word: "smith", 20,000 people); when every word has more (one letter, a common number), the list is read
    // in its own order testing SearchText, as the matches are then dense.
    public static async Task<TextPlan?> Plan(PayvandDb db, string entity, string query, bool nameOrder, CancellationToken ct)
    {
        var tokens = QueryTokens(query);
        if (tokens.Count == 0) return null;
        string? narrowest = null;
        var fewest = int.MaxValue;
        var limit = nameOrder ? SortedRangeLimit : HoldersLimit;
        foreach (var token in tokens.OrderByDescending(t => t.Length))
        {
            var count = await InRange(db, entity, token).Take(limit + 1).CountAsync(ct);
            if (count < fewest) (narrowest, fewest) = (token, count);
            if (count <= CommonTermCount) break;
        }

        if (nameOrder)
        {
            if (fewest <= SortedRangeLimit) return new TextPlan([.. tokens.Where(t => t != narrowest)], null, new OrderedTerms(narrowest!, null));
            foreach (var token in tokens.OrderByDescending(t => t.Length))
            {
                var terms = await DistinctTerms(db, entity, token, MaxOrderedTerms + 1, ct);
                if (terms.Count <= MaxOrderedTerms) return new TextPlan([.. tokens.Where(t => t != token)], null, new OrderedTerms(token, terms));
            }

            return new TextPlan(tokens, null);
        }

        if (fewest > HoldersLimit) return new TextPlan(tokens, null);
        var holders = await InRange(db, entity, narrowest!).Select(t => t.RecordId).Distinct().ToListAsync(ct);
        return new TextPlan([.. tokens.Where(t => t != narrowest)], holders);
    }

    // A word with at most this many terms is read whole and sorted by SortKey to answer a list in name order.
    public const int SortedRangeLimit = 5_000;

    // A word whose range holds at most this many distinct terms is read term by term in SortKey order, merged.
    public const int MaxOrderedTerms = 16;

    // The first `take` distinct terms of a prefix's range, in term order: one index probe each (a loose index scan),
    // however many records hold each term.
    public static async Task<List<string>> DistinctTerms(PayvandDb db, string entity, string prefix, int take, CancellationToken ct)
    {
        var (low, high) = PrefixRange(prefix);
        var terms = new List<string>();
        string? last = null;
        while (terms.Count < take)
        {
            var after = last;
#pragma warning disable CA1309 // byte-wise comparison on this column, as InRange
            var next = await db.SearchTerms.Where(t => t.Entity == entity && string.Compare(t.Term, high) < 0
                    && (after == null ? string.Compare(t.Term, low) >= 0 : string.Compare(t.Term, after) > 0))
                .OrderBy(t => t.Term).Select(t => t.Term).FirstOrDefaultAsync(ct);
#pragma warning restore CA1309
            if (next is null) break;
            terms.Add(next);
            last = next;
        }

        return terms;
    }

    // A word with more terms than this is common enough that no other word needs counting to choose (Plan).
    public const int CommonTermCount = 1000;

    // The terms of one kind of record starting with the prefix.
    public static IQueryable<SearchTerm> InRange(PayvandDb db, string entity, string prefix)
    {
        var (low, high) = PrefixRange(prefix);
#pragma warning disable CA1309 // EF translates string.Compare to SQL >= and <, which compare byte-wise on this column
        return db.SearchTerms.Where(t => t.Entity == entity && string.Compare(t.Term, low) >= 0 && string.Compare(t.Term, high) < 0);
#pragma warning restore CA1309
    }

    public static List<string> QueryTokens(string? query)
    {
        var normalized = PersianText.ToLatinDigits(query ?? "");
        // A phone typed with spaces or dashes is one token: "0912 123 4567" -> "09121234567".
        var compact = new string(normalized.Where(c => !char.IsWhiteSpace(c) && c != '-' && c != '(' && c != ')').ToArray());
        if (compact.Length >= 4 && compact.TrimStart('+').All(char.IsAsciiDigit))
        {
            return [compact.TrimStart('+').StartsWith("0098", StringComparison.Ordinal) ? compact.TrimStart('+')[2..] : compact.TrimStart('+')];
        }

        // An email is one term in the index (see TermsFor), so it is searched whole, not as words.
        if (normalized.Contains('@', StringComparison.Ordinal)) return [PersianText.NormalizeKey(normalized)];
        return PersianText.Tokens(query).Take(5).ToList();
    }

    // Text as a key compared by equality or prefix (PersianText.NormalizeKey, at most maxLength); null when nothing is left.
    public static string? Key(string? text, int maxLength) =>
        PersianText.NormalizeKey(text) is { Length: > 0 } key ? key[..Math.Min(key.Length, maxLength)] : null;

    // [prefix, prefix with its last character incremented): every string starting with prefix, in byte order.
    public static (string Low, string High) PrefixRange(string prefix) =>
        (prefix, prefix[..^1] + (char)(prefix[^1] + 1));
}
