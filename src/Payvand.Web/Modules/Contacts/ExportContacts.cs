using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Contacts;

// Exports the people of the current list view (same filter and sort) with their custom fields, as CSV or XLSX.
public sealed class ExportContacts(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text) : ListExport<ContactFilter>
{
    public override string Name => "contacts";

    public override string Label => "People";

    public override string Permission => ContactsPermissions.Export;

    protected override string[] SortFields => ListContacts.SortFields;

    protected override ContactFilter ReadFilter(QueryReader q) => ContactsModule.ReadFilter(q);

    protected override void Authorize(ContactFilter filter, UserScope user)
    {
        if (filter.Deleted) user.Require(ContactsPermissions.Delete, text["Only managers can see deleted records."]);
    }

    protected override async Task<int> Count(ContactFilter filter, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ListContacts.Query(db, filter, user).Take(TableExport.MaxRows).CountAsync(ct);
    }

    protected override async Task Write(Stream output, ExportFormat format, ContactFilter filter, PageRequest sort, UserScope user, CancellationToken ct)
    {
        var persian = Cultures.IsPersian(CultureInfo.CurrentUICulture);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fields = await CustomFieldColumns.Load(db, CustomFieldTarget.Contact, persian, ct);
        var names = await ExportNames.Load(db, ct);
        string[] header =
        [
            "Id", text["First name"], text["Last name"], text["Mobile"], text["Email"], text["National code"], text["Birth date"],
            text["City"], text["Province"], .. RecordColumns.Header(text), .. fields.Header,
        ];
        var ids = ListContacts.Sort(ListContacts.Query(db, filter, user), filter, sort.Sort, sort.Desc).Select(c => c.Id);
        await TableExport.Write(output, format, header, TableExport.InChunks(ids, async (chunk, ct) =>
        {
            var contacts = await db.Contacts.IgnoreQueryFilters().AsNoTracking().Include(c => c.Points).Include(c => c.Tags)
                .Where(c => chunk.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
            var custom = await fields.Cells(db, chunk, ct);
            return chunk.Select(id => contacts[id]).Select(c => (string?[])
            [
                c.Id.ToString(CultureInfo.InvariantCulture), c.FirstName, c.LastName,
                string.Join(" ", c.Points.Where(p => p.Kind == ContactPointKind.Mobile).Select(p => IranianPhone.ToNational(p.NormalizedValue))),
                string.Join(" ", c.Points.Where(p => p.Kind == ContactPointKind.Email).Select(p => p.NormalizedValue)),
                c.NationalCode,
                c.BirthDate is { } b ? (persian ? Jalali.Format(b, persianDigits: false) : b.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : null,
                c.City, c.Province,
                .. RecordColumns.Cells(text, names, c.Lifecycle, c.Tags.Select(t => t.Name), c.OwnerId, c.BranchId, c.CreatedAt),
                .. custom(c.Id),
            ]);
        }, ct), persian, ct);
    }
}
