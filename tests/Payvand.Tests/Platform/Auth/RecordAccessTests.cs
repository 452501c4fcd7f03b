using System.Net;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Modules.Imports;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Imports.ImportFiles;

namespace Payvand.Tests.Platform.Auth;

// A branch id from input must name a branch that exists. An administrator sees every branch, so "may use it" alone
// let 99999 or -1 through to the database: a 500 on SQLite and PostgreSQL alike, and an import job failing later.
[Trait("Category", "Integration")]
public sealed class RecordAccessTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [Theory]
    [InlineData(99999)]
    [InlineData(-1)]
    public async Task A_person_in_a_branch_that_does_not_exist_is_a_field_error_on_create_and_update(int branchId)
    {
        var client = await app.AdminClient();
        var create = await (await client.PostJson("/api/contacts", new ContactInput { LastName = "Karimi", BranchId = branchId })).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("The branch was not found.", create.GetProperty("errors").GetProperty("branchId")[0].GetString());

        var created = await (await client.PostJson("/api/contacts", new ContactInput { LastName = "Karimi" })).Read<ContactDetails>(HttpStatusCode.Created);
        var update = await (await client.PutJson($"/api/contacts/{created.Id}", new ContactInput { LastName = "Karimi", BranchId = branchId, Version = created.Version }))
            .Problem(HttpStatusCode.BadRequest);
        Assert.Equal("The branch was not found.", update.GetProperty("errors").GetProperty("branchId")[0].GetString());
        var after = await (await client.GetAsync($"/api/contacts/{created.Id}")).Read<ContactDetails>();
        Assert.Equal(app.MainBranchId, after.BranchId);
    }

    [Theory]
    [InlineData(99999)]
    [InlineData(-1)]
    public async Task A_company_in_a_branch_that_does_not_exist_is_a_field_error_in_persian_too(int branchId)
    {
        await using var db = await app.Db();
        var admin = db.Users.Single(u => u.Email == PayvandApp.AdminEmail);
        var client = await app.ClientFor(admin, "fa-IR");
        var create = await (await client.PostJson("/api/companies", new CompanyInput { Name = "Aseman", BranchId = branchId })).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("شعبه پیدا نشد.", create.GetProperty("errors").GetProperty("branchId")[0].GetString());

        var created = await (await client.PostJson("/api/companies", new CompanyInput { Name = "Aseman" })).Read<CompanyDetails>(HttpStatusCode.Created);
        var update = await (await client.PutJson($"/api/companies/{created.Id}", new CompanyInput { Name = "Aseman", BranchId = branchId, Version = created.Version }))
            .Problem(HttpStatusCode.BadRequest);
        Assert.Equal("شعبه پیدا نشد.", update.GetProperty("errors").GetProperty("branchId")[0].GetString());
    }

    [Fact]
    public async Task An_import_mapped_to_a_branch_that_does_not_exist_is_refused_before_it_starts()
    {
        var client = await app.AdminClient();
        var preview = await Uploaded(client, Utf8(Csv(["First name", "Last name"], ["Ali", "Rezaei"]), bom: false), "people.csv");
        var problem = await (await client.PutJson($"/api/imports/{preview.Import.Id}/mapping", preview.Import.Settings with { BranchId = 99999 }))
            .Problem(HttpStatusCode.BadRequest);
        Assert.Equal("The branch was not found.", problem.GetProperty("errors").GetProperty("branchId")[0].GetString());

        var import = await (await client.GetAsync($"/api/imports/{preview.Import.Id}")).Read<ImportDetails>();
        Assert.NotEqual(99999, import.Settings.BranchId);
    }
}
