using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Search;

namespace Payvand.Modules.Companies;

// Creates a company or changes one, with validation in the user's language, custom fields, the search index
// and the audit trail written in one transaction. A stale version is refused (409).
public sealed class SaveCompany(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text)
{
    public const string SearchEntity = "company";

    private static readonly CustomerSave<Company> Writes = new(CustomFieldTarget.Company, SearchEntity, Terms);

    public async Task<int> Create(CompanyInput input, UserScope user, CancellationToken ct, RecordSource defaultSource = RecordSource.Manual)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var company = new Company
        {
            Name = "",
            Source = input.Source ?? defaultSource,
            BranchId = await user.ChooseBranch(input.BranchId, db, text, ct),
            OwnerId = input.OwnerId ?? (user.UserId > 0 ? user.UserId : null),
        };
        return await Writes.Create(db, company, values => Apply(db, company, input with { OwnerId = input.OwnerId ?? company.OwnerId }, values, ct), ct);
    }

    public async Task<bool> Update(int id, CompanyInput input, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var company = await db.Companies.VisibleTo(user).Include(c => c.Points).Include(c => c.Tags).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (company is null) return false;
        await Writes.Update(db, company, input.Version, text, async values =>
        {
            if (input.BranchId is { } branch && branch != company.BranchId) company.BranchId = await user.ChooseBranch(branch, db, text, ct);
            return await Apply(db, company, input, values, ct);
        }, ct);
        return true;
    }

    private async Task<List<CustomFieldValue>> Apply(PayvandDb db, Company company, CompanyInput input, List<CustomFieldValue> values, CancellationToken ct)
    {
        var validator = new Validator(text);
        var fields = await db.CustomFields.AsNoTracking().Where(f => f.Target == CustomFieldTarget.Company).ToListAsync(ct);
        if (input.OwnerId is { } ownerId && !await db.Users.AnyAsync(u => u.Id == ownerId && u.IsActive, ct))
        {
            validator.Add("ownerId", "The owner was not found.");
        }

        return input.ApplyTo(company, validator, fields, values);
    }

    // Name words (each word and the whole name without spaces), phones in the forms people type, emails,
    // national ID and economic code.
    public static IEnumerable<string> Terms(Company c) => SearchIndex.TermsFor(
        [c.Name],
        c.Points.Where(p => p.Kind != ContactPointKind.Email).Select(p => p.NormalizedValue),
        c.Points.Where(p => p.Kind == ContactPointKind.Email).Select(p => p.NormalizedValue).Append(c.NationalId).Append(c.EconomicCode));
}
