namespace Payvand.Bench;

// `measure --workloads search`: global search and the people list's text and name filters over data whose words and
// numbers are very common (`generate --names skewed`, SkewedNames), issue 11's target: p99 <= 150 ms at 1,000,000 people
// on PostgreSQL whatever the distribution. On the default Persian data they still run, with other answers.
public static class SearchWorkloads
{
    public static (string Name, string[] Paths)[] All() =>
    [
        ("search: q=Smith-0 (a surname and a number, each common)", Search("Smith-0")),
        ("search: q=Smith (20,000 people)", Search("Smith")),
        ("search: q=Jo (two letters)", Search("Jo")),
        ("search: q=12 (a common number)", Search("12")),
        ("search: q=John Jones (two common words never together)", Search("John Jones")),
        ("search: q=6789 (the end of a mobile)", Search("6789")),
        ("list: q=Smith-0", [Contacts("q=Smith-0")]),
        ("list: q=Smith", [Contacts("q=Smith")]),
        ("list: q=s (one letter)", [Contacts("q=s")]),
        ("list: q=7 (a common number)", [Contacts("q=7")]),
        ("list: q=John Jones (no one)", [Contacts("q=John%20Jones")]),
        ("list: firstName=John (50,000 people)", [Contacts("firstName=John")]),
        ("list: lastName starts with Smith-1 (2,220 people)", [Contacts("lastNameStartsWith=Smith-1")]),
        ("list: lastName starts with S (one letter)", [Contacts("lastNameStartsWith=S")]),
        ("list: firstName starts with J, lastName=Smith-0", [Contacts("firstNameStartsWith=J&lastName=Smith-0")]),
    ];

    private static string Contacts(string query) => "/api/contacts?" + query + "&page=1&pageSize=50";

    private static string[] Search(string q) => ["/api/search?q=" + Uri.EscapeDataString(q)];
}
