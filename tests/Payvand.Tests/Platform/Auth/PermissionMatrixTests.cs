using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Activities;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform.Auth;

// One app with two branches and one user of each role in the home branch. Records are made by the seeded
// administrator, fresh for every case, so no case depends on what another one did.
public sealed class PermissionWorld : IAsyncLifetime
{
    public PayvandApp App { get; } = new();

    public int Home { get; private set; }

    public int Away { get; private set; }

    public HttpClient Admin { get; private set; } = null!;

    public Dictionary<string, HttpClient> Clients { get; } = [];

    public Dictionary<string, int> UserIds { get; } = [];

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        Home = await App.CreateBranch("Matrix home " + suffix);
        Away = await App.CreateBranch("Matrix away " + suffix);
        Admin = await App.AdminClient();
        foreach (var role in Roles.All)
        {
            var user = await App.CreateUser(role, Home);
            UserIds[role] = user.Id;
            Clients[role] = await App.ClientFor(user);
        }
    }

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}

// Who may do what to people and companies: every role, a record in the caller's branch and one in another branch,
// every endpoint. Admin and Marketing see every branch; Manager, Sales and Support only their own. A record of
// another branch does not exist for the caller (404, never 403, never its data); deleting and restoring need
// contacts.delete / companies.delete (by default Admin and Manager; 403, audited as AccessDenied); nobody gets
// anything without signing in (401). PermissionCoverageTests covers every other permission and endpoint.
[Trait("Category", "Integration")]
public sealed class PermissionMatrixTests(PermissionWorld world) : IClassFixture<PermissionWorld>
{
    public enum Endpoint
    {
        Get,
        Put,
        Delete,
        Restore,
        List,
        Export,
        ConsentGet,
        ConsentPost,
        TimelineGet,
        TimelinePost,
        CreateIn,
    }

    private const string Contacts = "contacts";
    private const string Companies = "companies";

    private sealed record Record(int Id, string Name, string Tag, int Version);

    public static TheoryData<string, Endpoint, string, bool> Cases()
    {
        var data = new TheoryData<string, Endpoint, string, bool>();
        foreach (var resource in new[] { Contacts, Companies })
        {
            foreach (var endpoint in Enum.GetValues<Endpoint>())
            {
                if (resource == Companies && endpoint is Endpoint.ConsentGet or Endpoint.ConsentPost) continue;
                foreach (var role in Roles.All)
                {
                    data.Add(resource, endpoint, role, true);
                    data.Add(resource, endpoint, role, false);
                }
            }
        }

        return data;
    }

    public static TheoryData<string, Endpoint> Endpoints()
    {
        var data = new TheoryData<string, Endpoint>();
        foreach (var resource in new[] { Contacts, Companies })
        {
            foreach (var endpoint in Enum.GetValues<Endpoint>())
            {
                if (resource == Companies && endpoint is Endpoint.ConsentGet or Endpoint.ConsentPost) continue;
                data.Add(resource, endpoint);
            }
        }

        return data;
    }

    private static bool Sees(string role, bool own) => own || Roles.AllBranches.Contains(role);

    // Who may delete and restore by default: the declaration's default roles, as seeded on a new database.
    private static bool MayDelete(string resource, string role) =>
        DefaultRoles(resource == Contacts ? ContactsPermissions.Delete : CompaniesPermissions.Delete).Contains(role);

    private static string[] DefaultRoles(string permission)
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddContacts().AddCompanies();
        return services.Where(d => d.ServiceType == typeof(PermissionGroup)).Select(d => (PermissionGroup)d.ImplementationInstance!)
            .SelectMany(g => g.Permissions).Single(p => p.Name == permission).DefaultRoles;
    }

    private static HttpStatusCode Expected(string resource, Endpoint endpoint, string role, bool own) => endpoint switch
    {
        Endpoint.Delete or Endpoint.Restore when !MayDelete(resource, role) => HttpStatusCode.Forbidden,
        Endpoint.List or Endpoint.Export => HttpStatusCode.OK,
        Endpoint.CreateIn => Sees(role, own) ? HttpStatusCode.Created : HttpStatusCode.BadRequest,
        _ when !Sees(role, own) => HttpStatusCode.NotFound,
        Endpoint.Delete or Endpoint.Restore or Endpoint.ConsentPost => HttpStatusCode.NoContent,
        Endpoint.TimelinePost => HttpStatusCode.Created,
        _ => HttpStatusCode.OK,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Role_and_branch_decide_the_answer(string resource, Endpoint endpoint, string role, bool own)
    {
        var branch = own ? world.Home : world.Away;
        var record = await NewRecord(resource, branch, deleted: endpoint == Endpoint.Restore);
        var client = world.Clients[role];
        var expected = Expected(resource, endpoint, role, own);
        var (method, path, response) = await Call(client, resource, endpoint, record, branch);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{role} {method} {path} ({(own ? "own" : "other")} branch): expected {(int)expected}, got {(int)response.StatusCode}: {body}");

        if (!Sees(role, own)) Assert.DoesNotContain(record.Name, body, StringComparison.OrdinalIgnoreCase);
        if (expected == HttpStatusCode.Forbidden) await AssertAccessDeniedAudited(world.UserIds[role], method, path);

        var changed = expected is HttpStatusCode.OK or HttpStatusCode.NoContent or HttpStatusCode.Created;
        switch (endpoint)
        {
            case Endpoint.Get:
                if (changed) Assert.Equal(record.Id, JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32());
                break;
            case Endpoint.Put:
                Assert.Equal(changed ? "After" : "Before", (await AdminRead(resource, record.Id)).GetProperty("city").GetString());
                break;
            case Endpoint.Delete:
                Assert.Equal(changed ? HttpStatusCode.NotFound : HttpStatusCode.OK, (await world.Admin.GetAsync($"/api/{resource}/{record.Id}")).StatusCode);
                break;
            case Endpoint.Restore:
                Assert.Equal(changed ? HttpStatusCode.OK : HttpStatusCode.NotFound, (await world.Admin.GetAsync($"/api/{resource}/{record.Id}")).StatusCode);
                break;
            case Endpoint.List:
                var page = JsonSerializer.Deserialize<PagedResult<JsonElement>>(body, HttpExtensions.Json)!;
                Assert.Equal(Sees(role, own) ? [record.Id] : Array.Empty<int>(), page.Items.Select(i => i.GetProperty("id").GetInt32()).ToArray());
                Assert.Equal(Sees(role, own) ? 1 : 0, page.Total);
                break;
            case Endpoint.Export:
                Assert.Equal(Sees(role, own) ? [record.Id] : Array.Empty<int>(), CsvIds(body));
                break;
            case Endpoint.ConsentGet:
                if (changed) Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(body).RootElement.ValueKind);
                break;
            case Endpoint.ConsentPost:
                var consent = (await AdminRead(resource, record.Id)).GetProperty("consent").GetProperty("sms").GetString();
                Assert.Equal(changed ? nameof(ConsentStatus.OptedIn) : nameof(ConsentStatus.Unknown), consent);
                break;
            case Endpoint.TimelineGet:
                if (changed) Assert.Equal(0, JsonSerializer.Deserialize<PagedResult<TimelineItem>>(body, HttpExtensions.Json)!.Total);
                break;
            case Endpoint.TimelinePost:
                var timeline = await (await world.Admin.GetAsync($"/api/{resource}/{record.Id}/timeline")).Read<PagedResult<TimelineItem>>();
                Assert.Equal(changed ? 1 : 0, timeline.Total);
                break;
            case Endpoint.CreateIn:
                if (changed)
                {
                    Assert.Equal(branch, JsonDocument.Parse(body).RootElement.GetProperty("branchId").GetInt32());
                }
                else
                {
                    Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("branchId", out _), body);
                }

                break;
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Nothing_without_signing_in(string resource, Endpoint endpoint)
    {
        var record = await NewRecord(resource, world.Home, deleted: endpoint == Endpoint.Restore);
        using var anonymous = world.App.CreateClient(new() { AllowAutoRedirect = false });
        using var forged = world.App.CreateClient(new() { AllowAutoRedirect = false });
        forged.DefaultRequestHeaders.Authorization = new("Bearer", "pv_" + new string('x', 43));

        foreach (var client in new[] { anonymous, forged })
        {
            var (method, path, response) = await Call(client, resource, endpoint, record, world.Home);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: expected 401, got {(int)response.StatusCode}: {body}");
            Assert.DoesNotContain(record.Name, body, StringComparison.OrdinalIgnoreCase);
        }

        // Nothing happened to the record.
        var after = await world.Admin.GetAsync($"/api/{resource}/{record.Id}");
        Assert.Equal(endpoint == Endpoint.Restore ? HttpStatusCode.NotFound : HttpStatusCode.OK, after.StatusCode);
    }

    [Theory]
    [InlineData(Contacts, Roles.Sales)]
    [InlineData(Contacts, Roles.Marketing)]
    [InlineData(Contacts, Roles.Support)]
    [InlineData(Companies, Roles.Sales)]
    [InlineData(Companies, Roles.Marketing)]
    [InlineData(Companies, Roles.Support)]
    public async Task Deleted_records_are_listed_for_managers_only_and_a_refusal_is_audited(string resource, string role)
    {
        var record = await NewRecord(resource, world.Home, deleted: true);
        var path = $"/api/{resource}?deleted=true&tag={record.Tag}";
        var response = await world.Clients[role].GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(record.Name, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        await AssertAccessDeniedAudited(world.UserIds[role], "GET", $"/api/{resource}");
    }

    [Theory]
    [InlineData(Contacts, Roles.Sales)]
    [InlineData(Contacts, Roles.Support)]
    [InlineData(Companies, Roles.Sales)]
    [InlineData(Companies, Roles.Support)]
    public async Task Deleted_records_are_not_exported_to_non_managers(string resource, string role)
    {
        var record = await NewRecord(resource, world.Home, deleted: true);
        var response = await world.Clients[role].GetAsync($"/api/{resource}/export?deleted=true&tag={record.Tag}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(record.Name, body, StringComparison.OrdinalIgnoreCase);
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"expected 403, got {(int)response.StatusCode}: {body}");
    }

    [Theory]
    [InlineData(Contacts)]
    [InlineData(Companies)]
    public async Task A_managers_deleted_list_holds_only_their_branches(string resource)
    {
        var mine = await NewRecord(resource, world.Home, deleted: true);
        var theirs = await NewRecord(resource, world.Away, deleted: true);
        foreach (var record in new[] { mine, theirs })
        {
            var page = await (await world.Clients[Roles.Manager].GetAsync($"/api/{resource}?deleted=true&tag={record.Tag}")).Read<PagedResult<JsonElement>>();
            Assert.Equal(record == mine ? 1 : 0, page.Total);
            var adminPage = await (await world.Admin.GetAsync($"/api/{resource}?deleted=true&tag={record.Tag}")).Read<PagedResult<JsonElement>>();
            Assert.Equal(1, adminPage.Total);
        }
    }

    [Theory]
    [InlineData(Contacts)]
    [InlineData(Companies)]
    public async Task Bulk_changes_skip_records_of_other_branches(string resource)
    {
        var mine = await NewRecord(resource, world.Home);
        var theirs = await NewRecord(resource, world.Away);
        var request = new { action = "AddTag", ids = new[] { mine.Id, theirs.Id }, tag = "bulk-" + mine.Tag };
        var result = await (await world.Clients[Roles.Sales].PostJson($"/api/{resource}/bulk", request)).Read<JsonElement>();
        Assert.Equal(1, result.GetProperty("affected").GetInt32());

        var mineTags = (await AdminRead(resource, mine.Id)).GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
        var theirTags = (await AdminRead(resource, theirs.Id)).GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("bulk-" + mine.Tag, mineTags);
        Assert.DoesNotContain("bulk-" + mine.Tag, theirTags);
    }

    // contacts.delete / companies.delete cover "delete, restore, bulk delete": a bulk delete by anyone else is refused like a single one.
    [Theory]
    [InlineData(Contacts, Roles.Sales)]
    [InlineData(Companies, Roles.Support)]
    public async Task Bulk_delete_needs_a_manager_and_a_refusal_is_audited(string resource, string role)
    {
        var mine = await NewRecord(resource, world.Home);
        var response = await world.Clients[role].PostJson($"/api/{resource}/bulk", new { action = "Delete", ids = new[] { mine.Id } });
        Assert.Equal(HttpStatusCode.OK, (await world.Admin.GetAsync($"/api/{resource}/{mine.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertAccessDeniedAudited(world.UserIds[role], "POST", $"/api/{resource}/bulk");
    }

    [Fact]
    public async Task A_timeline_entry_cannot_be_linked_to_a_company_of_another_branch()
    {
        var person = await NewRecord(Contacts, world.Home);
        var company = await NewRecord(Companies, world.Away);
        var response = await world.Clients[Roles.Sales].PostJson($"/api/contacts/{person.Id}/timeline",
            new ActivityInput { Kind = ActivityKind.Note, Body = "linked", CompanyId = company.Id });
        var problem = await response.Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("companyId", out _));
        Assert.DoesNotContain(company.Name, problem.ToString(), StringComparison.OrdinalIgnoreCase);
        var timeline = await (await world.Admin.GetAsync($"/api/companies/{company.Id}/timeline")).Read<PagedResult<TimelineItem>>();
        Assert.Equal(0, timeline.Total);
    }

    // An administrator logs a call with a person of another branch who works for a company of the caller's branch:
    // the company's timeline may show the entry, but not who that person is.
    [Fact]
    public async Task A_company_timeline_does_not_reveal_people_of_other_branches()
    {
        var company = await NewRecord(Companies, world.Home);
        var stranger = await NewRecord(Contacts, world.Away);
        var logged = await world.Admin.PostJson($"/api/contacts/{stranger.Id}/timeline",
            new ActivityInput { Kind = ActivityKind.Note, Body = "met at the fair", CompanyId = company.Id });
        await logged.Read<TimelineItem>(HttpStatusCode.Created);

        var response = await world.Clients[Roles.Sales].GetAsync($"/api/companies/{company.Id}/timeline");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(stranger.Name, body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain($"\"contactId\":{stranger.Id}", body, StringComparison.Ordinal);
    }

    // A person of the caller's branch linked (by an administrator) to a company of another branch: the person
    // is visible, the company is not, so its name must not be shown on the person.
    [Fact]
    public async Task A_person_does_not_reveal_a_company_of_another_branch()
    {
        var company = await NewRecord(Companies, world.Away);
        var name = "Linked" + Guid.NewGuid().ToString("N")[..8];
        var created = await (await world.Admin.PostJson("/api/contacts",
            new ContactInput { LastName = name, BranchId = world.Home, CompanyId = company.Id })).Read<ContactDetails>(HttpStatusCode.Created);

        var response = await world.Clients[Roles.Sales].GetAsync($"/api/contacts/{created.Id}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(company.Name, body, StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string> AllRoles() => [.. Roles.All];

    // /api/exports: an export is its author's. Every role may queue one and list, read and download its own; nobody
    // else sees it (404, never its data) except an Admin, whose list holds everyone's.
    [Theory]
    [MemberData(nameof(AllRoles))]
    public async Task An_export_is_its_authors(string role)
    {
        var record = await NewRecord(Contacts, world.Home);
        var author = world.Clients[role];
        var queued = await (await author.PostAsync($"/api/exports/contacts?tag={record.Tag}&format=csv", null)).Read<JsonElement>(HttpStatusCode.Accepted);
        var id = queued.GetProperty("id").GetInt32();
        var one = $"/api/exports/{id}";
        await Waiting.Until(async () => await (await author.GetAsync(one)).Read<JsonElement>(),
            e => e.GetProperty("status").GetString() is not ("Queued" or "Running"), $"Export {id}");

        Assert.Equal([record.Id], CsvIds(await (await author.GetAsync(one + "/download")).Content.ReadAsStringAsync()));
        Assert.Contains(id, await ListedExports(author));

        var stranger = world.Clients[role == Roles.Sales ? Roles.Support : Roles.Sales];
        foreach (var path in new[] { one, one + "/download" })
        {
            var response = await stranger.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: expected 404, got {(int)response.StatusCode}: {body}");
            Assert.DoesNotContain(record.Name, body, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain(id, await ListedExports(stranger));
        Assert.Contains(id, await ListedExports(world.Admin));
        Assert.Equal(HttpStatusCode.OK, (await world.Admin.GetAsync(one + "/download")).StatusCode);

        using var anonymous = world.App.CreateClient(new() { AllowAutoRedirect = false });
        foreach (var path in new[] { "/api/exports", one, one + "/download" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/exports/contacts?format=csv", null)).StatusCode);
    }

    private static async Task<int[]> ListedExports(HttpClient client) =>
        [.. (await (await client.GetAsync("/api/exports?pageSize=500")).Read<PagedResult<JsonElement>>()).Items.Select(e => e.GetProperty("id").GetInt32())];

    private async Task<Record> NewRecord(string resource, int branch, bool deleted = false)
    {
        var name = "Matrix" + Guid.NewGuid().ToString("N")[..10];
        var tag = name.ToLowerInvariant();
        HttpResponseMessage response = resource == Contacts
            ? await world.Admin.PostJson("/api/contacts", new ContactInput { LastName = name, City = "Before", BranchId = branch, Tags = [tag] })
            : await world.Admin.PostJson("/api/companies", new CompanyInput { Name = name, City = "Before", BranchId = branch, Tags = [tag] });
        var created = await response.Read<JsonElement>(HttpStatusCode.Created);
        var record = new Record(created.GetProperty("id").GetInt32(), name, tag, created.GetProperty("version").GetInt32());
        if (deleted) Assert.Equal(HttpStatusCode.NoContent, (await world.Admin.DeleteAsync($"/api/{resource}/{record.Id}")).StatusCode);
        return record;
    }

    private static async Task<(string Method, string Path, HttpResponseMessage Response)> Call(
        HttpClient client, string resource, Endpoint endpoint, Record record, int branch)
    {
        var one = $"/api/{resource}/{record.Id}";
        object changed = resource == Contacts
            ? new ContactInput { LastName = record.Name, City = "After", Tags = [record.Tag], Version = record.Version }
            : new CompanyInput { Name = record.Name, City = "After", Tags = [record.Tag], Version = record.Version };
        object created = resource == Contacts
            ? new ContactInput { LastName = "New" + record.Name, BranchId = branch }
            : new CompanyInput { Name = "New" + record.Name, BranchId = branch };
        return endpoint switch
        {
            Endpoint.Get => ("GET", one, await client.GetAsync(one)),
            Endpoint.Put => ("PUT", one, await client.PutJson(one, changed)),
            Endpoint.Delete => ("DELETE", one, await client.DeleteAsync(one)),
            Endpoint.Restore => ("POST", one + "/restore", await client.PostAsync(one + "/restore", null)),
            Endpoint.List => ("GET", $"/api/{resource}", await client.GetAsync($"/api/{resource}?tag={record.Tag}&pageSize=500")),
            Endpoint.Export => ("GET", $"/api/{resource}/export", await client.GetAsync($"/api/{resource}/export?tag={record.Tag}&format=csv")),
            Endpoint.ConsentGet => ("GET", one + "/consent", await client.GetAsync(one + "/consent")),
            Endpoint.ConsentPost => ("POST", one + "/consent", await client.PostJson(one + "/consent",
                new SetConsent.Request(ConsentChannel.Sms, ConsentStatus.OptedIn, "matrix"))),
            Endpoint.TimelineGet => ("GET", one + "/timeline", await client.GetAsync(one + "/timeline")),
            Endpoint.TimelinePost => ("POST", one + "/timeline", await client.PostJson(one + "/timeline",
                new ActivityInput { Kind = ActivityKind.Note, Body = "note on " + record.Name })),
            _ => ("POST", $"/api/{resource}", await client.PostJson($"/api/{resource}", created)),
        };
    }

    private async Task<JsonElement> AdminRead(string resource, int id) =>
        await (await world.Admin.GetAsync($"/api/{resource}/{id}")).Read<JsonElement>();

    private async Task AssertAccessDeniedAudited(int userId, string method, string path)
    {
        await using var db = await world.App.Db();
        var detail = $"{method} {path}";
        var found = await db.Audit.AnyAsync(a => a.Action == AuditAction.AccessDenied && a.UserId == userId && a.Detail == detail);
        Assert.True(found, $"No AccessDenied audit entry for user {userId}: {detail}");
    }

    private static int[] CsvIds(string csv) => csv
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Skip(1)
        .Select(line => line.Split(',')[0].Trim('"', '\r', '\uFEFF'))
        .Select(id => int.Parse(id, CultureInfo.InvariantCulture))
        .ToArray();
}
