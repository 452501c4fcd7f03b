using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Companies;

// Exports the companies of the current list view (same filter and sort) with their custom fields, as CSV or XLSX.
public sealed class ExportCompanies(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text)
{
    public async Task Write(Stream output, ExportFormat format, CompanyFilter filter, PageRequest sort, UserScope user, CancellationToken ct)
    {
        if (filter.Deleted) user.Require(CompaniesPermissions.Delete, text["Only managers can see deleted records."]);
        var persian = Cultures.IsPersian(CultureInfo.CurrentUICulture);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fields = await db.CustomFields.AsNoTracking().Where(f => f.Target == CustomFieldTarget.Company && f.IsActive).OrderBy(f => f.Order).ToListAsync(ct);
        string[] header =
        [
            "Id", text["Company name"], text["Phone"], text["Email"], text["National ID"], text["Economic code"], text["Industry"],
            text["Website"], text["City"], text["Province"], text["Lifecycle stage"], text["Tags"], text["Owner"], text["Branch"], text["Created"],
            .. fields.Select(f => f.Label(persian)),
        ];
        await TableExport.Write(output, format, header, Rows(db, filter, sort, user, fields, persian, ct), persian, ct);
    }

    private async IAsyncEnumerable<string?[]> Rows(PayvandDb db, CompanyFilter filter, PageRequest sort, UserScope user,
        List<CustomFieldDefinition> fields, bool persian, [EnumeratorCancellation] CancellationToken ct)
    {
        var ids = await ListCompanies.Sort(ListCompanies.Query(db, filter, user), sort.Sort, sort.Desc)
            .Select(c => c.Id).Take(TableExport.MaxRows).ToListAsync(ct);
        var owners = await db.Users.Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var branches = await db.Branches.Select(b => new { b.Id, b.Name }).ToDictionaryAsync(b => b.Id, b => b.Name, ct);
        foreach (var chunk in ids.Chunk(1000))
        {
            var list = chunk.ToList();
            var companies = await db.Companies.IgnoreQueryFilters().AsNoTracking().Include(c => c.Points).Include(c => c.Tags)
                .Where(c => list.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
            var values = (await db.CustomFieldValues.AsNoTracking()
                .Where(v => v.Target == CustomFieldTarget.Company && list.Contains(v.RecordId)).ToListAsync(ct)).ToLookup(v => v.RecordId);
            foreach (var id in list)
            {
                var c = companies[id];
                var mine = values[id].ToDictionary(v => v.FieldId);
                yield return
                [
                    c.Id.ToString(CultureInfo.InvariantCulture), c.Name,
                    string.Join(" ", c.Points.Where(p => p.Kind is ContactPointKind.Phone or ContactPointKind.Mobile).Select(p => IranianPhone.ToNational(p.NormalizedValue))),
                    string.Join(" ", c.Points.Where(p => p.Kind == ContactPointKind.Email).Select(p => p.NormalizedValue)),
                    c.NationalId, c.EconomicCode, c.Industry, c.Website, c.City, c.Province, text[c.Lifecycle.ToString()],
                    string.Join("، ", c.Tags.Select(t => t.Name)),
                    c.OwnerId is { } o && owners.TryGetValue(o, out var owner) ? owner : null,
                    branches.GetValueOrDefault(c.BranchId),
                    c.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    .. fields.Select(f => mine.TryGetValue(f.Id, out var v) ? CustomFieldRules.Display(v, f, persian) : null),
                ];
            }
        }
    }
}
