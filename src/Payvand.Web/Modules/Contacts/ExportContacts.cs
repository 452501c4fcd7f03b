using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Segments;

namespace Payvand.Modules.Contacts;

// Exports the people of the current list view with their mobiles, emails, national code and birth date (Jalali in fa).
public sealed class ExportContacts(IDbContextFactory<PayvandDb> dbFactory, ISegmentFilter segments, IStringLocalizer<SharedResource> text) : CustomerExport<ContactFilter, Contact, ContactTag>(
    new("contacts", "People", ContactsPermissions.Export, ContactsPermissions.Delete, CustomFieldTarget.Contact, ListContacts.SortFields), dbFactory, text)
{
    protected override ContactFilter ReadFilter(QueryReader q) => ContactsModule.ReadFilter(q);

    protected override IQueryable<Contact> Query(PayvandDb db, ContactFilter filter, UserScope user) => ListContacts.Query(db, filter, user, segments: segments);

    protected override IQueryable<Contact> Sort(IQueryable<Contact> query, ContactFilter filter, PageRequest sort) => ListContacts.Sort(query, filter, sort.Sort, sort.Desc);

    protected override IEnumerable<string> Columns() =>
        [Text["First name"], Text["Last name"], Text["Mobile"], Text["Email"], Text["National code"], Text["Birth date"], Text["City"], Text["Province"]];

    protected override IQueryable<Contact> WithPointsAndTags(IQueryable<Contact> records) => records.Include(c => c.Points).Include(c => c.Tags);

    protected override IEnumerable<string?> Cells(Contact c, bool persian) =>
    [
        c.FirstName, c.LastName,
        string.Join(" ", c.Points.Where(p => p.Kind == ContactPointKind.Mobile).Select(p => IranianPhone.ToNational(p.NormalizedValue))),
        string.Join(" ", c.Points.Where(p => p.Kind == ContactPointKind.Email).Select(p => p.NormalizedValue)),
        c.NationalCode,
        c.BirthDate is { } b ? (persian ? Jalali.Format(b, persianDigits: false) : b.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : null,
        c.City, c.Province,
    ];
}
