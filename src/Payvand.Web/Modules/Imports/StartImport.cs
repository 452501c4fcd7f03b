using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Imports;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Imports;

// Starts a mapped import as a background job (once), and cancels one that is queued or running. Rows already
// committed stay imported when an import is cancelled; the report lists them.
public sealed class StartImport(IDbContextFactory<PayvandDb> dbFactory, JobQueue queue, MapImport map, ImportKinds kinds, IStringLocalizer<SharedResource> text)
{
    public async Task<bool> Start(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var import = await db.Imports.VisibleTo(user).SingleOrDefaultAsync(i => i.Id == id, ct);
        if (import is null) return false;
        if (import.JobId is not null) throw new DomainRuleException(text["This import has already started."]);
        if (import.FileId is null) throw map.FileGone();
        var settings = JsonSerializer.Deserialize<ImportSettings>(import.Settings) ?? new ImportSettings();
        var columns = (JsonSerializer.Deserialize<List<string>>(import.Headers) ?? []).Count;
        await map.Validate(db, kinds.Get(import.Kind), columns, settings, user, ct); // the settings may have been saved by someone with other rights

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var job = queue.Create(ImportJob.JobKind, new ImportJob.Payload(import.Id), user);
        job.Total = import.TotalRows;
        db.Jobs.Add(job);
        await db.SaveChangesAsync(ct);
        import.JobId = job.Id;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        queue.Wake(job.Id);
        return true;
    }

    public async Task<bool> Cancel(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var jobId = await db.Imports.VisibleTo(user).Where(i => i.Id == id).Select(i => new { i.JobId }).SingleOrDefaultAsync(ct);
        if (jobId is null) return false;
        if (jobId.JobId is not { } job || !await queue.Cancel(job, ct)) throw new DomainRuleException(text["Only a queued or running import can be cancelled."]);
        return true;
    }
}
