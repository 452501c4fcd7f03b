using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Search;

namespace Payvand.Modules.Contacts;

// People: "Sara Ahmadi", subtitle "0912 123 4567 · Company" (or the email when there is no phone).
public sealed class PeopleSearch : ISearchSource
{
    public const string Type = "person";

    public string? Permission => ContactsPermissions.Read;

    public async Task<List<SearchCandidate>> Find(PayvandDb db, SearchQuery query, UserScope user, int limit, CancellationToken ct)
    {
        const string entity = SaveContact.SearchEntity;
        var visible = db.Contacts.VisibleTo(user);
        // A query of several words tests the others on the person's SearchText, read by the same probe as visibility.
        // The few candidates are read first and the people then by their ids: inside one statement PostgreSQL may
        // plan the candidates as a set to hash-join with every person (issue 11: a full scan of the name index).
        var candidates = await query.Candidates(db, entity, t => visible.Any(c => c.Id == t.RecordId), limit * 3,
            words => WithWords(visible, db, words)).ToListAsync(ct);
        candidates = [.. candidates.Distinct()];
        var keys = query.ExactKeys.ToList();
        var rows = await visible.AsNoTracking().Where(c => candidates.Contains(c.Id)).Select(c => new
        {
            c.Id,
            c.FirstName,
            c.LastName,
            c.UpdatedAt,
            Exact = db.SearchTerms.Any(t => t.Entity == entity && t.RecordId == c.Id && keys.Contains(t.Term)),
            Phone = c.Points.Where(p => p.Kind == ContactPointKind.Mobile || p.Kind == ContactPointKind.Phone)
                    .OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Kind).Select(p => p.NormalizedValue).FirstOrDefault(),
            Email = c.Points.Where(p => p.Kind == ContactPointKind.Email).OrderByDescending(p => p.IsPrimary).Select(p => p.NormalizedValue).FirstOrDefault(),
            Company = db.Companies.Where(x => x.Id == c.CompanyId).Select(x => x.Name).FirstOrDefault(),
        })
            .OrderByDescending(r => r.Exact).ThenByDescending(r => r.UpdatedAt).ThenByDescending(r => r.Id).Take(limit)
            .ToListAsync(ct);
        var persian = Cultures.IsPersian(CultureInfo.CurrentUICulture);
        return rows.Select(r => new SearchCandidate(
            new SearchHit(Type, r.Id, string.IsNullOrWhiteSpace(r.FirstName) ? r.LastName : $"{r.FirstName} {r.LastName}",
                SearchHit.Join(PersianText.LeftToRight(r.Phone is null ? r.Email : IranianPhone.Format(r.Phone, persian)), r.Company), $"/contacts/{r.Id}"),
            r.Exact, r.UpdatedAt)).ToList();
    }

    private static Expression<Func<SearchTerm, bool>> WithWords(IQueryable<Contact> visible, PayvandDb db, IReadOnlyList<string> words)
    {
        var matching = ListContacts.WithAllWords(visible, db, words);
        return t => matching.Any(c => c.Id == t.RecordId);
    }
}
