using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;

namespace Payvand.Modules.CustomFields;

// The active custom fields of one kind of record as the last columns of its export: their labels in the export's
// language, and each record's values as they are shown.
public sealed class CustomFieldColumns
{
    private readonly List<CustomFieldDefinition> fields;
    private readonly CustomFieldTarget target;
    private readonly bool persian;

    private CustomFieldColumns(List<CustomFieldDefinition> fields, CustomFieldTarget target, bool persian) =>
        (this.fields, this.target, this.persian) = (fields, target, persian);

    public static async Task<CustomFieldColumns> Load(PayvandDb db, CustomFieldTarget target, bool persian, CancellationToken ct) => new(
        await db.CustomFields.AsNoTracking().Where(f => f.Target == target && f.IsActive).OrderBy(f => f.Order).ToListAsync(ct), target, persian);

    public IEnumerable<string> Header => fields.Select(f => f.Label(persian));

    // The cells of the given records, read at once: a function from a record's id to its cells, one per column.
    public async Task<Func<int, IEnumerable<string?>>> Cells(PayvandDb db, List<int> ids, CancellationToken ct)
    {
        var values = (await db.CustomFieldValues.AsNoTracking()
            .Where(v => v.Target == target && ids.Contains(v.RecordId)).ToListAsync(ct)).ToLookup(v => v.RecordId);
        return id =>
        {
            var mine = values[id].ToDictionary(v => v.FieldId);
            return fields.Select(f => mine.TryGetValue(f.Id, out var v) ? CustomFieldRules.Display(v, f, persian) : null);
        };
    }
}
