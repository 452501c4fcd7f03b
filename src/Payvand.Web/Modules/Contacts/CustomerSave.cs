using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Search;

namespace Payvand.Modules.Contacts;

// Writes a customer record (a person, a company) with its custom field values and search terms in one transaction,
// so a record is never found by terms it no longer has, nor saved without the values its form sent.
public sealed record CustomerSave<T>(CustomFieldTarget Target, string SearchEntity, Func<T, IEnumerable<string>> Terms)
    where T : class, IAudited, IVersioned, ISortedRecord
{
    // apply: checks the input and applies it to the record, filling the values of its custom fields. In the caller's
    // transaction when one is open, else in its own.
    public async Task<int> Create(PayvandDb db, T record, Func<List<CustomFieldValue>, Task> apply, CancellationToken ct)
    {
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var values = new List<CustomFieldValue>();
        await apply(values);
        db.Add(record);
        await db.SaveChangesAsync(ct);
        foreach (var value in values) value.RecordId = record.Id;
        db.CustomFieldValues.AddRange(values);
        await SearchIndex.Replace(db, SearchEntity, record.Id, Terms(record), record.SortName, ct);
        await db.SaveChangesAsync(ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return record.Id;
    }

    // version: the one the client read; another current version means someone else changed the record (409). apply:
    // checks the input and applies it to the record and its custom field values, returning the values it removed.
    public async Task Update(PayvandDb db, T record, int? version, IStringLocalizer<SharedResource> text, Func<List<CustomFieldValue>, Task<List<CustomFieldValue>>> apply, CancellationToken ct)
    {
        if (version is null) throw new ValidationException(new Dictionary<string, string[]> { ["version"] = [text["{0} is required.", "version"]] });
        db.Entry(record).Property(nameof(IVersioned.Version)).OriginalValue = version.Value;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var values = await db.CustomFieldValues.Where(v => v.Target == Target && v.RecordId == record.Id).ToListAsync(ct);
        var before = values.ToList();
        var removed = await apply(values);
        db.CustomFieldValues.RemoveRange(removed);
        db.CustomFieldValues.AddRange(values.Except(before));
        db.Entry(record).State = EntityState.Modified; // bumps the version even when only phones or tags changed
        await SearchIndex.Replace(db, SearchEntity, record.Id, Terms(record), record.SortName, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
