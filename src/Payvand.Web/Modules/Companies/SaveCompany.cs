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
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var values = new List<CustomFieldValue>();
        await Apply(db, company, input with { OwnerId = input.OwnerId ?? company.OwnerId }, values, ct);
        db.Companies.Add(company);
        await db.SaveChangesAsync(ct);
        foreach (var value in values) value.RecordId = company.Id;
        db.CustomFieldValues.AddRange(values);
        await SearchIndex.Replace(db, SearchEntity, company.Id, Terms(company), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return company.Id;
    }

    public async Task<bool> Update(int id, CompanyInput input, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var company = await db.Companies.VisibleTo(user).Include(c => c.Points).Include(c => c.Tags).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (company is null) return false;
        if (input.Version is null)
        {
            throw new ValidationException(new Dictionary<string, string[]> { ["version"] = [text["{0} is required.", "version"]] });
        }

        db.Entry(company).Property(c => c.Version).OriginalValue = input.Version.Value;
        if (input.BranchId is { } branch && branch != company.BranchId) company.BranchId = await user.ChooseBranch(branch, db, text, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var values = await db.CustomFieldValues.Where(v => v.Target == CustomFieldTarget.Company && v.RecordId == id).ToListAsync(ct);
        var before = values.ToList();
        var removed = await Apply(db, company, input, values, ct);
        db.CustomFieldValues.RemoveRange(removed);
        db.CustomFieldValues.AddRange(values.Except(before));
        db.Entry(company).State = EntityState.Modified; // bumps the version even when only phones or tags changed
        await SearchIndex.Replace(db, SearchEntity, company.Id, Terms(company), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
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
