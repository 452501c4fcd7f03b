namespace Payvand.Platform.Search;

// A record kept in a list in name order: its terms carry SortName as their SortKey (SearchIndex.Replace).
public interface ISortedRecord
{
    string SortName { get; }
}

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

    // The record's place in its list's name order (a person's SortName, a company's): a word's holders are read from
    // the index in list order, so a page of a list searched for a common word costs what the page holds.
    public string? SortKey { get; set; }
}
