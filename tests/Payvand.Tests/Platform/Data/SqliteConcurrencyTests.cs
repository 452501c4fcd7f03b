using System.Net;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform.Data;

// SQLite has one writer at a time. Writes queue on the busy timeout (DataSetup) instead of failing with
// "database is locked", even when many requests write at once. Not tagged Integration: PostgreSQL has no such limit.
public sealed class SqliteConcurrencyTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [SqliteFact]
    public async Task Forty_people_created_at_once_are_all_saved()
    {
        var client = await app.ClientAs("Sales");
        var tag = "parallel-" + Guid.NewGuid().ToString("N")[..6];
        var responses = await Task.WhenAll(Enumerable.Range(1, 40).Select(i =>
            client.PostJson("/api/contacts", new ContactInput
            {
                FirstName = "Parallel",
                LastName = "Person " + i,
                Tags = [tag],
                Points = [new(ContactPointKind.Mobile, $"0912{i:D7}")],
            })));

        var failures = new List<string>();
        foreach (var response in responses)
        {
            if (response.StatusCode != HttpStatusCode.Created) failures.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 40 failed: {string.Join(" | ", failures.Take(3))}");
        var ids = new HashSet<int>();
        foreach (var response in responses) ids.Add((await response.Read<ContactDetails>(HttpStatusCode.Created)).Id);
        Assert.Equal(40, ids.Count);

        var page = await (await client.GetAsync($"/api/contacts?tag={tag}&pageSize=100")).Read<PagedResult<ContactRow>>();
        Assert.Equal(40, page.Total);
        Assert.Equal(40, page.Items.Select(r => r.Mobile).Distinct().Count());
        var keys = ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await using var db = await app.Db();
        Assert.Equal(40, db.Audit.Count(a => a.EntityType == "Contact" && a.Action == Payvand.Platform.Audit.AuditAction.Create && keys.Contains(a.EntityId!)));
    }

    // Each edit reads the person, then writes in one transaction: with deferred transactions some would fail on the
    // upgrade from read to write while another writer holds the lock. Immediate ones queue.
    [SqliteFact]
    public async Task Twenty_people_edited_at_once_are_all_saved()
    {
        var client = await app.ClientAs("Sales");
        var people = new List<ContactDetails>();
        for (var i = 0; i < 20; i++)
        {
            people.Add(await (await client.PostJson("/api/contacts", new ContactInput { LastName = "Edited " + i })).Read<ContactDetails>(HttpStatusCode.Created));
        }

        var responses = await Task.WhenAll(people.Select(p => client.PutJson($"/api/contacts/{p.Id}",
            new ContactInput { LastName = p.LastName, City = "شیراز", Version = p.Version })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var p in people)
        {
            Assert.Equal("شیراز", (await (await client.GetAsync($"/api/contacts/{p.Id}")).Read<ContactDetails>()).City);
        }
    }
}
