using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Audit;
using Payvand.Platform.Data;
using Payvand.Platform.Privacy;

namespace Payvand.Modules.Contacts;

// The audit trail of a person: every change of their record with its old and new values. Erasing keeps who did what
// when to which field (accountability outlives the person's data) but blanks every value. Merging moves nothing: the
// trail is a record of what happened to each row, so the merged-away person's entries stay under its id (it points to
// the survivor through MergedIntoId, and erasing the survivor erases the people merged into it too).
public sealed class ContactAuditPersonalData : IPersonalData
{
    public const string EntityType = nameof(Contact);

    public string Section => "audit";

    public IReadOnlyList<PersonalDataField> Fields { get; } =
    [
        new("Audit", nameof(AuditEntry.Changes), PersonalDataTreatment.Anonymized, "Old and new values of the person's fields; the values are blanked, who/when/which field stay"),
    ];

    public async Task<object?> Export(PayvandDb db, int contactId, CancellationToken ct)
    {
        var id = contactId.ToString(CultureInfo.InvariantCulture);
        var entries = await db.Audit.AsNoTracking().Where(a => a.EntityType == EntityType && a.EntityId == id).OrderBy(a => a.Id)
            .Select(a => new { a.At, a.UserName, a.Action, a.Changes }).ToListAsync(ct);
        return entries.Select(a => new
        {
            a.At,
            a.UserName,
            a.Action,
            Changes = a.Changes is null ? [] : JsonSerializer.Deserialize<List<FieldChange>>(a.Changes, AuditJson.Options) ?? [],
        }).ToList();
    }

    public async Task Erase(PayvandDb db, int contactId, CancellationToken ct)
    {
        var id = contactId.ToString(CultureInfo.InvariantCulture);
        var entries = await db.Audit.Where(a => a.EntityType == EntityType && a.EntityId == id && a.Changes != null).ToListAsync(ct);
        foreach (var entry in entries)
        {
            var changes = JsonSerializer.Deserialize<List<FieldChange>>(entry.Changes!, AuditJson.Options) ?? [];
            entry.Changes = JsonSerializer.Serialize(changes.Select(c => new FieldChange(c.Field, null, null)), AuditJson.Options);
        }

        await db.SaveChangesAsync(ct);
    }

    public Task MoveTo(PayvandDb db, int fromContactId, int intoContactId, CancellationToken ct) => Task.CompletedTask;
}
