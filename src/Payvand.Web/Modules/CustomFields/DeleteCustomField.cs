using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.CustomFields;

// Deletes a custom field (Admin). A field that already has values is only deactivated, so nothing people
// entered is lost and it can be switched back on; an unused field is removed.
public sealed class DeleteCustomField(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text)
{
    public enum Outcome
    {
        Removed,
        Deactivated,
    }

    public sealed record Response(Outcome Outcome);

    // Null when there is no such field.
    public async Task<Response?> Handle(int id, UserScope user, CancellationToken ct)
    {
        if (!user.Has(CustomFieldsPermissions.Manage)) throw new DomainRuleException(text["Only administrators can do this."]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var field = await db.CustomFields.SingleOrDefaultAsync(f => f.Id == id, ct);
        if (field is null) return null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.CustomFieldValues.AnyAsync(v => v.FieldId == id, ct))
        {
            field.IsActive = false;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new Response(Outcome.Deactivated);
        }

        db.CustomFields.Remove(field);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Response(Outcome.Removed);
    }
}
