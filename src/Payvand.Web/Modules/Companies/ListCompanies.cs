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

// The filters of the company list, shared by the list page, GET /api/companies, saved views, bulk actions and export.
// Custom fields filter as cf.<key>=value (text/choice equal, number and date also as min..max).
public sealed record CompanyFilter
{
    public string? Q { get; init; }

    public string? Tag { get; init; }

    public string? City { get; init; }

    public string? Province { get; init; }

    public int? OwnerId { get; init; }

    public int? BranchId { get; init; }

    public LifecycleStage? Lifecycle { get; init; }

    public RecordSource? Source { get; init; }

    public string? Industry { get; init; }

    public bool Deleted { get; init; }

    public Dictionary<string, string> CustomFields { get; init; } = [];
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

        if (!string.IsNullOrWhiteSpace(f.Tag))
        {
            var tag = PersianText.Normalize(f.Tag);
            query = query.Where(c => c.Tags.Any(t => t.Name == tag));
        }

        if (ContactInput.Clean(f.City) is { } city) query = query.Where(c => c.City == city);
        if (ContactInput.Clean(f.Province) is { } province) query = query.Where(c => c.Province == province);
        if (ContactInput.Clean(f.Industry) is { } industry) query = query.Where(c => c.Industry == industry);
        if (f.OwnerId is { } owner) query = query.Where(c => c.OwnerId == owner);
        if (f.BranchId is { } branch) query = query.Where(c => c.BranchId == branch);
        if (f.Lifecycle is { } stage) query = query.Where(c => c.Lifecycle == stage);
        if (f.Source is { } source) query = query.Where(c => c.Source == source);
        foreach (var (key, raw) in f.CustomFields)
        {
            var ids = CustomFieldFilter.Records(db, CustomFieldTarget.Company, key, raw);
            query = query.Where(c => ids.Contains(c.Id));
        }

        return query;
    }

    public static IQueryable<Company> Sort(IQueryable<Company> query, string? sort, bool desc) => (sort?.ToLowerInvariant(), desc) switch
    {
        ("city", false) => query.OrderBy(c => c.City).ThenBy(c => c.Id),
        ("city", true) => query.OrderByDescending(c => c.City).ThenByDescending(c => c.Id),
        ("createdat", false) => query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id),
        ("createdat", true) => query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id),
        ("updatedat", false) => query.OrderBy(c => c.UpdatedAt).ThenBy(c => c.Id),
        ("updatedat", true) => query.OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id),
        (_, true) => query.OrderByDescending(c => c.SortName).ThenByDescending(c => c.Id),
        _ => query.OrderBy(c => c.SortName).ThenBy(c => c.Id),
    };
}
