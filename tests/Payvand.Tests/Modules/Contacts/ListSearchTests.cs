using System.Net;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Search;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Contacts;

// The people list's q filter: the search terms decide, and the person's SearchText (the same terms in one line) lets
// the database skip non-matching people while it reads the name index. These tests pin that the two always agree.
// Its own database: it adds more than a thousand people with one first name.
[Trait("Category", "Integration")]
public sealed class ListSearchTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static async Task<List<string>> Names(HttpClient client, string q) =>
        (await (await client.GetAsync($"/api/contacts?q={Uri.EscapeDataString(q)}&pageSize=100")).Read<PagedResult<ContactRow>>())
        .Items.Select(r => r.DisplayName).ToList();

    [Fact]
    public async Task Q_finds_people_by_name_parts_phone_email_and_national_code_and_follows_edits()
    {
        var client = await app.ClientAs("Sales");
        var input = new ContactInput
        {
            FirstName = "كيميا",                 // Arabic ي and ك as an Arabic keyboard types them
            LastName = "ملک‌زاده",               // with a half-space (ZWNJ)
            NationalCode = "0499370899",
            Points = [new ContactPointInput(ContactPointKind.Mobile, "۰۹۳۵ ۱۱۱ ۲۲۳۳"), new ContactPointInput(ContactPointKind.Email, "Kimia.M@Example.com")],
        };
        var kimia = await (await client.PostJson("/api/contacts", input)).Read<ContactDetails>(HttpStatusCode.Created);
        await (await client.PostJson("/api/contacts", new ContactInput { FirstName = "کیوان", LastName = "ملکی" })).Read<ContactDetails>(HttpStatusCode.Created);

        Assert.Equal(["کیمیا ملک‌زاده"], await Names(client, "کیم"));
        Assert.Equal(["کیمیا ملک‌زاده"], await Names(client, "كيميا ملكزاده"));   // Arabic letters, written without the half-space
        Assert.Equal(["کیمیا ملک‌زاده"], await Names(client, "زاده"));             // the second part of the half-spaced word
        Assert.Equal(["کیمیا ملک‌زاده", "کیوان ملکی"], (await Names(client, "ملک")).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(["کیمیا ملک‌زاده"], await Names(client, "+98 935 111 2233"));
        Assert.Equal(["کیمیا ملک‌زاده"], await Names(client, "۰۹۳۵۱۱۱"));
        Assert.Equal(["کیمیا ملک‌زاده"], await Names(client, "kimia.m@example.com"));
        Assert.Equal(["کیمیا ملک‌زاده"], await Names(client, "0499370899"));
        Assert.Empty(await Names(client, "کیمیا ملکی"));                             // every word must match the same person

        // A new mobile is found at once and the old one no longer is.
        var edited = input with { Points = [new ContactPointInput(ContactPointKind.Mobile, "09127778899")], Version = kimia.Version };
        await (await client.PutJson($"/api/contacts/{kimia.Id}", edited)).Read<ContactDetails>();
        Assert.Equal(["کیمیا ملک‌زاده"], await Names(client, "09127778899"));
        Assert.Empty(await Names(client, "09351112233"));

        // SearchText is derived from the audited fields; the trail shows those, never the derived line.
        await using var db = await app.Db();
        var trail = await db.Audit.Where(a => a.EntityType == nameof(Contact) && a.EntityId == kimia.Id.ToString()).Select(a => a.Changes).ToListAsync();
        Assert.Contains(trail, c => c != null && c.Contains("09127778899", StringComparison.Ordinal));
        Assert.DoesNotContain(trail, c => c != null && c.Contains(nameof(Contact.SearchText), StringComparison.Ordinal));
    }

    // Issue 11: the same as the search box (GlobalSearchTests): a name given twice, a mobile's end, an email's domain.
    [Fact]
    public async Task Q_finds_a_name_given_twice_the_end_of_a_mobile_and_an_email_domain()
    {
        var client = await app.ClientAs("Sales");
        await (await client.PostJson("/api/contacts", new ContactInput
        {
            FirstName = "یگانه",
            LastName = "یگانه",
            Points = [new ContactPointInput(ContactPointKind.Mobile, "0918 765 4321"), new ContactPointInput(ContactPointKind.Email, "Yegane@Sahand-Mail.ir")],
        })).Read<ContactDetails>(HttpStatusCode.Created);

        foreach (var q in new[] { "یگانه", "يگانه", "یگانه یگانه", "4321", "۴۳۲۱", "7654321", "sahand-mail.ir", "@sahand-mail.ir", "Sahand-Mail", "sahand" })
        {
            var found = await Names(client, q);
            Assert.True(found.SequenceEqual(["یگانه یگانه"]), $"q={q}: [{string.Join(", ", found)}]");
        }
    }

    [Fact]
    public async Task A_person_whose_terms_are_too_long_for_SearchText_is_still_found_by_them()
    {
        var client = await app.ClientAs("Sales");
        // As many emails as a person may have (20 of 59 characters are past SearchText's 1,000).
        var emails = Enumerable.Range(1, ContactInput.MaxPoints).Select(i => new ContactPointInput(ContactPointKind.Email, $"a-rather-long-mailbox-name-{i:D2}@example-company-of-tehran.com")).ToList();
        var many = await (await client.PostJson("/api/contacts", new ContactInput { FirstName = "پرستو", LastName = "بسیارنامه", Points = emails }))
            .Read<ContactDetails>(HttpStatusCode.Created);

        await using (var db = await app.Db())
        {
            Assert.Null(await db.Contacts.Where(c => c.Id == many.Id).Select(c => c.SearchText).SingleAsync());
        }

        Assert.Equal(["پرستو بسیارنامه"], await Names(client, "بسیارنا"));
        Assert.Equal(["پرستو بسیارنامه"], await Names(client, "a-rather-long-mailbox-name-20@example-company-of-tehran.com"));
    }

    // Issue 11: the list answers q in four ways (SearchIndex.Plan, ListContacts.Query): by the terms; by the holders of
    // the narrowest word, the others tested on SearchText; by everyone in list order tested on SearchText; in name order
    // from the term index, by a word's whole range or term by term (ListContacts.Holders). All give the same people in
    // the same order, a person without SearchText included, ascending and descending.
    [Fact]
    public async Task Every_way_of_answering_q_gives_the_same_people()
    {
        await using (var db = await app.Db())
        {
            var added = Enumerable.Range(1, 60).Select(i => new Contact
            {
                FirstName = i % 3 == 0 ? "آرتین" : "آرتا",
                LastName = $"راهی-{i % 7}",
                BranchId = app.MainBranchId,
                Points = [new ContactPoint { Kind = ContactPointKind.Mobile, Value = "x", NormalizedValue = $"+98912{i:D7}" }],
            }).ToList();
            foreach (var c in added) c.Touch();
            db.Contacts.AddRange(added);
            await db.SaveChangesAsync();
            foreach (var c in added) await SearchIndex.Replace(db, SaveContact.SearchEntity, c.Id, SaveContact.Terms(c), c.SortName, default);
            await db.SaveChangesAsync();
            await db.Contacts.Where(c => c.Id == added[5].Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.SearchText, (string?)null));
        }

        await using var read = await app.Db();
        foreach (var q in new[] { "آرتین", "آرت", "راهی-3", "آرتا راهی", "راهی 0912", "0912000001", "0001", "آرتین راهی-4 09", "هیچکس آرتا" })
        {
            var filter = new ContactFilter { Q = q };
            var tokens = SearchIndex.QueryTokens(q);
            async Task<List<int>> Ids(TextPlan? plan) => await ListContacts.Sort(ListContacts.Query(read, filter, UserScope.System, plan), filter, "name", false)
                .Select(c => c.Id).ToListAsync();
            var byTerms = await Ids(null);
            Assert.Equal(byTerms, await Ids(new TextPlan(tokens, null)));
            Assert.Equal(byTerms, await Ids(await SearchIndex.Plan(read, SaveContact.SearchEntity, q, nameOrder: false, default)));
            Assert.Equal(byTerms, await Ids(await SearchIndex.Plan(read, SaveContact.SearchEntity, q, nameOrder: true, default)));
            foreach (var word in tokens)
            {
                var holders = await SearchIndex.InRange(read, SaveContact.SearchEntity, word).Select(t => t.RecordId).Distinct().ToListAsync();
                var others = new TextPlan([.. tokens.Where(t => t != word)], null);
                Assert.Equal(byTerms, await Ids(others with { Holders = holders }));
                var terms = await SearchIndex.DistinctTerms(read, SaveContact.SearchEntity, word, 100, default);
                foreach (var ordered in new[] { new OrderedTerms(word, null), new OrderedTerms(word, terms) })
                {
                    foreach (var desc in new[] { false, true })
                    {
                        var query = ListContacts.Query(read, filter, UserScope.System, others);
                        var expected = desc ? Enumerable.Reverse(byTerms).ToList() : byTerms;
                        Assert.Equal(expected, await ListContacts.InNameOrder(read, query, ordered, desc, null, 1000, default));
                        // A page after the fifth person, and the first three only.
                        if (expected.Count > 5)
                        {
                            var fifth = await read.Contacts.Where(c => c.Id == expected[4]).Select(c => c.SortName).SingleAsync();
                            Assert.Equal(expected.Skip(5), await ListContacts.InNameOrder(read, query, ordered, desc, (fifth, expected[4]), 1000, default));
                        }

                        Assert.Equal(expected.Take(3), await ListContacts.InNameOrder(read, query, ordered, desc, null, 3, default));
                    }
                }
            }

            Assert.True(q.StartsWith("هیچکس", StringComparison.Ordinal) ? byTerms.Count == 0 : byTerms.Count > 0, q);
        }
    }

    // More than SearchIndex.CommonTermCount people share the first name: counted to the cap, then "more than".
    [Fact]
    public async Task A_text_search_counts_to_its_cap_then_says_more_than()
    {
        const int people = SearchIndex.CommonTermCount + 30;
        await using (var db = await app.Db())
        {
            var added = Enumerable.Range(1, people).Select(i => new Contact { FirstName = "شمارنده", LastName = $"نام {i:D4}", BranchId = app.MainBranchId }).ToList();
            foreach (var c in added) c.Touch();
            db.Contacts.AddRange(added);
            await db.SaveChangesAsync();
            foreach (var c in added) await SearchIndex.Replace(db, SaveContact.SearchEntity, c.Id, SaveContact.Terms(c), c.SortName, default);
            await db.SaveChangesAsync();
            // As if its terms had been too long for SearchText: the common-word path must ask the terms for this one.
            await db.Contacts.Where(c => c.Id == added[499].Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.SearchText, (string?)null));
        }

        var client = await app.ClientAs("Sales");
        var first = await (await client.GetAsync($"/api/contacts?q={Uri.EscapeDataString("شمارنده")}&pageSize=50")).Read<PagedResult<ContactRow>>();
        Assert.Equal((PagedCount.SearchCountCap, true), (first.Total, first.TotalIsLowerBound));
        Assert.Equal("شمارنده نام 0001", first.Items[0].DisplayName);

        // Narrowed to a few, the count is exact; the last page of all of them counts to its end.
        var narrow = await (await client.GetAsync($"/api/contacts?q={Uri.EscapeDataString("شمارنده 0007")}&pageSize=50")).Read<PagedResult<ContactRow>>();
        Assert.Equal((1, false), (narrow.Total, narrow.TotalIsLowerBound));
        Assert.Equal("شمارنده نام 0007", narrow.Items.Single().DisplayName);
        var last = await (await client.GetAsync($"/api/contacts?q={Uri.EscapeDataString("شمارنده")}&pageSize=50&page={(people + 49) / 50}")).Read<PagedResult<ContactRow>>();
        Assert.Equal((people, false), (last.Total, last.TotalIsLowerBound));
        Assert.Equal($"شمارنده نام {people:D4}", last.Items[^1].DisplayName);
        var tenth = await (await client.GetAsync($"/api/contacts?q={Uri.EscapeDataString("شمار")}&pageSize=50&page=10")).Read<PagedResult<ContactRow>>();
        Assert.Equal("شمارنده نام 0500", tenth.Items[^1].DisplayName);
        // Past the cap the page itself tells the total: more than the rows up to its end.
        Assert.Equal((500, true), (tenth.Total, tenth.TotalIsLowerBound));
        Assert.Equal(Enumerable.Range(451, 50).Select(i => $"شمارنده نام {i:D4}"), tenth.Items.Select(r => r.DisplayName));
    }
}
