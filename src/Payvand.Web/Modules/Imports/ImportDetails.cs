using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Imports;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Imports;

public enum ImportStatus
{
    Draft,
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public sealed record ImportDetails(
    int Id, string Kind, string FileName, SheetFormat Format, string? Encoding, int TotalRows, IReadOnlyList<string> Headers,
    ImportSettings Settings, ImportStatus Status, int Done, int Created, int Updated, int Skipped, int Invalid, string? Error,
    DateTime CreatedAt, DateTime? FinishedAt, string? CreatedBy, bool FileKept = true);

public sealed record FieldChoice(string Key, string Label);

// A row of the preview: its cells, the problem of each cell by column index, and problems of the row as a whole
// (e.g. a required field no column is mapped to).
public sealed record PreviewRow(int Row, IReadOnlyList<string> Cells, IReadOnlyDictionary<int, string> CellProblems, IReadOnlyList<string> RowProblems);

// Warnings: what reading the file found beyond the cells' own problems (bytes that are not UTF-8, quotes kept as text,
// by line and row), in the user's language.
public sealed record ImportPreview(ImportDetails Import, IReadOnlyList<FieldChoice> Fields, IReadOnlyList<PreviewRow> Rows, IReadOnlyList<string> Warnings);

// Who may see an import: its author; Admins every one; Managers those of their branches.
public static class ImportAccess
{
    public static IQueryable<Import> VisibleTo(this IQueryable<Import> imports, UserScope user)
    {
        if (user.IsAdmin) return imports;
        var branches = user.BranchIds.ToList();
        return user.IsInRole(Roles.Manager)
            ? imports.Where(i => i.CreatedById == user.UserId || (i.BranchId != null && branches.Contains(i.BranchId.Value)))
            : imports.Where(i => i.CreatedById == user.UserId);
    }

    internal static ImportStatus StatusOf(BackgroundJob? job) => job is null ? ImportStatus.Draft : (ImportStatus)((int)job.Status + 1);

    internal static ImportDetails Details(Import i, string? createdBy) => new(
        i.Id, i.Kind, i.FileName, i.Format, i.Encoding, i.TotalRows, JsonSerializer.Deserialize<List<string>>(i.Headers) ?? [],
        JsonSerializer.Deserialize<ImportSettings>(i.Settings) ?? new ImportSettings(), StatusOf(i.Job), i.Job?.Done ?? 0,
        i.Created, i.Updated, i.Skipped, i.Invalid, i.Job?.Error, i.CreatedAt, i.Job?.FinishedAt, createdBy, i.FileId is not null);
}

// One import with its status, progress and counts; and the paged list of imports the user may see.
public sealed class GetImport(IDbContextFactory<PayvandDb> dbFactory)
{
    public async Task<ImportDetails?> Handle(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var import = await db.Imports.AsNoTracking().Include(i => i.Job).VisibleTo(user).SingleOrDefaultAsync(i => i.Id == id, ct);
        if (import is null) return null;
        var author = await db.Users.Where(u => u.Id == import.CreatedById).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
        return ImportAccess.Details(import, author);
    }

    public async Task<PagedResult<ImportDetails>> List(PageRequest page, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Imports.AsNoTracking().VisibleTo(user);
        var total = await query.CountAsync(ct);
        var imports = await query.Include(i => i.Job).OrderByDescending(i => i.Id).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        var authorIds = imports.Select(i => i.CreatedById).Distinct().ToList();
        var authors = await db.Users.Where(u => authorIds.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return new PagedResult<ImportDetails>([.. imports.Select(i => ImportAccess.Details(i, authors.GetValueOrDefault(i.CreatedById)))], total, page.SafePage, page.SafePageSize);
    }
}
