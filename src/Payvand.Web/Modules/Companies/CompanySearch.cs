using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Search;

namespace Payvand.Modules.Companies;

// Companies: "Sepid Co.", subtitle "Tehran · 021 8877 6655" (or the email when there is no phone).
public sealed class CompanySearch : ISearchSource
{
    public const string Type = "company";

    public string? Permission => CompaniesPermissions.Read;

    public async Task<List<SearchCandidate>> Find(PayvandDb db, SearchQuery query, UserScope user, int limit, CancellationToken ct)
    {
        const string entity = SaveCompany.SearchEntity;
        var visible = db.Companies.VisibleTo(user);
        var candidates = query.Candidates(db, entity, t => visible.Any(c => c.Id == t.RecordId), limit * 3);
        var keys = query.ExactKeys.ToList();
        var rows = await visible.AsNoTracking().Where(c => candidates.Contains(c.Id)).Select(c => new
        {
            c.Id,
            c.Name,
            c.City,
            c.UpdatedAt,
            Exact = db.SearchTerms.Any(t => t.Entity == entity && t.RecordId == c.Id && keys.Contains(t.Term)),
            Phone = c.Points.Where(p => p.Kind == ContactPointKind.Phone || p.Kind == ContactPointKind.Mobile)
                    .OrderByDescending(p => p.IsPrimary).ThenByDescending(p => p.Kind).Select(p => p.NormalizedValue).FirstOrDefault(),
            Email = c.Points.Where(p => p.Kind == ContactPointKind.Email).OrderByDescending(p => p.IsPrimary).Select(p => p.NormalizedValue).FirstOrDefault(),
        })
            .OrderByDescending(r => r.Exact).ThenByDescending(r => r.UpdatedAt).ThenByDescending(r => r.Id).Take(limit)
            .ToListAsync(ct);
        var persian = Cultures.IsPersian(CultureInfo.CurrentUICulture);
        return rows.Select(r => new SearchCandidate(
            new SearchHit(Type, r.Id, r.Name, SearchHit.Join(r.City, PersianText.LeftToRight(r.Phone is null ? r.Email : IranianPhone.Format(r.Phone, persian))), $"/companies/{r.Id}"),
            r.Exact, r.UpdatedAt)).ToList();
    }
}
