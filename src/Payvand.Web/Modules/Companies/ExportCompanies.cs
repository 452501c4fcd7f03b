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

// Exports the companies of the current list view with their phones (landlines and mobiles), emails and registration codes.
public sealed class ExportCompanies(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text) : CustomerExport<CompanyFilter, Company, CompanyTag>(
    new("companies", "Companies", CompaniesPermissions.Export, CompaniesPermissions.Delete, CustomFieldTarget.Company, ListCompanies.SortFields), dbFactory, text)
{
    protected override CompanyFilter ReadFilter(QueryReader q) => CompaniesModule.ReadFilter(q);

    protected override IQueryable<Company> Query(PayvandDb db, CompanyFilter filter, UserScope user) => ListCompanies.Query(db, filter, user);

    protected override IQueryable<Company> Sort(IQueryable<Company> query, CompanyFilter filter, PageRequest sort) => ListCompanies.Sort(query, sort.Sort, sort.Desc);

    protected override IEnumerable<string> Columns() =>
    [
        Text["Company name"], Text["Phone"], Text["Email"], Text["National ID"], Text["Economic code"], Text["Industry"], Text["Website"],
        Text["City"], Text["Province"],
    ];

    protected override IQueryable<Company> WithPointsAndTags(IQueryable<Company> records) => records.Include(c => c.Points).Include(c => c.Tags);

    protected override IEnumerable<string?> Cells(Company c, bool persian) =>
    [
        c.Name,
        string.Join(" ", c.Points.Where(p => p.Kind is ContactPointKind.Phone or ContactPointKind.Mobile).Select(p => IranianPhone.ToNational(p.NormalizedValue))),
        string.Join(" ", c.Points.Where(p => p.Kind == ContactPointKind.Email).Select(p => p.NormalizedValue)),
        c.NationalId, c.EconomicCode, c.Industry, c.Website, c.City, c.Province,
    ];
}
