namespace Payvand.Platform.Search;

// One normalized word or number of a record (a person's name parts, phones, emails, national code...).
// The global search finds records by prefix on this indexed column; every module that wants its records
// found writes their terms through SearchIndex.
public sealed class SearchTerm
{
    public long Id { get; set; }

    // "contact", "company", later "deal", "ticket".
    public required string Entity { get; set; }

    public int RecordId { get; set; }

    public required string Term { get; set; }
}
