using System.Net;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Modules.Search;
using Payvand.Platform.Search;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Search;

// GET /api/search: the search box of every page. Its own database, so the counts of people sharing a name are known.
[Trait("Category", "Integration")]
public sealed class GlobalSearchTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static async Task<List<SearchHit>> Search(HttpClient client, string q, int limit = 10) =>
        await (await client.GetAsync($"/api/search?q={Uri.EscapeDataString(q)}&limit={limit}")).Read<List<SearchHit>>();

    private static async Task<List<string>> Titles(HttpClient client, string q) => (await Search(client, q)).Select(h => h.Title).ToList();

    [Fact]
    public async Task Finds_people_and_companies_by_name_phone_email_and_code_in_any_script()
    {
        var client = await app.ClientAs("Sales");
        var company = await (await client.PostJson("/api/companies", new CompanyInput { Name = "سپیدار گستر", City = "شیراز" }))
            .Read<CompanyDetails>(HttpStatusCode.Created);
        var person = await (await client.PostJson("/api/contacts", new ContactInput
        {
            FirstName = "نيكو",                    // Arabic ي and ك
            LastName = "پاک‌نژاد",                 // half-space
            NationalCode = "0499370899",
            CompanyId = company.Id,
            Points = [new ContactPointInput(ContactPointKind.Mobile, "۰۹۱۲ ۳۴۵ ۶۷۸۹"), new ContactPointInput(ContactPointKind.Email, "Niko.P@Example.com")],
        })).Read<ContactDetails>(HttpStatusCode.Created);

        var hit = Assert.Single(await Search(client, "نیکو"));
        Assert.Equal(("person", person.Id, "نیکو پاک‌نژاد", $"/contacts/{person.Id}"), (hit.Type, hit.Id, hit.Title, hit.Url));
        Assert.Contains("سپیدار گستر", hit.Subtitle, StringComparison.Ordinal);
        foreach (var q in new[] { "نيك", "پاکنژاد", "نژاد", "نیکو پاک", "پاک نیکو", "+98 912 345 6789", "00989123456789", "۰۹۱۲۳۴۵", "912345", "niko.p@example.com", "niko.p", "0499370899" })
        {
            Assert.Equal([person.Id], (await Search(client, q)).Where(h => h.Type == "person").Select(h => h.Id).ToList());
        }

        Assert.Equal([("company", company.Id)], (await Search(client, "سپیدار")).Select(h => (h.Type, h.Id)).ToList());
        Assert.Empty(await Search(client, "نیکو سپید"));   // every word must match the same record
        Assert.Empty(await Search(client, "ن"));           // too short to search
    }

    // Issue 11: a person whose first and last names are the same word, found by it; a mobile by its last digits; an
    // email by its domain, with or without the @.
    [Fact]
    public async Task Finds_a_name_given_twice_the_end_of_a_mobile_and_an_email_domain()
    {
        var client = await app.ClientAs("Sales");
        var person = await (await client.PostJson("/api/contacts", new ContactInput
        {
            FirstName = "یگانه",
            LastName = "یگانه",
            Points = [new ContactPointInput(ContactPointKind.Mobile, "0918 765 4321"), new ContactPointInput(ContactPointKind.Email, "Yegane@Sahand-Mail.ir")],
        })).Read<ContactDetails>(HttpStatusCode.Created);

        foreach (var q in new[] { "یگانه", "يگانه", "یگانه یگانه", "یگانه‌یگانه", "4321", "۴۳۲۱", "654321", "7654321", "sahand-mail.ir", "@sahand-mail.ir", "Sahand-Mail", "sahand" })
        {
            var found = (await Search(client, q)).Where(h => h.Type == "person").Select(h => h.Id).ToList();
            Assert.True(found.SequenceEqual([person.Id]), $"q={q}: [{string.Join(", ", found)}]");
        }

        Assert.Empty(await Search(client, "87654321"));   // not the end of the number (that is 4 to 7 digits) nor its start
    }

    // Many people share a name: exact holders come first, newest first, and a second word narrows them; a person whose
    // SearchText is missing (too long to keep) is tested against the terms instead.
    [Fact]
    public async Task A_common_name_lists_exact_matches_newest_first_and_a_second_word_narrows_it()
    {
        var branch = await app.CreateBranch("Common names");
        await using (var db = await app.Db())
        {
            var people = Enumerable.Range(1, 80).Select(i => new Contact { FirstName = "رامین", LastName = $"فامیل{i:D2}", BranchId = branch }).ToList();
            people.Add(new Contact { FirstName = "رامینا", LastName = "نزدیک", BranchId = branch });
            people.Add(new Contact { FirstName = "رامین", LastName = "افشار", BranchId = branch });
            people.Add(new Contact { FirstName = "رامین", LastName = "اکبری", BranchId = branch });
            foreach (var c in people) c.Touch();
            db.Contacts.AddRange(people);
            await db.SaveChangesAsync();
            foreach (var c in people) await Payvand.Platform.Search.SearchIndex.Replace(db, SaveContact.SearchEntity, c.Id, SaveContact.Terms(c), c.SortName, default);
            await db.SaveChangesAsync();
            var akbari = people[^1].Id;
            await db.Contacts.Where(c => c.Id == akbari).ExecuteUpdateAsync(s => s.SetProperty(c => c.SearchText, (string?)null));
        }

        var client = await app.ClientAs("Sales", branch);
        var hits = await Search(client, "رامین", 50);
        Assert.Equal(50, hits.Count);
        Assert.DoesNotContain(hits, h => h.Title == "رامینا نزدیک");   // a longer name is only a prefix match: after 82 exact ones
        await using (var db = await app.Db())
        {
            var newest = await db.Contacts.Where(c => c.BranchId == branch && c.FirstName == "رامین")
                .OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id).Take(50).Select(c => c.Id).ToListAsync();
            Assert.Equal(newest, hits.Select(h => h.Id).ToList());
        }

        // Typed in order, "رامین ا" is also the start of the whole name رامینا.
        Assert.Equal(["رامین افشار", "رامین اکبری", "رامینا نزدیک"], (await Titles(client, "رامین ا")).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(["رامین اکبری"], await Titles(client, "اکبر رامین"));
        // The exact holder of a name first, then the whole names that start with it (رامین افشار is رامینافشار).
        var ramina = await Titles(client, "رامینا");
        Assert.Equal(("رامینا نزدیک", 3), (ramina[0], ramina.Count));

        // Another branch's salesperson finds none of them.
        var stranger = await app.ClientAs("Sales", await app.CreateBranch("Elsewhere"));
        Assert.Empty(await Search(stranger, "رامین"));
        Assert.Empty(await Search(stranger, "رامین ا"));
    }

    // Each kind of record is searched only by holders of its module's read permission, whatever the search permission.
    [Fact]
    public async Task A_source_answers_only_holders_of_its_permission()
    {
        var client = await app.ClientAs("Sales");
        var name = "Permitted" + Guid.NewGuid().ToString("N")[..6];
        await (await client.PostJson("/api/contacts", new ContactInput { LastName = name })).Read<ContactDetails>(HttpStatusCode.Created);
        await (await client.PostJson("/api/companies", new CompanyInput { Name = name })).Read<CompanyDetails>(HttpStatusCode.Created);
        var search = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<GlobalSearch>(app.Services);
        Payvand.Platform.Auth.UserScope With(params string[] permissions) =>
            new(1, "one", new HashSet<string> { Payvand.Platform.Auth.Roles.Admin }, new HashSet<int>()) { Permissions = permissions.ToHashSet() };

        Assert.Equal(["company", "person"], (await search.Handle(name, 10, Payvand.Platform.Auth.UserScope.System, CancellationToken.None)).Select(h => h.Type).Order(StringComparer.Ordinal));
        Assert.Equal(["person"], (await search.Handle(name, 10, With(ContactsPermissions.Read), CancellationToken.None)).Select(h => h.Type));
        Assert.Equal(["company"], (await search.Handle(name, 10, With(CompaniesPermissions.Read), CancellationToken.None)).Select(h => h.Type));
    }
}
