using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Modules.Contacts;

public sealed record ContactPointDto(ContactPointKind Kind, string Value, string NormalizedValue, string? Label, bool IsPrimary);

// The promotional consent on the four channels every Payvand has, as before channels and purposes were data.
public sealed record ConsentDto(ConsentStatus Sms, ConsentStatus Email, ConsentStatus Call, ConsentStatus Fax);

// The current consent on one channel for one purpose (no entry: Unknown).
public sealed record ChannelConsentDto(string Channel, ContactPurpose Purpose, ConsentStatus Status, DateTime ChangedAt, string Source);

// Everything the profile page and GET /api/contacts/{id} show about one person.
public sealed record ContactDetails(
    int Id, string? FirstName, string LastName, string DisplayName, string? NationalCode, DateOnly? BirthDate, Gender Gender,
    string? JobTitle, int? CompanyId, string? CompanyName, string? Address, string? City, string? Province, string? PostalCode,
    RecordSource Source, LifecycleStage Lifecycle, int? OwnerId, string? OwnerName, int BranchId, string BranchName,
    IReadOnlyList<ContactPointDto> Points, IReadOnlyList<string> Tags, PreferencesInput Preferences, ConsentDto Consent,
    IReadOnlyDictionary<string, string?> CustomFields, int Version, DateTime CreatedAt, DateTime UpdatedAt, PurchaseSummary Purchases,
    IReadOnlyList<ChannelConsentDto> Consents)
{
    // In the answer of POST and PUT /api/contacts only: existing people with the same mobile, email or national code
    // (PossibleDuplicates), saved anyway; an empty list when there are none. GET leaves it out (null).
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PossibleDuplicate>? Duplicates { get; init; }
}

// Reads one person the caller may see; null if missing, deleted or in another branch. The name of a linked company
// in a branch the caller cannot see is left out (its id stays, so an edit does not unlink it).
public sealed class GetContact(IDbContextFactory<PayvandDb> dbFactory)
{
    public async Task<ContactDetails?> Handle(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var seesAll = user.SeesAllBranches;
        var branches = seesAll ? [] : user.BranchIds.ToArray();
        var row = await Find(db, id, seesAll, branches, ct);
        if (row is null) return null;
        var (c, names, custom) = (row.Contact, row, row.CustomFields);
        ConsentStatus Promotional(string channel) =>
            row.Consents.FirstOrDefault(x => x.Channel == channel && x.Purpose == ContactPurpose.Promotional)?.Status ?? ConsentStatus.Unknown;
        return new ContactDetails(
            c.Id, c.FirstName, c.LastName, c.DisplayName, c.NationalCode, c.BirthDate, c.Gender, c.JobTitle, c.CompanyId, names.Company,
            c.Address, c.City, c.Province, c.PostalCode, c.Source, c.Lifecycle, c.OwnerId, names.Owner, c.BranchId, names.Branch!,
            c.Points.OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Id)
                .Select(p => new ContactPointDto(p.Kind, p.Value, p.NormalizedValue, p.Label, p.IsPrimary)).ToList(),
            c.Tags.Select(t => t.Name).Order(StringComparer.Ordinal).ToList(),
            new PreferencesInput(c.Preferences.PreferredChannel, c.Preferences.BestDays, c.Preferences.BestFrom, c.Preferences.BestTo, c.Preferences.Language),
            new ConsentDto(Promotional(ConsentChannel.Sms), Promotional(ConsentChannel.Email), Promotional(ConsentChannel.Call), Promotional(ConsentChannel.Fax)),
            custom.ToDictionary(x => x.Key, x => CustomFieldRules.Wire(x.Value)),
            c.Version, c.CreatedAt, c.UpdatedAt, c.Purchases,
            row.Consents.OrderBy(x => x.Channel, StringComparer.Ordinal).ThenBy(x => x.Purpose)
                .Select(x => new ChannelConsentDto(x.Channel, x.Purpose, x.Status, x.ChangedAt, x.Source)).ToList());
    }

    private sealed record Row(Contact Contact, string? Branch, string? Owner, string? Company, List<CustomValue> CustomFields, List<ContactConsent> Consents);

    private sealed record CustomValue(string Key, CustomFieldValue Value);

    // Compiled and prepared (PreparedStatements), as every person page and GET /api/contacts/{id} runs it; one query. The person (the branch rule of
    // RecordAccess.VisibleTo as parameters: all branches, or those listed) with their phones and tags (owned), the
    // names of their branch, owner and company (if the caller may see it) as scalar subqueries, and the custom fields.
    private static readonly Func<PayvandDb, int, bool, int[], CancellationToken, Task<Row?>> Find = EF.CompileAsyncQuery(
        (PayvandDb db, int id, bool seesAll, int[] branches, CancellationToken ct) => db.Contacts.AsNoTracking().TagWith(PreparedStatements.Tag)
            .Where(x => x.Id == id && (seesAll || branches.Contains(x.BranchId)))
            .Select(x => new Row(
                x,
                db.Branches.Where(b => b.Id == x.BranchId).Select(b => b.Name).FirstOrDefault(),
                db.Users.Where(u => u.Id == x.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
                db.Companies.Where(co => co.Id == x.CompanyId && (seesAll || branches.Contains(co.BranchId))).Select(co => co.Name).FirstOrDefault(),
                (from v in db.CustomFieldValues
                 join f in db.CustomFields on v.FieldId equals f.Id
                 where v.Target == CustomFieldTarget.Contact && v.RecordId == x.Id
                 select new CustomValue(f.Key, v)).ToList(),
                db.ContactConsents.Where(k => k.ContactId == x.Id).ToList()))
            .SingleOrDefault());
}
