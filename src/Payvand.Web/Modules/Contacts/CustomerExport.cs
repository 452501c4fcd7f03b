using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Contacts;

// What a customer list (people, companies) exports beyond its own columns: the list, its permissions and custom fields.
public sealed record CustomerList(string Name, string Label, string Permission, string DeletePermission, CustomFieldTarget Target, string[] SortFields);

// The export of a customer list's view (same filter and sort) as CSV or XLSX: the record's own columns, then those
// every customer record has (stage, tags, owner, branch, created) and its custom fields. Deleted records need the
// list's delete permission, as on the list.
public abstract class CustomerExport<TFilter, T, TTag>(CustomerList list, IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text)
    : ListExport<TFilter>
    where TFilter : CustomerFilter
    where T : class, ICustomerRecord<TTag>
    where TTag : RecordTag, new()
{
    public override string Name => list.Name;

    public override string Label => list.Label;

    public override string Permission => list.Permission;

    protected override string[] SortFields => list.SortFields;

    protected IStringLocalizer<SharedResource> Text => text;

    // The list's records as its filter picks them, unsorted (the list's own query).
    protected abstract IQueryable<T> Query(PayvandDb db, TFilter filter, UserScope user);

    protected abstract IQueryable<T> Sort(IQueryable<T> query, TFilter filter, PageRequest sort);

    // The record's own columns and, for one record read with its points and tags, their cells.
    protected abstract IEnumerable<string> Columns();

    protected abstract IEnumerable<string?> Cells(T record, bool persian);

    protected abstract IQueryable<T> WithPointsAndTags(IQueryable<T> records);

    protected override void Authorize(TFilter filter, UserScope user)
    {
        if (filter.Deleted) user.Require(list.DeletePermission, text["Only managers can see deleted records."]);
    }

    protected override async Task<int> Count(TFilter filter, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Query(db, filter, user).Take(TableExport.MaxRows).CountAsync(ct);
    }

    protected override async Task Write(Stream output, ExportFormat format, TFilter filter, PageRequest sort, UserScope user, CancellationToken ct)
    {
        var persian = Cultures.IsPersian(CultureInfo.CurrentUICulture);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fields = await CustomFieldColumns.Load(db, list.Target, persian, ct);
        var names = await ExportNames.Load(db, ct);
        string[] header = ["Id", .. Columns(), text["Lifecycle stage"], text["Tags"], text["Owner"], text["Branch"], text["Created"], .. fields.Header];
        var ids = Sort(Query(db, filter, user), filter, sort).Select(c => c.Id);
        await TableExport.Write(output, format, header, TableExport.InChunks(ids, async (chunk, ct) =>
        {
            var records = await WithPointsAndTags(db.Set<T>().IgnoreQueryFilters().AsNoTracking()).Where(c => chunk.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
            var custom = await fields.Cells(db, chunk, ct);
            return chunk.Select(id => records[id]).Select(c => (string?[])
            [
                c.Id.ToString(CultureInfo.InvariantCulture), .. Cells(c, persian),
                text[c.Lifecycle.ToString()], string.Join("، ", c.Tags.Select(t => t.Name)), names.User(c.OwnerId), names.Branch(c.BranchId),
                TableExport.Instant(c.CreatedAt, persian), .. custom(c.Id),
            ]);
        }, ct), persian, ct);
    }
}
