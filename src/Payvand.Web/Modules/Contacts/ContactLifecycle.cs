using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Audit;
using Payvand.Platform.Data;

namespace Payvand.Modules.Contacts;

// The person's lifecycle stage, as other modules move it (a first purchase makes a lead a customer). Contacts owns
// the column; others call this in their own transaction. The change is audited as the system's, field by field.
public static class ContactLifecycle
{
    // Moves the person to stage when they are at an earlier one; returns whether it moved. A former customer who buys
    // again is a customer again.
    public static async Task<bool> Advance(PayvandDb db, int contactId, LifecycleStage stage, DateTime now, CancellationToken ct)
    {
        var from = await db.Contacts.Where(c => c.Id == contactId && c.DeletedAt == null)
            .Select(c => (LifecycleStage?)c.Lifecycle).SingleOrDefaultAsync(ct);
        if (from is not { } current || !Earlier(current, stage)) return false;
        var moved = await db.Contacts.Where(c => c.Id == contactId && c.Lifecycle == current)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Lifecycle, stage), ct);
        if (moved == 0) return false;
        db.Audit.Add(new AuditEntry
        {
            At = now,
            Action = AuditAction.Update,
            EntityType = nameof(Contact),
            EntityId = contactId.ToString(CultureInfo.InvariantCulture),
            Changes = JsonSerializer.Serialize(new[] { new FieldChange(nameof(Contact.Lifecycle), current.ToString(), stage.ToString()) }, AuditJson.Options),
        });
        return true;
    }

    private static bool Earlier(LifecycleStage current, LifecycleStage stage) =>
        current == LifecycleStage.FormerCustomer ? stage == LifecycleStage.Customer : current < stage;
}
