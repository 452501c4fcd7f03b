using System.Net;
using Payvand.Modules.Contacts;
using Payvand.Modules.Organization;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Organization;

[Trait("Category", "Integration")]
public sealed class BranchesApiTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static string Unique(string name) => $"{name} {Guid.NewGuid().ToString("N")[..6]}";

    [Fact]
    public async Task Admin_creates_reads_changes_and_deactivates_a_branch()
    {
        var admin = await app.AdminClient();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var created = await (await admin.PostJson("/api/branches", new SaveBranch.Request($"  شعبه   يزد {suffix} ", "۱۲-ا", " يزد ")))
            .Read<BranchDto>(HttpStatusCode.Created);
        Assert.Equal($"شعبه یزد {suffix}", created.Name);   // spaces collapsed, Arabic ي stored as Persian ی
        Assert.Equal("12-ا", created.Code);                   // digits in Latin
        Assert.Equal("یزد", created.City);
        Assert.True(created.IsActive);

        Assert.Equal(created, await (await admin.GetAsync($"/api/branches/{created.Id}")).Read<BranchDto>());
        Assert.Contains(await (await admin.GetAsync("/api/branches")).Read<List<BranchDto>>(), b => b.Id == created.Id);

        var changed = await (await admin.PutJson($"/api/branches/{created.Id}",
            new SaveBranch.Request(created.Name, "YZ", "اردکان", IsActive: false, Version: created.Version))).Read<BranchDto>();
        Assert.Equal("اردکان", changed.City);
        Assert.False(changed.IsActive);
        Assert.True(changed.Version > created.Version);

        // Inactive branches leave the pickers but stay on the admin page.
        Assert.DoesNotContain(await (await admin.GetAsync("/api/branches")).Read<List<BranchDto>>(), b => b.Id == created.Id);
        Assert.Contains(await (await admin.GetAsync("/api/branches?includeInactive=true")).Read<List<BranchDto>>(), b => b.Id == created.Id && !b.IsActive);
    }

    [Fact]
    public async Task A_stale_version_is_refused_with_409_and_changes_nothing()
    {
        var admin = await app.AdminClient();
        var created = await (await admin.PostJson("/api/branches", new SaveBranch.Request(Unique("Stale")))).Read<BranchDto>(HttpStatusCode.Created);
        var first = await (await admin.PutJson($"/api/branches/{created.Id}",
            new SaveBranch.Request(created.Name, City: "First", Version: created.Version))).Read<BranchDto>();
        Assert.Equal("First", first.City);

        var problem = await (await admin.PutJson($"/api/branches/{created.Id}",
            new SaveBranch.Request(created.Name, City: "Second", Version: created.Version))).Problem(HttpStatusCode.Conflict);
        Assert.Contains("changed this record", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal("First", (await (await admin.GetAsync($"/api/branches/{created.Id}")).Read<BranchDto>()).City);

        var missing = await (await admin.PutJson($"/api/branches/{created.Id}", new SaveBranch.Request(created.Name))).Problem(HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("version", out _));
    }

    [Fact]
    public async Task Names_are_required_and_unique()
    {
        var admin = await app.AdminClient();
        var name = Unique("Twice");
        await (await admin.PostJson("/api/branches", new SaveBranch.Request(name))).Read<BranchDto>(HttpStatusCode.Created);

        var duplicate = await (await admin.PostJson("/api/branches", new SaveBranch.Request(" " + name.Replace(" ", "  ", StringComparison.Ordinal))))
            .Problem(HttpStatusCode.BadRequest);
        Assert.Equal("Another branch already has this name.", duplicate.GetProperty("errors").GetProperty("name")[0].GetString());

        var empty = await (await admin.PostJson("/api/branches", new SaveBranch.Request("  ", Code: new string('x', 21)))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("Name is required.", empty.GetProperty("errors").GetProperty("name")[0].GetString());
        Assert.Equal("Code must be at most 20 characters.", empty.GetProperty("errors").GetProperty("code")[0].GetString());
    }

    [Theory]
    [InlineData("Manager")]
    [InlineData("Sales")]
    [InlineData("Marketing")]
    [InlineData("Support")]
    public async Task Only_administrators_change_branches_everyone_reads_them(string role)
    {
        var admin = await app.AdminClient();
        var branch = await (await admin.PostJson("/api/branches", new SaveBranch.Request(Unique("Guarded")))).Read<BranchDto>(HttpStatusCode.Created);
        var client = await app.ClientAs(role);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostJson("/api/branches", new SaveBranch.Request(Unique("Mine")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutJson($"/api/branches/{branch.Id}",
            new SaveBranch.Request("Renamed", Version: branch.Version))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/api/branches/{branch.Id}")).StatusCode);
        Assert.Equal(branch, await (await client.GetAsync($"/api/branches/{branch.Id}")).Read<BranchDto>());
        Assert.Contains(await (await client.GetAsync("/api/branches")).Read<List<BranchDto>>(), b => b.Id == branch.Id);
    }

    [Fact]
    public async Task An_empty_branch_is_deleted()
    {
        var admin = await app.AdminClient();
        var branch = await (await admin.PostJson("/api/branches", new SaveBranch.Request(Unique("Empty")))).Read<BranchDto>(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/branches/{branch.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/branches/{branch.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/branches/{branch.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_branch_with_users_is_not_deleted()
    {
        var admin = await app.AdminClient();
        var branch = await app.CreateBranch(Unique("Staffed"));
        await app.CreateUser("Sales", branch);

        var problem = await (await admin.DeleteAsync($"/api/branches/{branch}")).Problem(HttpStatusCode.Conflict);
        Assert.Equal(
            "This branch still has 0 people, 0 companies and 1 users. Move them to another branch first, or deactivate the branch.",
            problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/branches/{branch}")).StatusCode);
    }

    [Fact]
    public async Task A_branch_with_people_is_not_deleted_even_when_they_are_deleted()
    {
        var admin = await app.AdminClient();
        var branch = await app.CreateBranch(Unique("Peopled"));
        var person = await (await admin.PostJson("/api/contacts", new ContactInput { LastName = "Resident", BranchId = branch }))
            .Read<ContactDetails>(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/contacts/{person.Id}")).StatusCode);

        var fa = await app.ClientFor(await app.CreateUser("Admin", app.MainBranchId), "fa-IR");
        var problem = await (await fa.DeleteAsync($"/api/branches/{branch}")).Problem(HttpStatusCode.Conflict);
        Assert.Equal(
            "این شعبه هنوز 1 شخص، 0 شرکت و 0 کاربر دارد. ابتدا آن\u200cها را به شعبه دیگری منتقل کنید یا شعبه را غیرفعال کنید.",
            problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/branches/{branch}")).StatusCode);
    }
}
