using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;

namespace Payvand.Modules.CustomFields;

// One custom field as forms, filters and the admin page see it. Label is in the caller's language;
// HasValues tells the admin page that the type and key are locked and deleting only deactivates.
public sealed record CustomFieldDto(
    int Id, CustomFieldTarget Target, string Key, string LabelFa, string LabelEn, string Label, CustomFieldType Type,
    IReadOnlyList<string> Choices, int Order, bool IsActive, bool HasValues, int Version);

// The custom fields of people or companies, in display order: active ones for forms and filters, all for the admin page.
public sealed class ListCustomFields(IDbContextFactory<PayvandDb> dbFactory)
{
    public async Task<List<CustomFieldDto>> Handle(CustomFieldTarget? target, bool includeInactive, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.CustomFields.AsNoTracking();
        if (target is { } t) query = query.Where(f => f.Target == t);
        if (!includeInactive) query = query.Where(f => f.IsActive);
        var rows = await query.OrderBy(f => f.Target).ThenBy(f => f.Order).ThenBy(f => f.Id)
            .Select(f => new { Field = f, HasValues = db.CustomFieldValues.Any(v => v.FieldId == f.Id) })
            .ToListAsync(ct);
        return rows.Select(r => ToDto(r.Field, r.HasValues)).ToList();
    }

    public async Task<CustomFieldDto?> Get(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.CustomFields.AsNoTracking().Where(f => f.Id == id)
            .Select(f => new { Field = f, HasValues = db.CustomFieldValues.Any(v => v.FieldId == f.Id) })
            .SingleOrDefaultAsync(ct);
        return row is null ? null : ToDto(row.Field, row.HasValues);
    }

    internal static CustomFieldDto ToDto(CustomFieldDefinition f, bool hasValues) => new(
        f.Id, f.Target, f.Key, f.LabelFa, f.LabelEn, f.Label(Cultures.IsPersian(CultureInfo.CurrentUICulture)), f.Type,
        f.Choices, f.Order, f.IsActive, hasValues, f.Version);
}
