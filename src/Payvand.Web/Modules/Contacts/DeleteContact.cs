using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Search;

namespace Payvand.Modules.Contacts;

// Soft-deletes a person (hidden everywhere, restorable by a manager) and restores one.
public sealed class DeleteContact(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public async Task<bool> Delete(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var contact = await db.Contacts.VisibleTo(user).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null) return false;
        contact.DeletedAt = clock.GetUtcNow().UtcDateTime;
        await SearchIndex.Remove(db, SaveContact.SearchEntity, id, ct);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<bool> Restore(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var contact = await db.Contacts.IgnoreQueryFilters().VisibleTo(user).Include(c => c.Points)
            .SingleOrDefaultAsync(c => c.Id == id && c.DeletedAt != null && c.MergedIntoId == null, ct); // a merged person lives on in the survivor
        if (contact is null) return false;

        // Erasure leaves an empty row for other modules' records to point at; bringing it back would bring back nobody.
        if (contact.LastName == ContactPersonalData.ErasedName(id) && contact.FirstName is null)
        {
            throw new DomainRuleException(text["An erased person cannot be restored."]);
        }

        contact.DeletedAt = null;
        await SearchIndex.Replace(db, SaveContact.SearchEntity, id, SaveContact.Terms(contact), contact.SortName, ct);
        await db.SaveChangesAsync(ct);
        return true;
    }
}
