using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Modules.Companies;

// Everything the company page and GET /api/companies/{id} show about one company. PeopleCount counts the
// people of the company the caller may see.
public sealed record CompanyDetails(
    int Id, string Name, string? NationalId, string? EconomicCode, string? Industry, string? Website, string? Address,
    string? City, string? Province, RecordSource Source, LifecycleStage Lifecycle, int? OwnerId, string? OwnerName,
    int BranchId, string BranchName, IReadOnlyList<ContactPointDto> Points, IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string?> CustomFields, int PeopleCount, int Version, DateTime CreatedAt, DateTime UpdatedAt);

// Reads one company the caller may see; null if missing, deleted or in another branch.
public sealed class GetCompany(IDbContextFactory<PayvandDb> dbFactory)
{
    public async Task<CompanyDetails?> Handle(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await db.Companies.AsNoTracking().VisibleTo(user).Include(x => x.Points).Include(x => x.Tags)
            .SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return null;
        var people = db.Contacts.VisibleTo(user);
        var names = await (from b in db.Branches
                           where b.Id == c.BranchId
                           select new
                           {
                               Branch = b.Name,
                               Owner = db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
                               People = people.Count(p => p.CompanyId == c.Id),
                           }).SingleAsync(ct);
        var custom = await (from v in db.CustomFieldValues
                            join f in db.CustomFields on v.FieldId equals f.Id
                            where v.Target == CustomFieldTarget.Company && v.RecordId == id
                            select new { f.Key, Value = v }).ToListAsync(ct);
        return new CompanyDetails(
            c.Id, c.Name, c.NationalId, c.EconomicCode, c.Industry, c.Website, c.Address, c.City, c.Province, c.Source, c.Lifecycle,
            c.OwnerId, names.Owner, c.BranchId, names.Branch,
            c.Points.OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Id)
                .Select(p => new ContactPointDto(p.Kind, p.Value, p.NormalizedValue, p.Label, p.IsPrimary)).ToList(),
            c.Tags.Select(t => t.Name).Order(StringComparer.Ordinal).ToList(),
            custom.ToDictionary(x => x.Key, x => CustomFieldRules.Wire(x.Value)),
            names.People, c.Version, c.CreatedAt, c.UpdatedAt);
    }

    // Whether the company exists and the caller may see it, for endpoints that list what belongs to it.
    public async Task<bool> IsVisible(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Companies.VisibleTo(user).AnyAsync(c => c.Id == id, ct);
    }
}
