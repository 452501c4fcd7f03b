using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Api;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Privacy;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Contacts;

[Trait("Category", "Integration")]
public sealed class DuplicatesAndMergeTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static ContactInput Person(UniquePerson p, int branch, string? city = null, DateOnly? birth = null) => p.Input(branch) with
    {
        City = city ?? "City " + p.LastName,
        BirthDate = birth ?? new DateOnly(1970, 1, 1).AddDays(Random.Shared.Next(10_000)),
        Tags = [],
    };

    private static async Task<ContactDetails> Create(HttpClient client, ContactInput input) =>
        await (await client.PostJson("/api/contacts", input)).Read<ContactDetails>(HttpStatusCode.Created);

    [Fact]
    public async Task Duplicates_are_found_for_each_reason_and_never_across_branches()
    {
        var branch = await app.CreateBranch("Dups " + Guid.NewGuid().ToString("N")[..6]);
        var away = await app.CreateBranch("Dups away " + Guid.NewGuid().ToString("N")[..6]);
        var admin = await app.AdminClient();
        var sales = await app.ClientAs("Sales", branch);

        var a = UniquePerson.Create();
        var sameMobile = new[] { await Create(sales, Person(a, branch)), await Create(sales, Person(UniquePerson.Create() with { Mobile = a.Mobile }, branch)) };
        var b = UniquePerson.Create();
        var sameEmail = new[] { await Create(sales, Person(b, branch)), await Create(sales, Person(UniquePerson.Create() with { Email = b.Email.ToUpperInvariant() }, branch)) };
        var c = UniquePerson.Create();
        var sameCode = new[] { await Create(sales, Person(c, branch)), await Create(sales, Person(UniquePerson.Create() with { NationalCode = c.NationalCode }, branch)) };
        var d = UniquePerson.Create();
        var born = new DateOnly(1991, 2, 3);
        var sameNameBirth = new[]
        {
            await Create(sales, Person(d, branch, city: "Arak", birth: born)),
            await Create(sales, Person(UniquePerson.Create() with { FirstName = d.FirstName, LastName = d.LastName }, branch, city: "Sari", birth: born)),
        };
        var e = UniquePerson.Create();
        var sameNameCity = new[]
        {
            await Create(sales, Person(e, branch, city: "Yazd")),
            await Create(sales, Person(UniquePerson.Create() with { FirstName = e.FirstName, LastName = e.LastName }, branch, city: "Yazd")),
        };
        var elsewhere = await Create(admin, Person(UniquePerson.Create() with { Mobile = a.Mobile }, away));

        var page = await (await sales.GetAsync("/api/contacts/duplicates?pageSize=100")).Read<PagedResult<DuplicateGroup>>();
        Assert.Equal(5, page.Total);
        void Has(DuplicateReason reason, ContactDetails[] people) =>
            Assert.Equal(people.Select(p => p.Id).Order(), page.Items.Single(g => g.Reason == reason).People.Select(p => p.Id).Order());
        Has(DuplicateReason.SameMobile, sameMobile);
        Has(DuplicateReason.SameEmail, sameEmail);
        Has(DuplicateReason.SameNationalCode, sameCode);
        Has(DuplicateReason.SameNameAndBirthDate, sameNameBirth);
        Has(DuplicateReason.SameNameAndCity, sameNameCity);
        Assert.DoesNotContain(page.Items.SelectMany(g => g.People), p => p.Id == elsewhere.Id);

        var second = await (await sales.GetAsync("/api/contacts/duplicates?page=2&pageSize=2")).Read<PagedResult<DuplicateGroup>>();
        Assert.Equal([DuplicateReason.SameNationalCode, DuplicateReason.SameNameAndBirthDate], second.Items.Select(g => g.Reason));

        // An administrator sees every branch, so the third person with that mobile joins the group.
        var all = await (await admin.GetAsync("/api/contacts/duplicates?pageSize=500")).Read<PagedResult<DuplicateGroup>>();
        Assert.Contains(all.Items, g => g.Reason == DuplicateReason.SameMobile && g.People.Any(p => p.Id == elsewhere.Id) && g.People.Count == 3);
    }

    [Fact]
    public async Task Merge_moves_everything_to_the_survivor_and_calls_every_registration()
    {
        var probe = new ProbePersonalData();
        await using var probed = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IPersonalData>(probe)));
        var admin = await AdminOf(probed);
        var key = "size_" + Guid.NewGuid().ToString("N")[..6];
        var only = "note_" + Guid.NewGuid().ToString("N")[..6];
        foreach (var k in new[] { key, only })
        {
            await (await admin.PostJson("/api/custom-fields", new CustomFieldInput { Target = CustomFieldTarget.Contact, Key = k, LabelFa = k, LabelEn = k })).Read<JsonElement>(HttpStatusCode.Created);
        }

        var s = UniquePerson.Create();
        var o = UniquePerson.Create() with { Mobile = s.Mobile };
        var survivor = await Create(admin, Person(s, app.MainBranchId, city: "Qom") with { Tags = ["gold", "shared"], CustomFields = new() { [key] = "40" } });
        var other = await Create(admin, Person(o, app.MainBranchId, city: "Ilam") with { Tags = ["shared", "new"], CustomFields = new() { [key] = "42", [only] = "kept" } });
        await (await admin.PostJson($"/api/contacts/{survivor.Id}/consent", new SetConsent.Request(ConsentChannel.Sms, ConsentStatus.OptedIn, "form"))).Expect(HttpStatusCode.NoContent);
        await (await admin.PostJson($"/api/contacts/{other.Id}/consent", new SetConsent.Request(ConsentChannel.Sms, ConsentStatus.OptedOut, "reply"))).Expect(HttpStatusCode.NoContent);
        foreach (var (id, subject) in new[] { (survivor.Id, "Survivor call"), (other.Id, "Other call") })
        {
            await (await admin.PostJson($"/api/contacts/{id}/timeline", new ActivityInput { Kind = ActivityKind.Note, Subject = subject, Body = subject })).Read<JsonElement>(HttpStatusCode.Created);
        }

        survivor = await (await admin.GetAsync($"/api/contacts/{survivor.Id}")).Read<ContactDetails>();
        other = await (await admin.GetAsync($"/api/contacts/{other.Id}")).Read<ContactDetails>();
        var request = new MergeContacts.Request(other.Id, survivor.Version, other.Version, new()
        {
            ["firstName"] = MergeSide.Other,
            ["city"] = MergeSide.Survivor,
            ["cf." + key] = MergeSide.Other,
        });
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostJson($"/api/contacts/{survivor.Id}/merge", request)).StatusCode);

        var merged = await (await admin.GetAsync($"/api/contacts/{survivor.Id}")).Read<ContactDetails>();
        Assert.Equal(o.FirstName, merged.FirstName);
        Assert.Equal(s.LastName, merged.LastName);
        Assert.Equal("Qom", merged.City);
        Assert.Single(merged.Points, p => p.Kind == ContactPointKind.Mobile);             // the shared mobile once
        Assert.Equal(new[] { o.Email, s.Email }.Order(StringComparer.Ordinal),
            merged.Points.Where(p => p.Kind == ContactPointKind.Email).Select(p => p.NormalizedValue).Order(StringComparer.Ordinal));
        Assert.Equal(["gold", "new", "shared"], merged.Tags);
        Assert.Equal("42", merged.CustomFields[key]);
        Assert.Equal("kept", merged.CustomFields[only]);
        Assert.Equal(ConsentStatus.OptedOut, merged.Consent.Sms);                         // the most recent decision wins
        Assert.Equal(2, (await (await admin.GetAsync($"/api/contacts/{survivor.Id}/consent")).Read<List<ConsentHistoryItem>>()).Count);
        var timeline = await (await admin.GetAsync($"/api/contacts/{survivor.Id}/timeline")).Read<PagedResult<TimelineItem>>();
        Assert.Equal(["Other call", "Survivor call"], timeline.Items.Select(i => i.Subject).Order(StringComparer.Ordinal));

        // The merged person's address moved for good: 308 to the survivor, with a problem naming them.
        var goneResponse = await admin.GetAsync($"/api/contacts/{other.Id}");
        Assert.Equal($"/api/contacts/{survivor.Id}", goneResponse.Headers.Location?.OriginalString);
        var gone = await goneResponse.Problem(HttpStatusCode.PermanentRedirect);
        Assert.Equal(survivor.Id, gone.GetProperty("mergedIntoId").GetInt32());
        Assert.Contains((other.Id, survivor.Id), probe.Moves);

        await using var db = await app.Db();
        Assert.False(await db.SearchTerms.AnyAsync(t => t.Entity == SaveContact.SearchEntity && t.RecordId == other.Id));
        Assert.True(await db.SearchTerms.AnyAsync(t => t.Entity == SaveContact.SearchEntity && t.RecordId == survivor.Id && t.Term == o.Email));
        var ids = new[] { survivor.Id, other.Id }.Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, await db.Audit.CountAsync(a => a.Action == AuditAction.Merged && ids.Contains(a.EntityId!)));

        // Export and erase reach every registration too, for the survivor and the person merged into it.
        var export = await (await admin.GetAsync($"/api/contacts/{survivor.Id}/personal-data")).Read<JsonElement>();
        Assert.True(export.GetProperty("sections").TryGetProperty(ProbePersonalData.Name, out _));
        Assert.Equal([survivor.Id, other.Id], probe.Exports.Order());
        var erase = await admin.PostJson($"/api/contacts/{survivor.Id}/personal-data/erase", new PersonalDataRequests.EraseRequest(merged.DisplayName, "asked"));
        Assert.Equal(HttpStatusCode.NoContent, erase.StatusCode);
        Assert.Equal([survivor.Id, other.Id], probe.Erasures.Order());
        Assert.False(await db.Contacts.IgnoreQueryFilters().AnyAsync(c => (c.Id == other.Id || c.Id == survivor.Id) && c.FirstName != null));
    }

    [Fact]
    public async Task A_stale_version_is_refused_and_nothing_changes()
    {
        var admin = await app.AdminClient();
        var survivor = await Create(admin, Person(UniquePerson.Create(), app.MainBranchId));
        var other = await Create(admin, Person(UniquePerson.Create(), app.MainBranchId));
        await (await admin.PostJson($"/api/contacts/{survivor.Id}/merge", new MergeContacts.Request(other.Id, survivor.Version, other.Version - 1)))
            .Problem(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/contacts/{other.Id}")).StatusCode);

        var sales = await app.ClientAs("Sales");
        await (await sales.PostJson($"/api/contacts/{survivor.Id}/merge", new MergeContacts.Request(other.Id, survivor.Version, other.Version)))
            .Problem(HttpStatusCode.Forbidden);
        var self = await (await admin.PostJson($"/api/contacts/{survivor.Id}/merge", new MergeContacts.Request(survivor.Id, survivor.Version, survivor.Version)))
            .Problem(HttpStatusCode.BadRequest);
        Assert.True(self.GetProperty("errors").TryGetProperty("otherId", out _));
    }

    [Fact]
    public async Task A_manager_cannot_merge_with_a_person_of_another_branch()
    {
        var admin = await app.AdminClient();
        var away = await app.CreateBranch("Merge away " + Guid.NewGuid().ToString("N")[..6]);
        var mine = await Create(admin, Person(UniquePerson.Create(), app.MainBranchId));
        var hiddenPerson = UniquePerson.Create();
        var theirs = await Create(admin, Person(hiddenPerson, away));
        var manager = await app.ClientAs("Manager", app.MainBranchId);

        var intoHidden = await manager.PostJson($"/api/contacts/{theirs.Id}/merge", new MergeContacts.Request(mine.Id, theirs.Version, mine.Version));
        Assert.Equal(HttpStatusCode.NotFound, intoHidden.StatusCode);
        var problem = await (await manager.PostJson($"/api/contacts/{mine.Id}/merge", new MergeContacts.Request(theirs.Id, mine.Version, theirs.Version)))
            .Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("otherId", out _));
        Assert.DoesNotContain(hiddenPerson.LastName, problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/contacts/{theirs.Id}")).StatusCode);
    }

    private async Task<HttpClient> AdminOf(WebApplicationFactory<Program> factory)
    {
        await using var db = await app.Db();
        var adminId = await db.Users.Where(u => u.Email == PayvandApp.AdminEmail).Select(u => u.Id).SingleAsync();
        var token = await app.Services.GetRequiredService<AccessTokenService>().Create(adminId, "probe", null, CancellationToken.None);
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    // Stands in for a module registered by someone else (purchases, tickets): export, erase and merge must reach it.
    private sealed class ProbePersonalData : IPersonalData
    {
        public const string Name = "probe";

        public List<int> Exports { get; } = [];

        public List<int> Erasures { get; } = [];

        public List<(int From, int Into)> Moves { get; } = [];

        public string Section => Name;

        public IReadOnlyList<PersonalDataField> Fields { get; } = [new("Contacts", "FirstName", PersonalDataTreatment.Deleted, "probe")];

        public Task<object?> Export(PayvandDb db, int contactId, CancellationToken ct)
        {
            lock (Exports) Exports.Add(contactId);
            return Task.FromResult<object?>(new { contactId });
        }

        public Task Erase(PayvandDb db, int contactId, CancellationToken ct)
        {
            lock (Erasures) Erasures.Add(contactId);
            return Task.CompletedTask;
        }

        public Task MoveTo(PayvandDb db, int fromContactId, int intoContactId, CancellationToken ct)
        {
            lock (Moves) Moves.Add((fromContactId, intoContactId));
            return Task.CompletedTask;
        }
    }
}
