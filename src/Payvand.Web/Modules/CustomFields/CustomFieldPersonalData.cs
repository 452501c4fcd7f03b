using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Privacy;

namespace Payvand.Modules.CustomFields;

// The values of admin-defined fields on a person (shoe size, favourite branch...). Whatever a field means, its value
// describes the person, so erasing deletes them all. Merging keeps the survivor's value of a field when it has one
// (MergeContacts has already applied the user's choice per field) and moves the others over.
public sealed class CustomFieldPersonalData : IPersonalData
{
    public string Section => "customFields";

    public IReadOnlyList<PersonalDataField> Fields { get; } =
    [
        new("CustomFieldValues", nameof(CustomFieldValue.Text), PersonalDataTreatment.Deleted, "Admin-defined facts about the person (rows deleted)"),
        new("CustomFieldValues", nameof(CustomFieldValue.Number), PersonalDataTreatment.Deleted, "Admin-defined facts about the person (rows deleted)"),
        new("CustomFieldValues", nameof(CustomFieldValue.Date), PersonalDataTreatment.Deleted, "Admin-defined facts about the person (rows deleted)"),
    ];

    public async Task<object?> Export(PayvandDb db, int contactId, CancellationToken ct)
    {
        var values = await (from v in db.CustomFieldValues.AsNoTracking()
                            join f in db.CustomFields on v.FieldId equals f.Id
                            where v.Target == CustomFieldTarget.Contact && v.RecordId == contactId
                            orderby f.Order, f.Key
                            select new { f.Key, v }).ToListAsync(ct);
        return values.ToDictionary(x => x.Key, x => CustomFieldRules.Wire(x.v));
    }

    public Task Erase(PayvandDb db, int contactId, CancellationToken ct) =>
        db.CustomFieldValues.Where(v => v.Target == CustomFieldTarget.Contact && v.RecordId == contactId).ExecuteDeleteAsync(ct);

    public async Task MoveTo(PayvandDb db, int fromContactId, int intoContactId, CancellationToken ct)
    {
        var taken = db.CustomFieldValues.Where(v => v.Target == CustomFieldTarget.Contact && v.RecordId == intoContactId).Select(v => v.FieldId);
        await db.CustomFieldValues.Where(v => v.Target == CustomFieldTarget.Contact && v.RecordId == fromContactId && !taken.Contains(v.FieldId))
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.RecordId, intoContactId), ct);
        await db.CustomFieldValues.Where(v => v.Target == CustomFieldTarget.Contact && v.RecordId == fromContactId).ExecuteDeleteAsync(ct);
    }
}
