using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Contacts;

public sealed record SavedViewDto(int Id, string List, string Name, string Query, bool IsShared, bool IsMine);

// Named list filters: a user's own and the shared ones. Query is the list's query string (e.g. "city=تهران&tag=vip").
public sealed class SavedViews(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public sealed record Request(string List, string Name, string Query, bool IsShared = false);

    public async Task<List<SavedViewDto>> List(string list, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SavedViews.Where(v => v.List == list && (v.UserId == user.UserId || v.IsShared)).OrderBy(v => v.Name)
            .Select(v => new SavedViewDto(v.Id, v.List, v.Name, v.Query, v.IsShared, v.UserId == user.UserId)).ToListAsync(ct);
    }

    public async Task<SavedViewDto> Create(Request request, UserScope user, CancellationToken ct)
    {
        new Validator(text).Required("name", request.Name, "Name").MaxLength("name", request.Name, 100, "Name")
            .Required("list", request.List, "List").ThrowIfAny();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = new SavedView
        {
            UserId = user.UserId,
            List = request.List.Trim(),
            Name = request.Name.Trim(),
            Query = request.Query.TrimStart('?'),
            IsShared = request.IsShared,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.SavedViews.Add(view);
        await db.SaveChangesAsync(ct);
        return new SavedViewDto(view.Id, view.List, view.Name, view.Query, view.IsShared, true);
    }

    public async Task<bool> Delete(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SavedViews.Where(v => v.Id == id && (v.UserId == user.UserId || user.IsAdmin)).ExecuteDeleteAsync(ct) > 0;
    }
}
