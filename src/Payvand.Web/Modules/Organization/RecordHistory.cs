using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Organization;

// The change history of one record, for anyone who may see that record: branch-scoped records (people,
// companies, and whatever later modules add) by the branch rule — deleted ones to managers and administrators
// only; a user account to that user; anything else to administrators.
public sealed class RecordHistory(IDbContextFactory<PayvandDb> dbFactory, AuditText describe)
{
    private static readonly MethodInfo VisibleMethod = typeof(RecordHistory).GetMethod(nameof(IsVisible), BindingFlags.NonPublic | BindingFlags.Static)!;

    // Null when the record does not exist for the caller (404).
    public async Task<PagedResult<AuditRow>?> Handle(string entityType, string entityId, PageRequest page, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var type = SearchAudit.EntityTypeName(db, entityType);
        var id = PersianText.ToLatinDigits(entityId).Trim();
        if (!await MaySee(db, type, id, user, ct)) return null;

        var query = db.Audit.AsNoTracking().Where(a => a.EntityType == type && a.EntityId == id);
        var total = await query.CountAsync(ct);
        var entries = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<AuditRow>(await describe.Rows(db, entries, showIp: user.IsAdmin, user, ct), total, page.SafePage, page.SafePageSize);
    }

    private static async Task<bool> MaySee(PayvandDb db, string type, string id, UserScope user, CancellationToken ct)
    {
        if (user.IsAdmin) return true;
        if (!int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var key)) return false;
        if (type == nameof(AppUser)) return key == user.UserId;
        var entity = db.Model.GetEntityTypes().FirstOrDefault(t => !t.IsOwned() && t.ClrType.Name == type);
        if (entity is null || !typeof(IBranchScoped).IsAssignableFrom(entity.ClrType) || !typeof(IAudited).IsAssignableFrom(entity.ClrType)) return false;
        var check = (Task<bool>)VisibleMethod.MakeGenericMethod(entity.ClrType).Invoke(null, [db, key, user, ct])!;
        return await check;
    }

    private static Task<bool> IsVisible<T>(PayvandDb db, int id, UserScope user, CancellationToken ct) where T : class, IAudited, IBranchScoped
    {
        // Managers can see and restore deleted records, so their history stays open to them.
        var records = user.IsInRole(Roles.Manager) ? db.Set<T>().IgnoreQueryFilters() : db.Set<T>();
        return records.VisibleTo(user).AnyAsync(r => r.Id == id, ct);
    }
}
