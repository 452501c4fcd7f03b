using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;

namespace Payvand.Modules.Organization;

public sealed record BranchDto(int Id, string Name, string? Code, string? City, bool IsActive, int Version);

// The branches (شعبه‌ها) for pickers (active ones) and the admin page (all of them).
public sealed class ListBranches(IDbContextFactory<PayvandDb> dbFactory)
{
    public async Task<List<BranchDto>> Handle(bool includeInactive, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Branches.AsNoTracking();
        if (!includeInactive) query = query.Where(b => b.IsActive);
        return await query.OrderBy(b => b.Name).ThenBy(b => b.Id)
            .Select(b => new BranchDto(b.Id, b.Name, b.Code, b.City, b.IsActive, b.Version)).ToListAsync(ct);
    }

    public async Task<BranchDto?> Get(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Branches.AsNoTracking().Where(b => b.Id == id)
            .Select(b => new BranchDto(b.Id, b.Name, b.Code, b.City, b.IsActive, b.Version)).SingleOrDefaultAsync(ct);
    }
}
