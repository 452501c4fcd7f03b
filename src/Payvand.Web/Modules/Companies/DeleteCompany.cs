using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Search;

namespace Payvand.Modules.Companies;

// Soft-deletes a company (hidden everywhere, restorable by a manager) and restores one. Its people keep their
// link to it, so a restore brings the whole picture back.
public sealed class DeleteCompany(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock)
{
    public async Task<bool> Delete(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var company = await db.Companies.VisibleTo(user).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (company is null) return false;
        company.DeletedAt = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await SearchIndex.Remove(db, SaveCompany.SearchEntity, id, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<bool> Restore(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var company = await db.Companies.IgnoreQueryFilters().VisibleTo(user).Include(c => c.Points)
            .SingleOrDefaultAsync(c => c.Id == id && c.DeletedAt != null, ct);
        if (company is null) return false;
        company.DeletedAt = null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await SearchIndex.Replace(db, SaveCompany.SearchEntity, id, SaveCompany.Terms(company), company.SortName, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
