using System.Globalization;
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
public sealed class ExportCompanies(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text) : ListExport<CompanyFilter>
{
    public override string Name => "companies";

    public override string Label => "Companies";

    public override string Permission => CompaniesPermissions.Export;

    protected override string[] SortFields => ListCompanies.SortFields;

    protected override CompanyFilter ReadFilter(QueryReader q) => CompaniesModule.ReadFilter(q);

    protected override void Authorize(CompanyFilter filter, UserScope user)
    {
        if (filter.Deleted) user.Require(CompaniesPermissions.Delete, text["Only managers can see deleted records."]);
    }

    protected override async Task<int> Count(CompanyFilter filter, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ListCompanies.Query(db, filter, user).Take(TableExport.MaxRows).CountAsync(ct);
    }

    protected override async Task Write(Stream output, ExportFormat format, CompanyFilter filter, PageRequest sort, UserScope user, CancellationToken ct)
    {
        var persian = Cultures.IsPersian(CultureInfo.CurrentUICulture);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fields = await CustomFieldColumns.Load(db, CustomFieldTarget.Company, persian, ct);
        var names = await ExportNames.Load(db, ct);
        string[] header =
        [
            "Id", text["Company name"], text["Phone"], text["Email"], text["National ID"], text["Economic code"], text["Industry"],
            text["Website"], text["City"], text["Province"], .. RecordColumns.Header(text), .. fields.Header,
        ];
        var ids = ListCompanies.Sort(ListCompanies.Query(db, filter, user), sort.Sort, sort.Desc).Select(c => c.Id);
        await TableExport.Write(output, format, header, TableExport.InChunks(ids, async (chunk, ct) =>
        {
            var companies = await db.Companies.IgnoreQueryFilters().AsNoTracking().Include(c => c.Points).Include(c => c.Tags)
                .Where(c => chunk.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
            var custom = await fields.Cells(db, chunk, ct);
            return chunk.Select(id => companies[id]).Select(c => (string?[])
            [
                c.Id.ToString(CultureInfo.InvariantCulture), c.Name,
                string.Join(" ", c.Points.Where(p => p.Kind is ContactPointKind.Phone or ContactPointKind.Mobile).Select(p => IranianPhone.ToNational(p.NormalizedValue))),
                string.Join(" ", c.Points.Where(p => p.Kind == ContactPointKind.Email).Select(p => p.NormalizedValue)),
                c.NationalId, c.EconomicCode, c.Industry, c.Website, c.City, c.Province,
                .. RecordColumns.Cells(text, names, c.Lifecycle, c.Tags.Select(t => t.Name), c.OwnerId, c.BranchId, c.CreatedAt),
                .. custom(c.Id),
            ]);
        }, ct), persian, ct);
    }
}
