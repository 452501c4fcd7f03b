using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Imports;

public enum ExportList
{
    Contacts,
    Companies,
}

// Query: the list's filters and sort as they were asked for (without format). Expired: the export succeeded but its
// file was deleted when the retention period ended. Size: of the file, in bytes, while it is kept.
public sealed record ExportStatus(
    int Id, ExportList List, ExportFormat Format, JobStatus Status, string? Error, DateTime CreatedAt, DateTime? FinishedAt,
    string? DownloadUrl, bool Expired = false, string Query = "", long? Size = null, string? CreatedBy = null);

// Exports of a people or companies view too large to wait for: the same filters and columns as
// /api/contacts/export and /api/companies/export, written by a background job into a stored file to download later.
public sealed class ExportJob(
    IDbContextFactory<PayvandDb> dbFactory, JobQueue queue, ExportContacts contacts, ExportCompanies companies,
    IStringLocalizer<SharedResource> text, TimeProvider clock, IConfiguration configuration, RolePermissions permissions) : IJobHandler, IBackgroundExports
{
    public const string JobKind = "export";

    public sealed record Payload(ExportList List, ExportFormat Format, string Query);

    public string Kind => JobKind;

    // Up to this many rows a list page downloads its export at once; a larger view is queued here.
    public int DirectLimit => Math.Max(0, configuration.GetValue("Payvand:Exports:DirectLimit", 5_000));

    // Checks the filters now, so a mistake is answered at once (400), then queues the export.
    public async Task<ExportStatus> Queue(ExportList list, IQueryCollection query, UserScope user, CancellationToken ct)
    {
        var (format, deleted) = Read(list, query, out _, out _);
        user.Require(list == ExportList.Contacts ? ContactsPermissions.Export : CompaniesPermissions.Export, text["You may not export this list."]);
        if (deleted) user.Require(list == ExportList.Contacts ? ContactsPermissions.Delete : CompaniesPermissions.Delete, text["Only managers can see deleted records."]);
        var raw = QueryString.Create(query.Where(q => q.Key != "format").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))).ToString();
        var id = await queue.Enqueue(JobKind, new Payload(list, format, raw), user, ct);
        return (await Status(id, user, ct))!;
    }

    async Task<int> IBackgroundExports.Queue(string list, IQueryCollection query, UserScope user, CancellationToken ct) =>
        Enum.TryParse<ExportList>(list, ignoreCase: true, out var which) && Enum.IsDefined(which)
            ? (await Queue(which, query, user, ct)).Id
            : throw new NotFoundException(text["There is no list named {0} to export; use contacts or companies.", list]);

    public async Task<ExportStatus?> Status(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await Mine(db, user).Where(j => j.Id == id).Select(Columns(db)).SingleOrDefaultAsync(ct);
        return row is null ? null : ToStatus(row);
    }

    // The caller's exports (an Admin's: everyone's), newest first.
    public async Task<PagedResult<ExportStatus>> List(PageRequest page, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var total = await Mine(db, user).CountAsync(ct);
        var rows = await Mine(db, user).OrderByDescending(j => j.Id).Skip(page.Skip).Take(page.SafePageSize).Select(Columns(db)).ToListAsync(ct);
        return new PagedResult<ExportStatus>([.. rows.Select(ToStatus)], total, page.SafePage, page.SafePageSize);
    }

    // The export and, while it is kept, its file; (null, null) when the caller has no such export.
    public async Task<(ExportStatus? Status, StoredFile? File)> Download(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await Mine(db, user).Where(j => j.Id == id).Select(Columns(db)).SingleOrDefaultAsync(ct);
        if (row is null) return (null, null);
        var file = row.FileId is null ? null : await db.StoredFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Id == row.FileId, ct);
        return (ToStatus(row), file);
    }

    private sealed record Row(int Id, JobStatus Status, string? Error, DateTime CreatedAt, DateTime? FinishedAt, string Payload, int? FileId, long? Size, string? CreatedBy);

    private static Expression<Func<BackgroundJob, Row>> Columns(PayvandDb db) => j => new Row(
        j.Id, j.Status, j.Error, j.CreatedAt, j.FinishedAt, j.Payload, j.FileId,
        db.StoredFiles.Where(f => f.Id == j.FileId).Select(f => (long?)f.Size).FirstOrDefault(),
        db.Users.Where(u => u.Id == j.CreatedById).Select(u => u.DisplayName).FirstOrDefault());

    private static ExportStatus ToStatus(Row row)
    {
        var payload = JsonSerializer.Deserialize<Payload>(row.Payload)!;
        return new ExportStatus(row.Id, payload.List, payload.Format, row.Status, row.Error, row.CreatedAt, row.FinishedAt,
            row.FileId is null ? null : $"/api/exports/{row.Id}/download",
            Expired: row.Status == JobStatus.Succeeded && row.FileId is null,
            Query: payload.Query.TrimStart('?'), Size: row.Size, CreatedBy: row.CreatedBy);
    }

    public async Task Run(BackgroundJob job, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<Payload>(job.Payload) ?? throw new InvalidOperationException("Export job without a payload.");
        var query = new QueryCollection(QueryHelpers.ParseQuery(payload.Query));
        Read(payload.List, query, out var contactFilter, out var companyFilter, out var page);
        var user = await permissions.Resolve(job.User(), ct); // the job runs with what its author's roles may do now
        using var buffer = new MemoryStream();
        if (payload.List == ExportList.Contacts) await contacts.Write(buffer, payload.Format, contactFilter!, page, user, ct);
        else await companies.Write(buffer, payload.Format, companyFilter!, page, user, ct);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var extension = payload.Format.ToString().ToLowerInvariant();
        var file = new StoredFile
        {
            Name = $"{payload.List.ToString().ToLowerInvariant()}.{extension}",
            ContentType = TableExport.ContentType(payload.Format),
            Size = buffer.Length,
            OwnerId = job.CreatedById,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Content = buffer.ToArray(),
        };
        db.StoredFiles.Add(file);
        await db.SaveChangesAsync(ct);
        await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.FileId, file.Id).SetProperty(j => j.Done, 1).SetProperty(j => j.Total, 1), ct);
    }

    // Exports are their author's (and an Admin's): the file holds what the author may see.
    private static IQueryable<BackgroundJob> Mine(PayvandDb db, UserScope user)
    {
        var jobs = db.Jobs.AsNoTracking().Where(j => j.Kind == JobKind);
        return user.IsAdmin ? jobs : jobs.Where(j => j.CreatedById == user.UserId);
    }

    private (ExportFormat Format, bool Deleted) Read(ExportList list, IQueryCollection query, out ContactFilter? contactFilter, out CompanyFilter? companyFilter) =>
        Read(list, query, out contactFilter, out companyFilter, out _);

    private (ExportFormat Format, bool Deleted) Read(ExportList list, IQueryCollection query, out ContactFilter? contactFilter, out CompanyFilter? companyFilter, out PageRequest page)
    {
        var q = new QueryReader(query, text);
        contactFilter = list == ExportList.Contacts ? ContactsModule.ReadFilter(q) : null;
        companyFilter = list == ExportList.Companies ? CompaniesModule.ReadFilter(q) : null;
        page = q.Page(list == ExportList.Contacts ? ListContacts.SortFields : ListCompanies.SortFields);
        var format = q.Enum<ExportFormat>("format") ?? ExportFormat.Csv;
        q.ThrowIfAny();
        return (format, contactFilter?.Deleted == true || companyFilter?.Deleted == true);
    }
}
