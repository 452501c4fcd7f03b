using System.Net;
using System.Text.Json;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Companies;

// A person works for a company: set on the person (companyId) or from the company (POST /api/companies/{id}/people),
// and the company lists its people.
[Trait("Category", "Integration")]
public sealed class CompanyPeopleTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static string Unique(string name) => name + " " + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task A_person_created_with_a_company_shows_its_name_and_is_listed_by_the_company()
    {
        var client = await app.ClientAs("Sales");
        var company = await (await client.PostJson("/api/companies", new CompanyInput { Name = Unique("سپیدار") })).Read<CompanyDetails>(HttpStatusCode.Created);
        var person = await (await client.PostJson("/api/contacts", new ContactInput { LastName = "رضایی", CompanyId = company.Id }))
            .Read<ContactDetails>(HttpStatusCode.Created);

        Assert.Equal(company.Id, person.CompanyId);
        Assert.Equal(company.Name, person.CompanyName);
        var people = await (await client.GetAsync($"/api/companies/{company.Id}/people")).Read<PagedResult<ContactRow>>();
        Assert.Equal([person.Id], people.Items.Select(p => p.Id));
        Assert.Equal(1, (await (await client.GetAsync($"/api/companies/{company.Id}")).Read<CompanyDetails>()).PeopleCount);
    }

    [Fact]
    public async Task An_existing_person_is_linked_from_the_company_and_unlinked_with_an_audit_entry()
    {
        var client = await app.ClientAs("Sales");
        var company = await (await client.PostJson("/api/companies", new CompanyInput { Name = Unique("آرین") })).Read<CompanyDetails>(HttpStatusCode.Created);
        var person = await (await client.PostJson("/api/contacts", new ContactInput { LastName = "کریمی" })).Read<ContactDetails>(HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostJson($"/api/companies/{company.Id}/people", new { contactId = person.Id })).StatusCode);
        var linked = await (await client.GetAsync($"/api/contacts/{person.Id}")).Read<ContactDetails>();
        Assert.Equal(company.Id, linked.CompanyId);
        Assert.True(linked.Version > person.Version);
        var people = await (await client.GetAsync($"/api/companies/{company.Id}/people")).Read<PagedResult<ContactRow>>();
        Assert.Equal([person.Id], people.Items.Select(p => p.Id));

        var admin = await app.AdminClient();
        var history = await (await admin.GetAsync($"/api/audit?entityType=Contact&entityId={person.Id}")).Read<JsonElement>();
        Assert.Contains(history.GetProperty("items").EnumerateArray(), e => e.GetProperty("changes").ToString().Contains("CompanyId", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/companies/{company.Id}/people/{person.Id}")).StatusCode);
        Assert.Null((await (await client.GetAsync($"/api/contacts/{person.Id}")).Read<ContactDetails>()).CompanyId);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/companies/{company.Id}/people/{person.Id}")).StatusCode);
    }

    [Fact]
    public async Task Linking_a_missing_person_is_a_field_error_and_a_missing_company_404()
    {
        var client = await app.ClientAs("Sales");
        var company = await (await client.PostJson("/api/companies", new CompanyInput { Name = Unique("نبود") })).Read<CompanyDetails>(HttpStatusCode.Created);
        var problem = await (await client.PostJson($"/api/companies/{company.Id}/people", new { contactId = 987654321 })).Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("contactId", out _));

        var person = await (await client.PostJson("/api/contacts", new ContactInput { LastName = "نادری" })).Read<ContactDetails>(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJson("/api/companies/987654321/people", new { contactId = person.Id })).StatusCode);
    }
}
