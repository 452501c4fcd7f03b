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
        var dismissed = await Dismissed(db, people, ct);
        var groups = new List<DuplicateGroup>();
        var skip = page.Skip;
        var take = page.SafePageSize;
        var total = 0;
        foreach (var reason in Enum.GetValues<DuplicateReason>())
        {
            var (count, found) = await Keys(people, dismissed, reason, skip, take, ct);
            total += count;
            skip = Math.Max(0, skip - count);
            take -= found.Count;
            groups.AddRange(await Members(people, reason, found, ct));
        }

        return new PagedResult<DuplicateGroup>(groups, total, page.SafePage, page.SafePageSize);
    }

    // The keys shared by two people a user marked as not the same person (NotDuplicates), by reason: a key shared by
    // exactly those two is no duplicate. Few pairs are marked, so they are read, and their shared keys found, here.
    private sealed record Marked(List<string> Mobiles, List<string> Emails, List<string> Codes, List<string> Names, List<DateOnly> Births, List<string> Cities);

    private static async Task<Marked> Dismissed(PayvandDb db, IQueryable<Contact> people, CancellationToken ct)
    {
        var marked = new Marked([], [], [], [], [], []);
        var pairs = await db.NotDuplicates.AsNoTracking().Where(n => people.Any(c => c.Id == n.LowId) && people.Any(c => c.Id == n.HighId))
            .Select(n => new { n.LowId, n.HighId }).ToListAsync(ct);
        if (pairs.Count == 0) return marked;
        var ids = pairs.SelectMany(p => new[] { p.LowId, p.HighId }).Distinct().ToList();
        var byId = await people.Where(c => ids.Contains(c.Id)).Include(c => c.Points).ToDictionaryAsync(c => c.Id, ct);
        foreach (var pair in pairs)
        {
            if (!byId.TryGetValue(pair.LowId, out var a) || !byId.TryGetValue(pair.HighId, out var b)) continue;
            IEnumerable<string> Shared(ContactPointKind kind) => a.Points.Where(p => p.Kind == kind).Select(p => p.NormalizedValue)
                .Intersect(b.Points.Where(p => p.Kind == kind).Select(p => p.NormalizedValue), StringComparer.Ordinal);
            marked.Mobiles.AddRange(Shared(ContactPointKind.Mobile));
            marked.Emails.AddRange(Shared(ContactPointKind.Email));
            if (a.NationalCode is not null && a.NationalCode == b.NationalCode) marked.Codes.Add(a.NationalCode);
            if (a.SortName == b.SortName && a.SortName != "")
            {
                marked.Names.Add(a.SortName);
                if (a.BirthDate is { } born && born == b.BirthDate) marked.Births.Add(born);
                if (a.City is not null && a.City == b.City) marked.Cities.Add(a.City);
            }
        }

        return marked;
    }

    // The shared keys of one reason: how many there are, and those of the requested window. A group of exactly two people
    // marked as not the same person is left out (for a name with a birth date or city, by name and the second part).
    private static async Task<(int Count, List<string[]> Keys)> Keys(IQueryable<Contact> people, Marked marked, DuplicateReason reason, int skip, int take, CancellationToken ct)
    {
        switch (reason)
        {
            case DuplicateReason.SameMobile:
            case DuplicateReason.SameEmail:
                var kind = reason == DuplicateReason.SameMobile ? ContactPointKind.Mobile : ContactPointKind.Email;
                var excluded = reason == DuplicateReason.SameMobile ? marked.Mobiles : marked.Emails;
                var byPoint = people.SelectMany(c => c.Points).Where(p => p.Kind == kind).GroupBy(p => p.NormalizedValue);
                var points = (excluded.Count == 0 ? byPoint.Where(g => g.Count() > 1) : byPoint.Where(g => g.Count() > 1 && !(g.Count() == 2 && excluded.Contains(g.Key))))
                    .Select(g => g.Key).OrderBy(k => k);
                return (await points.CountAsync(ct), await Window(points, skip, take).Select(k => new[] { k }).ToListAsync(ct));
            case DuplicateReason.SameNationalCode:
                var byCode = people.Where(c => c.NationalCode != null).GroupBy(c => c.NationalCode!);
                var codes = (marked.Codes.Count == 0 ? byCode.Where(g => g.Count() > 1) : byCode.Where(g => g.Count() > 1 && !(g.Count() == 2 && marked.Codes.Contains(g.Key))))
                    .Select(g => g.Key).OrderBy(k => k);
                return (await codes.CountAsync(ct), await Window(codes, skip, take).Select(k => new[] { k }).ToListAsync(ct));
            case DuplicateReason.SameNameAndBirthDate:
                var byBirth = people.Where(c => c.BirthDate != null && c.SortName != "").GroupBy(c => new { c.SortName, c.BirthDate });
                var births = (marked.Births.Count == 0 ? byBirth.Where(g => g.Count() > 1)
                        : byBirth.Where(g => g.Count() > 1 && !(g.Count() == 2 && marked.Names.Contains(g.Key.SortName) && marked.Births.Contains(g.Key.BirthDate!.Value))))
                    .Select(g => new { g.Key.SortName, g.Key.BirthDate }).OrderBy(k => k.SortName).ThenBy(k => k.BirthDate);
                var birthKeys = await Window(births, skip, take).ToListAsync(ct);
                return (await births.CountAsync(ct), birthKeys.Select(k => new[] { k.SortName, k.BirthDate!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture) }).ToList());
            default:
                var byCity = people.Where(c => c.City != null && c.SortName != "").GroupBy(c => new { c.SortName, c.City });
                var cities = (marked.Cities.Count == 0 ? byCity.Where(g => g.Count() > 1)
                        : byCity.Where(g => g.Count() > 1 && !(g.Count() == 2 && marked.Names.Contains(g.Key.SortName) && marked.Cities.Contains(g.Key.City!))))
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
