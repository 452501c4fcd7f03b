using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Contacts;

// IsMine: the caller may change it (their own, or any for an administrator); a shared view of someone else is only used.
public sealed record SavedViewDto(int Id, string List, string Name, string Query, bool IsShared, bool IsMine, IReadOnlyList<string> Columns);

// Named list filters with the list's columns: a user's own and those shared with the team. Query is the list's query
// string (e.g. "city=تهران&tag=vip"); Columns the keys of the columns shown, in order (none: the list's own).
public sealed class SavedViews(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public const int MaxColumns = 30;

    public sealed record Request(string List, string Name, string Query, bool IsShared = false, List<string>? Columns = null);

    // What a change sends: each field given replaces the view's own; those left out stay.
    public sealed record Change(string? Name = null, string? Query = null, bool? IsShared = null, List<string>? Columns = null);

    public enum Outcome
    {
        Changed,
        NotFound,
        NotYours,
    }

    public async Task<List<SavedViewDto>> List(string list, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var views = await db.SavedViews.AsNoTracking().Where(v => v.List == list && (v.UserId == user.UserId || v.IsShared)).OrderBy(v => v.Name).ToListAsync(ct);
        return views.Select(v => Dto(v, user)).ToList();
    }

    public async Task<SavedViewDto> Create(Request request, UserScope user, CancellationToken ct)
    {
        var v = new Validator(text).Required("list", request.List, "List");
        Check(v, request.Name, request.Columns);
        v.ThrowIfAny();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = new SavedView
        {
            UserId = user.UserId,
            List = request.List.Trim(),
            Name = request.Name.Trim(),
            Query = (request.Query ?? "").TrimStart('?'),
            IsShared = request.IsShared,
            Columns = Joined(request.Columns),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.SavedViews.Add(view);
        await db.SaveChangesAsync(ct);
        return Dto(view, user);
    }

    // Renames, shares or unshares, or replaces the filters or columns of a view: its owner's, or any for an administrator.
    public async Task<(Outcome Outcome, SavedViewDto? View)> Update(int id, Change change, UserScope user, CancellationToken ct)
    {
        var v = new Validator(text);
        if (change.Name is not null) Check(v, change.Name, change.Columns);
        else Check(v, "-", change.Columns);
        v.ThrowIfAny();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = await db.SavedViews.SingleOrDefaultAsync(x => x.Id == id && (x.UserId == user.UserId || x.IsShared), ct);
        if (view is null) return (Outcome.NotFound, null);
        if (view.UserId != user.UserId && !user.IsAdmin) return (Outcome.NotYours, null);
        if (change.Name is not null) view.Name = change.Name.Trim();
        if (change.Query is not null) view.Query = change.Query.TrimStart('?');
        if (change.IsShared is { } shared) view.IsShared = shared;
        if (change.Columns is not null) view.Columns = Joined(change.Columns);
        await db.SaveChangesAsync(ct);
        return (Outcome.Changed, Dto(view, user));
    }

    public async Task<Outcome> Delete(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = await db.SavedViews.SingleOrDefaultAsync(x => x.Id == id && (x.UserId == user.UserId || x.IsShared), ct);
        if (view is null) return Outcome.NotFound;
        if (view.UserId != user.UserId && !user.IsAdmin) return Outcome.NotYours;
        db.SavedViews.Remove(view);
        await db.SaveChangesAsync(ct);
        return Outcome.Changed;
    }

    private static void Check(Validator v, string? name, List<string>? columns)
    {
        v.Required("name", name, "Name").MaxLength("name", name, 100, "Name").MaxCount("columns", columns, MaxColumns);
        if (columns?.Any(c => string.IsNullOrWhiteSpace(c) || c.Length > 40 || c.Contains(',', StringComparison.Ordinal)) == true)
        {
            v.Add("columns", "Column names are short words without commas.");
        }
    }

    private static string? Joined(List<string>? columns) => columns is null or { Count: 0 } ? null : string.Join(',', columns.Select(c => c.Trim()));

    private static SavedViewDto Dto(SavedView v, UserScope user) => new(
        v.Id, v.List, v.Name, v.Query, v.IsShared, v.UserId == user.UserId || user.IsAdmin,
        v.Columns is null ? [] : v.Columns.Split(',', StringSplitOptions.RemoveEmptyEntries));
}
