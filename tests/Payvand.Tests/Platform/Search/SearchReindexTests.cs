using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Jobs;
using Payvand.Platform.Search;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform.Search;

// Issue 11: people saved before the terms of a mobile's end and SortKey existed get them from the search-reindex job,
// which keeps its position with each batch and goes on from it.
[Trait("Category", "Integration")]
public sealed class SearchReindexTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static async Task<List<string>> Names(HttpClient client, string q) =>
        (await (await client.GetAsync($"/api/contacts?q={Uri.EscapeDataString(q)}&pageSize=100")).Read<PagedResult<ContactRow>>())
        .Items.Select(r => r.DisplayName).ToList();

    [Fact]
    public async Task People_saved_before_the_new_terms_get_them_and_the_job_goes_on_from_its_position()
    {
        var client = await app.ClientAs("Sales");
        var first = await (await client.PostJson("/api/contacts", new ContactInput
        {
            FirstName = "بازنویس",
            LastName = "یکم",
            Points = [new ContactPointInput(ContactPointKind.Mobile, "09127001122")],
        })).Read<ContactDetails>(HttpStatusCode.Created);
        var second = await (await client.PostJson("/api/contacts", new ContactInput
        {
            FirstName = "بازنویس",
            LastName = "دوم-۲",
            Points = [new ContactPointInput(ContactPointKind.Email, "baz@old-mail.ir")],
        })).Read<ContactDetails>(HttpStatusCode.Created);
        int[] ids = [first.Id, second.Id];

        // As an older release left them: the whole name with its sign, no end of the mobile, no domain, no SortKey.
        await using (var db = await app.Db())
        {
            await db.SearchTerms.Where(t => t.Entity == SaveContact.SearchEntity && ids.Contains(t.RecordId)).ExecuteDeleteAsync();
            db.SearchTerms.AddRange(
                new SearchTerm { Entity = SaveContact.SearchEntity, RecordId = first.Id, Term = "بازنویس" },
                new SearchTerm { Entity = SaveContact.SearchEntity, RecordId = first.Id, Term = "09127001122" },
                new SearchTerm { Entity = SaveContact.SearchEntity, RecordId = second.Id, Term = "بازنویس" },
                new SearchTerm { Entity = SaveContact.SearchEntity, RecordId = second.Id, Term = "دوم-2" });
            await db.SaveChangesAsync();
            await db.Contacts.Where(c => ids.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.SearchText, (string?)null));
        }

        Assert.Empty(await Names(client, "1122"));
        Assert.Empty(await Names(client, "old-mail.ir"));

        // A job that had written everyone up to the first person (killed after that batch) goes on with the second only.
        var handler = app.Services.GetRequiredService<SearchReindexJob>();
        var job = await Queue(new SearchReindexJob.Position(SaveContact.SearchEntity, first.Id));
        await handler.Run(job, default);
        Assert.Empty(await Names(client, "1122"));
        Assert.Equal(["بازنویس دوم-۲"], await Names(client, "old-mail.ir"));

        // From the start: everyone, each with the terms a save writes now, in name order with its SortKey.
        job = await Queue(new SearchReindexJob.Position(null, 0));
        await handler.Run(job, default);
        Assert.Equal(["بازنویس یکم"], await Names(client, "1122"));
        Assert.Equal(["بازنویس دوم-۲", "بازنویس یکم"], (await Names(client, "بازنویس")).Order(StringComparer.Ordinal));
        await using var read = await app.Db();
        foreach (var id in ids)
        {
            var person = await read.Contacts.AsNoTracking().Include(c => c.Points).SingleAsync(c => c.Id == id);
            var stored = await read.SearchTerms.Where(t => t.Entity == SaveContact.SearchEntity && t.RecordId == id).ToListAsync();
            Assert.Equal(SaveContact.Terms(person).Order(StringComparer.Ordinal), stored.Select(t => t.Term).Order(StringComparer.Ordinal));
            Assert.All(stored, t => Assert.Equal(person.SortName, t.SortKey));
            Assert.Equal(SearchIndex.Text(SaveContact.Terms(person)), person.SearchText);
            Assert.DoesNotContain("دوم-2", stored.Select(t => t.Term));
        }

        var done = await read.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Id);
        Assert.True(done.Done >= 1);
        Assert.NotNull(JsonSerializer.Deserialize<SearchReindexJob.Position>(done.Payload)!.Entity);
    }

    private async Task<BackgroundJob> Queue(SearchReindexJob.Position position)
    {
        await using var db = await app.Db();
        var job = app.Services.GetRequiredService<JobQueue>().Create(SearchReindexJob.JobKind, position, UserScope.System);
        // Not for the runner (it never takes up a cancelled job): the test runs it itself.
        job.Status = JobStatus.Cancelled;
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job;
    }
}
