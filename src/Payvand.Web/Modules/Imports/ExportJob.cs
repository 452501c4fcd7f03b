using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;
using Payvand.Platform.Notifications;

namespace Payvand.Modules.Imports;

// List: the exported list, capitalized as it always was here ("Contacts", "Companies", "Purchases"); POST
// /api/exports/{list} takes it in any case. Query: the list's filters and sort as they were asked for (without format). Expired: the export succeeded but its
// file was deleted when the retention period ended. Size: of the file, in bytes, while it is kept. Rows: how many the
// file holds, once it is written.
public sealed record ExportStatus(
    int Id, string List, ExportFormat Format, JobStatus Status, string? Error, DateTime CreatedAt, DateTime? FinishedAt,
    string? DownloadUrl, bool Expired = false, string Query = "", long? Size = null, string? CreatedBy = null, int? Rows = null);

// Exports of a list view too large to wait for: the same filters and columns as the list's /api/{list}/export (any
// IListExport a module registers), written by a background job into a stored file to download later.
public sealed class ExportJob(
    IDbContextFactory<PayvandDb> dbFactory, JobQueue queue, IEnumerable<IListExport> exports,
    IStringLocalizer<SharedResource> text, TimeProvider clock, IConfiguration configuration, RolePermissions permissions) : IJobHandler, IBackgroundExports
{
    public const string JobKind = "export";

    // List: the IListExport's name. Jobs queued before lists were named stored the number of an enum
    // (0 people, 1 companies), which ListName still reads.
    public sealed record Payload([property: JsonConverter(typeof(ListName))] string List, ExportFormat Format, string Query);

    public string Kind => JobKind;

    // Up to this many rows a list page downloads its export at once; a larger view is queued here.
    public int DirectLimit => Math.Max(0, configuration.GetValue("Payvand:Exports:DirectLimit", 5_000));

    // Checks the filters now, so a mistake is answered at once (400), then queues the export.
    public async Task<ExportStatus> Queue(string list, IQueryCollection query, UserScope user, CancellationToken ct)
    {
        var export = Find(list) ?? throw new NotFoundException(text["There is no list named {0} to export; use one of: {1}.", list, string.Join(", ", Lists.Select(e => e.Name))]);
        var (format, view) = Read(export, query);
        user.Require(export.Permission, text["You may not export this list."]);
        view.Authorize(user);
        var raw = QueryString.Create(query.Where(q => q.Key != "format").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))).ToString();
        var id = await queue.Enqueue(JobKind, new Payload(export.Name, format, raw), user, ct);
        return (await Status(id, user, ct))!;
    }

    async Task<int> IBackgroundExports.Queue(string list, IQueryCollection query, UserScope user, CancellationToken ct) =>
        (await Queue(list, query, user, ct)).Id;

    // The lists modules registered, by name (contacts, companies, purchases...).
    public IReadOnlyList<IListExport> Lists { get; } = [.. exports.OrderBy(e => e.Name, StringComparer.Ordinal)];

    public IListExport? Find(string list) => Lists.FirstOrDefault(e => string.Equals(e.Name, list, StringComparison.OrdinalIgnoreCase));

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

    private sealed record Row(int Id, JobStatus Status, string? Error, DateTime CreatedAt, DateTime? FinishedAt, string Payload, int? FileId, long? Size, string? CreatedBy, int Total);

    private static Expression<Func<BackgroundJob, Row>> Columns(PayvandDb db) => j => new Row(
        j.Id, j.Status, j.Error, j.CreatedAt, j.FinishedAt, j.Payload, j.FileId,
        db.StoredFiles.Where(f => f.Id == j.FileId).Select(f => (long?)f.Size).FirstOrDefault(),
        db.Users.Where(u => u.Id == j.CreatedById).Select(u => u.DisplayName).FirstOrDefault(), j.Total);

    private static string Capitalized(string list) => list.Length == 0 ? list : char.ToUpperInvariant(list[0]) + list[1..];

    private static ExportStatus ToStatus(Row row)
    {
        var payload = JsonSerializer.Deserialize<Payload>(row.Payload)!;
        return new ExportStatus(row.Id, Capitalized(payload.List), payload.Format, row.Status, row.Error, row.CreatedAt, row.FinishedAt,
            row.FileId is null ? null : $"/api/exports/{row.Id}/download",
            Expired: row.Status == JobStatus.Succeeded && row.FileId is null,
            Query: payload.Query.TrimStart('?'), Size: row.Size, CreatedBy: row.CreatedBy,
            Rows: row.Status == JobStatus.Succeeded ? row.Total : null);
    }

    // The person who asked for the export is told when its file is ready (or why there is none).
    public async Task<NotificationRequest?> Finished(PayvandDb db, BackgroundJob job, JobStatus status, CancellationToken ct)
    {
        if (status is not (JobStatus.Succeeded or JobStatus.Failed) || JsonSerializer.Deserialize<Payload>(job.Payload) is not { } payload) return null;
        var list = NotificationArg.Label(Find(payload.List)?.Label ?? Capitalized(payload.List));
        if (status == JobStatus.Failed) return new NotificationRequest("export.failed", "Your export of {0} failed: {1}", [list, job.Error ?? ""], "exports");
        var rows = await db.Jobs.Where(j => j.Id == job.Id).Select(j => j.Total).SingleAsync(ct);
        return new NotificationRequest("export.finished", "Your export of {0} is ready to download: {1} rows.", [list, NotificationArg.Number(rows)], "exports");
    }

    public async Task Run(BackgroundJob job, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<Payload>(job.Payload) ?? throw new InvalidOperationException("Export job without a payload.");
        var export = Find(payload.List) ?? throw new InvalidOperationException($"No list named {payload.List} is registered for export.");
        var (_, view) = Read(export, new QueryCollection(QueryHelpers.ParseQuery(payload.Query)));
        var user = await permissions.Resolve(job.User(), ct); // the job runs with what its author's roles may do now
        view.Authorize(user);
        var rows = await view.Count(user, ct);
        using var buffer = new MemoryStream();
        await view.Write(buffer, payload.Format, user, ct);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var file = new StoredFile
        {
            Name = TableExport.FileName(export.Name, payload.Format),
            ContentType = TableExport.ContentType(payload.Format),
            Size = buffer.Length,
            OwnerId = job.CreatedById,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Content = buffer.ToArray(),
        };
        db.StoredFiles.Add(file);
        await db.SaveChangesAsync(ct);
        await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.FileId, file.Id).SetProperty(j => j.Done, rows).SetProperty(j => j.Total, rows), ct);
    }

    // Exports are their author's (and an Admin's): the file holds what the author may see.
    private static IQueryable<BackgroundJob> Mine(PayvandDb db, UserScope user)
    {
        var jobs = db.Jobs.AsNoTracking().Where(j => j.Kind == JobKind);
        return user.IsAdmin ? jobs : jobs.Where(j => j.CreatedById == user.UserId);
    }

    private (ExportFormat Format, IExportView View) Read(IListExport export, IQueryCollection query)
    {
        var q = new QueryReader(query, text);
        var view = export.Read(q);
        var format = q.Enum<ExportFormat>("format") ?? ExportFormat.Csv;
        q.ThrowIfAny();
        return (format, view);
    }

    // Reads a stored list name, or the number of the enum that named the lists before (ExportList: Contacts, Companies).
    private sealed class ListName : JsonConverter<string>
    {
        private static readonly string[] Numbered = ["contacts", "companies"];

        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetInt32(out var n) && n >= 0 && n < Numbered.Length => Numbered[n],
            JsonTokenType.String => reader.GetString()!,
            _ => throw new JsonException("An export's list is a name or the number of an old ExportList."),
        };

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
