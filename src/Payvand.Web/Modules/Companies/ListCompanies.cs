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
using Payvand.Platform.Search;

namespace Payvand.Modules.Companies;

// The filters of the company list: those of every customer list (CustomerFilter) and the industry.
public sealed record CompanyFilter : CustomerFilter
{
    public string? Industry { get; init; }
}

public sealed record CompanyRow(
    int Id, string Name, string? Phone, string? Email, string? City, string? Industry, LifecycleStage Lifecycle, int? OwnerId,
    string? OwnerName, int BranchId, string? BranchName, IReadOnlyList<string> Tags, DateTime CreatedAt, int Version);

public sealed class ListCompanies(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text)
{
    public static readonly string[] SortFields = ["name", "city", "createdAt", "updatedAt"];

    public async Task<PagedResult<CompanyRow>> Handle(CompanyFilter filter, PageRequest page, UserScope user, CancellationToken ct)
    {
        if (filter.Deleted) user.Require(CompaniesPermissions.Delete, text["Only managers can see deleted records."]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Query(db, filter, user);
        var ids = await Sort(query, page.Sort, page.Desc).Skip(page.Skip).Take(page.ReadSize).Select(c => c.Id).ToListAsync(ct);
        var (total, moreThanTotal) = await PagedCount.Total(query, page, ids.Count, ct);
        var rows = await Rows(db, ids.Take(page.SafePageSize).ToList(), ct);
        return new PagedResult<CompanyRow>(rows, total, page.SafePage, page.SafePageSize, moreThanTotal);
    }

    // The rows of the given companies, in the order of ids. The first phone is a landline if there is one, else a mobile.
    public static async Task<List<CompanyRow>> Rows(PayvandDb db, List<int> ids, CancellationToken ct)
    {
        var data = await db.Companies.IgnoreQueryFilters().AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new
            {
                c.Id,
                c.Name,
                c.City,
                c.Industry,
                c.Lifecycle,
                c.OwnerId,
                c.BranchId,
                c.CreatedAt,
                c.Version,
                Phone = c.Points.Where(p => p.Kind == ContactPointKind.Phone || p.Kind == ContactPointKind.Mobile)
                    .OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Kind == ContactPointKind.Phone ? 0 : 1).Select(p => p.NormalizedValue).FirstOrDefault(),
                Email = c.Points.Where(p => p.Kind == ContactPointKind.Email).OrderByDescending(p => p.IsPrimary).Select(p => p.NormalizedValue).FirstOrDefault(),
                Tags = c.Tags.Select(t => t.Name).ToList(),
                Owner = db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
                Branch = db.Branches.Where(b => b.Id == c.BranchId).Select(b => b.Name).FirstOrDefault(),
            }).ToListAsync(ct);
        var byId = data.ToDictionary(d => d.Id);
        return ids.Where(byId.ContainsKey).Select(id => byId[id]).Select(c => new CompanyRow(
            c.Id, c.Name, c.Phone, c.Email, c.City, c.Industry, c.Lifecycle, c.OwnerId, c.Owner, c.BranchId, c.Branch, c.Tags,
            c.CreatedAt, c.Version)).ToList();
    }

    public static IQueryable<Company> Query(PayvandDb db, CompanyFilter f, UserScope user)
    {
        var query = (f.Deleted ? db.Companies.IgnoreQueryFilters().Where(c => c.DeletedAt != null) : db.Companies).VisibleTo(user);
        if (!string.IsNullOrWhiteSpace(f.Q))
        {
            var ids = SearchIndex.Matching(db, SaveCompany.SearchEntity, f.Q);
            query = query.Where(c => ids.Contains(c.Id));
        }

        query = query.Filter<Company, CompanyTag>(f, db, CustomFieldTarget.Company);
        if (ContactInput.Clean(f.Industry) is { } industry) query = query.Where(c => c.Industry == industry);
        return query;
    }

    public static IQueryable<Company> Sort(IQueryable<Company> query, string? sort, bool desc) => query.Sort<Company, CompanyTag>(sort, desc);
}
