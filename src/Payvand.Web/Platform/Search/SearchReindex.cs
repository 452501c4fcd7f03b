using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Jobs;

namespace Payvand.Platform.Search;

// A module's records written again into the search index, a batch at a time, when the way terms are made changed
// (issue 11: the end of a mobile, an email's domain, SortKey); records saved since already have the new terms.
public interface ISearchReindexer
{
    string Entity { get; }

    // Writes the terms (and whatever the module derives from them) of up to `batch` live records with ids above
    // afterId, in id order, in the caller's transaction; returns the last id written, or null when none is left.
    Task<int?> Reindex(PayvandDb db, int afterId, int batch, CancellationToken ct);
}

// Runs every module's reindexer in turn. Queued by the migration that changed the terms (SearchTermSortKey) when
// the database already held records; the position is kept in the job's payload with each batch, in the batch's
// transaction, so a restarted or killed process goes on from the last batch written and writes none twice.
public sealed class SearchReindexJob(IDbContextFactory<PayvandDb> dbFactory, IEnumerable<ISearchReindexer> reindexers) : IJobHandler
{
    public const string JobKind = "search-reindex";
    public const int BatchSize = 500;

    public sealed record Position(string? Entity, int After);

    public string Kind => JobKind;

    public int MaxAttempts => 5;

    public async Task Run(BackgroundJob job, CancellationToken ct)
    {
        var position = JsonSerializer.Deserialize<Position>(job.Payload) ?? new Position(null, 0);
        var all = reindexers.OrderBy(r => r.Entity, StringComparer.Ordinal).ToList();
        var start = position.Entity is null ? 0 : Math.Max(0, all.FindIndex(r => r.Entity == position.Entity));
        var done = job.Done;
        for (var i = start; i < all.Count; i++)
        {
            var after = i == start && position.Entity == all[i].Entity ? position.After : 0;
            while (true)
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var last = await all[i].Reindex(db, after, BatchSize, ct);
                if (last is null) break;
                after = last.Value;
                done += 1;
                var payload = JsonSerializer.Serialize(new Position(all[i].Entity, after));
                await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Payload, payload).SetProperty(j => j.Done, done), ct);
                await tx.CommitAsync(ct);
            }
        }
    }
}

public static class SearchReindexRegistration
{
    public static IServiceCollection AddSearchReindexer<T>(this IServiceCollection services) where T : class, ISearchReindexer =>
        services.AddTransient<ISearchReindexer, T>();
}
