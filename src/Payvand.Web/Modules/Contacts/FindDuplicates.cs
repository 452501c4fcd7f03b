using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Modules.Contacts;

public enum DuplicateReason
{
    SameMobile,
    SameEmail,
    SameNationalCode,
    SameNameAndBirthDate,
    SameNameAndCity,
}

public sealed record DuplicatePerson(
    int Id, string DisplayName, string? NationalCode, DateOnly? BirthDate, string? City, IReadOnlyList<string> Points, int BranchId, int Version, DateTime CreatedAt);

// People who share Key (a mobile, an email, a national code, or a normalized name with a birth date or city).
public sealed record DuplicateGroup(DuplicateReason Reason, string Key, IReadOnlyList<DuplicatePerson> People);

// Likely duplicates among the live people the caller sees. Each reason is one GROUP BY over an indexed column
// (ContactPoints.NormalizedValue, Contacts.NationalCode, (SortName, BirthDate), (City, SortName)) keeping the keys
// shared by more than one person: a scan of the index, never a comparison of every pair. Groups are paged in
// reason order, then by key; only the people of the page's groups are read.
public sealed class FindDuplicates(IDbContextFactory<PayvandDb> dbFactory)
{
    private const int MaxPeoplePerGroup = 20;

    public async Task<PagedResult<DuplicateGroup>> Handle(PageRequest page, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var people = db.Contacts.AsNoTracking().VisibleTo(user);
        var groups = new List<DuplicateGroup>();
        var skip = page.Skip;
        var take = page.SafePageSize;
        var total = 0;
        foreach (var reason in Enum.GetValues<DuplicateReason>())
        {
            var (count, found) = await Keys(people, reason, skip, take, ct);
            total += count;
            skip = Math.Max(0, skip - count);
            take -= found.Count;
            groups.AddRange(await Members(people, reason, found, ct));
        }

        return new PagedResult<DuplicateGroup>(groups, total, page.SafePage, page.SafePageSize);
    }

    // The shared keys of one reason: how many there are, and those of the requested window.
    private static async Task<(int Count, List<string[]> Keys)> Keys(IQueryable<Contact> people, DuplicateReason reason, int skip, int take, CancellationToken ct)
    {
        switch (reason)
        {
            case DuplicateReason.SameMobile:
            case DuplicateReason.SameEmail:
                var kind = reason == DuplicateReason.SameMobile ? ContactPointKind.Mobile : ContactPointKind.Email;
                var points = people.SelectMany(c => c.Points).Where(p => p.Kind == kind)
                    .GroupBy(p => p.NormalizedValue).Where(g => g.Count() > 1).Select(g => g.Key).OrderBy(k => k);
                return (await points.CountAsync(ct), await Window(points, skip, take).Select(k => new[] { k }).ToListAsync(ct));
            case DuplicateReason.SameNationalCode:
                var codes = people.Where(c => c.NationalCode != null)
                    .GroupBy(c => c.NationalCode!).Where(g => g.Count() > 1).Select(g => g.Key).OrderBy(k => k);
                return (await codes.CountAsync(ct), await Window(codes, skip, take).Select(k => new[] { k }).ToListAsync(ct));
            case DuplicateReason.SameNameAndBirthDate:
                var births = people.Where(c => c.BirthDate != null && c.SortName != "")
                    .GroupBy(c => new { c.SortName, c.BirthDate }).Where(g => g.Count() > 1)
                    .Select(g => new { g.Key.SortName, g.Key.BirthDate }).OrderBy(k => k.SortName).ThenBy(k => k.BirthDate);
                var birthKeys = await Window(births, skip, take).ToListAsync(ct);
                return (await births.CountAsync(ct), birthKeys.Select(k => new[] { k.SortName, k.BirthDate!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture) }).ToList());
            default:
                var cities = people.Where(c => c.City != null && c.SortName != "")
                    .GroupBy(c => new { c.SortName, c.City }).Where(g => g.Count() > 1)
                    .Select(g => new { g.Key.SortName, g.Key.City }).OrderBy(k => k.SortName).ThenBy(k => k.City);
                var cityKeys = await Window(cities, skip, take).ToListAsync(ct);
                return (await cities.CountAsync(ct), cityKeys.Select(k => new[] { k.SortName, k.City! }).ToList());
        }
    }

    private static IQueryable<T> Window<T>(IQueryable<T> keys, int skip, int take) => take <= 0 ? keys.Take(0) : keys.Skip(skip).Take(take);

    private static async Task<List<DuplicateGroup>> Members(IQueryable<Contact> people, DuplicateReason reason, List<string[]> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return [];
        var first = keys.Select(k => k[0]).Distinct().ToList();
        var second = keys.Where(k => k.Length > 1).Select(k => k[1]).Distinct().ToList();
        var births = reason == DuplicateReason.SameNameAndBirthDate
            ? second.Select(d => DateOnly.ParseExact(d, "O", System.Globalization.CultureInfo.InvariantCulture)).ToList()
            : [];
        var candidates = reason switch
        {
            DuplicateReason.SameMobile or DuplicateReason.SameEmail => people.Where(c => c.Points.Any(p => first.Contains(p.NormalizedValue))),
            DuplicateReason.SameNationalCode => people.Where(c => first.Contains(c.NationalCode!)),
            // A common name is shared by many people; the second part of the key narrows the read to the groups' own.
            DuplicateReason.SameNameAndBirthDate => people.Where(c => first.Contains(c.SortName) && births.Contains(c.BirthDate!.Value)),
            _ => people.Where(c => first.Contains(c.SortName) && second.Contains(c.City!)),
        };
        var rows = await candidates.Include(c => c.Points).OrderBy(c => c.Id).ToListAsync(ct);
        return keys.Select(key => new DuplicateGroup(reason, string.Join(" · ", key), rows
                .Where(c => Matches(c, reason, key))
                .Take(MaxPeoplePerGroup)
                .Select(c => new DuplicatePerson(c.Id, c.DisplayName, c.NationalCode, c.BirthDate, c.City,
                    c.Points.OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Id).Select(p => p.NormalizedValue).ToList(), c.BranchId, c.Version, c.CreatedAt))
                .ToList()))
            .ToList();
    }

    private static bool Matches(Contact c, DuplicateReason reason, string[] key) => reason switch
    {
        DuplicateReason.SameMobile => c.Points.Any(p => p.Kind == ContactPointKind.Mobile && p.NormalizedValue == key[0]),
        DuplicateReason.SameEmail => c.Points.Any(p => p.Kind == ContactPointKind.Email && p.NormalizedValue == key[0]),
        DuplicateReason.SameNationalCode => c.NationalCode == key[0],
        DuplicateReason.SameNameAndBirthDate => c.SortName == key[0] && c.BirthDate?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) == key[1],
        _ => c.SortName == key[0] && c.City == key[1],
    };
}
