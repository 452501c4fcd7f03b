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

public sealed record ExportStatus(int Id, ExportList List, ExportFormat Format, JobStatus Status, string? Error, DateTime CreatedAt, DateTime? FinishedAt, string? DownloadUrl);

// Exports of a people or companies view too large to wait for: the same filters and columns as
// /api/contacts/export and /api/companies/export, written by a background job into a stored file to download later.
public sealed class ExportJob(
    IDbContextFactory<PayvandDb> dbFactory, JobQueue queue, ExportContacts contacts, ExportCompanies companies,
    IStringLocalizer<SharedResource> text, TimeProvider clock) : IJobHandler
{
    public const string JobKind = "export";

    public sealed record Payload(ExportList List, ExportFormat Format, string Query);

    public string Kind => JobKind;

    // Checks the filters now, so a mistake is answered at once (400), then queues the export.
    public async Task<ExportStatus> Queue(ExportList list, IQueryCollection query, UserScope user, CancellationToken ct)
    {
        var (format, deleted) = Read(list, query, out _, out _);
        if (deleted) user.RequireManager(text["Only managers can see deleted records."]);
        var raw = QueryString.Create(query.Where(q => q.Key != "format").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))).ToString();
        var id = await queue.Enqueue(JobKind, new Payload(list, format, raw), user, ct);
        return (await Status(id, user, ct))!;
    }

    public async Task<ExportStatus?> Status(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await Mine(db, user).AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct);
        if (job is null) return null;
        var payload = JsonSerializer.Deserialize<Payload>(job.Payload)!;
        return new ExportStatus(job.Id, payload.List, payload.Format, job.Status, job.Error, job.CreatedAt, job.FinishedAt,
            job.FileId is null ? null : $"/api/exports/{job.Id}/download");
    }

    public async Task<StoredFile?> File(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fileId = await Mine(db, user).Where(j => j.Id == id).Select(j => j.FileId).SingleOrDefaultAsync(ct);
        return fileId is null ? null : await db.StoredFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Id == fileId, ct);
    }

    public async Task Run(BackgroundJob job, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<Payload>(job.Payload) ?? throw new InvalidOperationException("Export job without a payload.");
        var query = new QueryCollection(QueryHelpers.ParseQuery(payload.Query));
        Read(payload.List, query, out var contactFilter, out var companyFilter, out var page);
        var user = job.User();
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
        var jobs = db.Jobs.Where(j => j.Kind == JobKind);
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
