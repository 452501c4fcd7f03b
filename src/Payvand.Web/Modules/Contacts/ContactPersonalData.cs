using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Privacy;
using Payvand.Platform.Search;

namespace Payvand.Modules.Contacts;

// The person row itself with its phones, emails, tags and preferences, the consent history and the search terms.
//
// Erase anonymizes the row instead of deleting it, so records other modules must keep (purchases, invoices) still
// point at a row, which now says "Erased person #id" and nothing else. Consent history is evidence that we honoured
// an opt-out, so opt-out rows keep their channel, time and who recorded it, but lose their source and note (which
// may name a number or quote a message); opt-ins are deleted, as nobody may be contacted on an erased person's behalf.
// All of it is set-based: a tracked change would write the old values into the audit trail again.
public sealed class ContactPersonalData : IPersonalData
{
    public const string ErasedSource = "erased";

    public string Section => "person";

    public IReadOnlyList<PersonalDataField> Fields { get; } =
    [
        new("Contacts", nameof(Contact.FirstName), PersonalDataTreatment.Deleted, "The person's name"),
        new("Contacts", nameof(Contact.LastName), PersonalDataTreatment.Anonymized, "The person's name; replaced by \"Erased person #id\" so linked records still point at a row"),
        new("Contacts", nameof(Contact.SortName), PersonalDataTreatment.Anonymized, "Normalized name for sorting and duplicates; follows the last name"),
        new("Contacts", nameof(Contact.FirstNameKey), PersonalDataTreatment.Deleted, "Normalized first name for the first-name filter; follows the first name"),
        new("Contacts", nameof(Contact.LastNameKey), PersonalDataTreatment.Anonymized, "Normalized last name for the last-name filter; follows the last name"),
        new("Contacts", nameof(Contact.SearchText), PersonalDataTreatment.Deleted, "Name parts, phones, emails and national code in one line for list search"),
        new("Contacts", nameof(Contact.NationalCode), PersonalDataTreatment.Deleted, "Identifies the person"),
        new("Contacts", nameof(Contact.BirthDate), PersonalDataTreatment.Deleted, "Identifies the person"),
        new("Contacts", nameof(Contact.BirthMonthDay), PersonalDataTreatment.Deleted, "The Jalali month and day of the birth date, for birthday messages; follows the birth date"),
        new("Contacts", nameof(Contact.Gender), PersonalDataTreatment.Deleted, "Describes the person (set to Unknown)"),
        new("Contacts", nameof(Contact.JobTitle), PersonalDataTreatment.Deleted, "Describes the person"),
        new("Contacts", nameof(Contact.CompanyId), PersonalDataTreatment.Deleted, "The person's employer"),
        new("Contacts", nameof(Contact.Address), PersonalDataTreatment.Deleted, "Where the person lives"),
        new("Contacts", nameof(Contact.City), PersonalDataTreatment.Deleted, "Where the person lives"),
        new("Contacts", nameof(Contact.Province), PersonalDataTreatment.Deleted, "Where the person lives"),
        new("Contacts", nameof(Contact.PostalCode), PersonalDataTreatment.Deleted, "Where the person lives"),
        new("Contacts", "Preferences_Language", PersonalDataTreatment.Deleted, "The person's language"),
        new("Contacts", "Preferences_BestFrom", PersonalDataTreatment.Deleted, "When the person may be called"),
        new("Contacts", "Preferences_BestTo", PersonalDataTreatment.Deleted, "When the person may be called"),
        new("ContactReach", nameof(ContactReach.BestFrom), PersonalDataTreatment.Deleted, "Copy of Preferences_BestFrom for Reachability, kept by the database"),
        new("ContactReach", nameof(ContactReach.BestTo), PersonalDataTreatment.Deleted, "Copy of Preferences_BestTo for Reachability, kept by the database"),
        new("ContactPoints", nameof(ContactPoint.Value), PersonalDataTreatment.Deleted, "Phone numbers and email addresses (row deleted)"),
        new("ContactPoints", nameof(ContactPoint.NormalizedValue), PersonalDataTreatment.Deleted, "Phone numbers and email addresses (row deleted)"),
        new("ContactPoints", nameof(ContactPoint.Label), PersonalDataTreatment.Deleted, "Labels of phones and emails (row deleted)"),
        new("ContactTags", nameof(ContactTag.Name), PersonalDataTreatment.Deleted, "Tags describe the person (row deleted)"),
        new("ConsentRecords", nameof(ConsentRecord.Source), PersonalDataTreatment.Anonymized, "Where a consent came from may name a number; opt-outs keep channel and time as evidence, opt-ins are deleted"),
        new("ConsentRecords", nameof(ConsentRecord.Note), PersonalDataTreatment.Deleted, "Free text about the consent"),
        new("ContactConsents", nameof(ContactConsent.Source), PersonalDataTreatment.Anonymized, "Where the current consent came from; opt-outs are kept (so nobody sends again), opt-ins deleted"),
        new("SearchTerms", nameof(SearchTerm.Term), PersonalDataTreatment.Deleted, "Name parts, phones, emails and national code indexed for search (rows deleted)"),
        new("SearchTerms", nameof(SearchTerm.SortKey), PersonalDataTreatment.Deleted, "The name as the list sorts it, kept with each search term (rows deleted)"),
    ];

    public static string ErasedName(int id) => $"Erased person #{id}";

    public async Task<object?> Export(PayvandDb db, int contactId, CancellationToken ct)
    {
        var c = await db.Contacts.IgnoreQueryFilters().AsNoTracking().Include(x => x.Points).Include(x => x.Tags)
            .SingleOrDefaultAsync(x => x.Id == contactId, ct);
        if (c is null) return null;
        var consent = await db.ConsentRecords.AsNoTracking().Where(r => r.ContactId == contactId).OrderBy(r => r.RecordedAt).ThenBy(r => r.Id)
            .Select(r => new { r.Channel, r.Purpose, r.Status, r.Source, r.RecordedAt, r.Note }).ToListAsync(ct);
        var current = await db.ContactConsents.AsNoTracking().Where(x => x.ContactId == contactId).OrderBy(x => x.Channel).ThenBy(x => x.Purpose)
            .Select(x => new { x.Channel, x.Purpose, x.Status, x.Source, x.ChangedAt }).ToListAsync(ct);
        return new
        {
            c.Id,
            c.FirstName,
            c.LastName,
            c.NationalCode,
            c.BirthDate,
            c.Gender,
            c.JobTitle,
            c.CompanyId,
            c.Address,
            c.City,
            c.Province,
            c.PostalCode,
            c.Source,
            c.Lifecycle,
            c.BranchId,
            c.OwnerId,
            c.CreatedAt,
            c.UpdatedAt,
            c.DeletedAt,
            c.MergedIntoId,
            Points = c.Points.Select(p => new { p.Kind, p.Value, p.Label, p.IsPrimary }),
            Tags = c.Tags.Select(t => t.Name),
            c.Preferences,
            Consent = current,
            ConsentHistory = consent,
        };
    }

    public async Task Erase(PayvandDb db, int contactId, CancellationToken ct)
    {
        var name = ErasedName(contactId);
        var sortName = Payvand.Platform.Persian.PersianText.Normalize(name);
        var lastNameKey = Contact.NameKey(name);
        await db.Contacts.IgnoreQueryFilters().Where(c => c.Id == contactId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.FirstName, (string?)null)
            .SetProperty(c => c.LastName, name)
            .SetProperty(c => c.SortName, sortName)
            .SetProperty(c => c.FirstNameKey, (string?)null)
            .SetProperty(c => c.LastNameKey, lastNameKey)
            .SetProperty(c => c.SearchText, (string?)null)
            .SetProperty(c => c.NationalCode, (string?)null)
            .SetProperty(c => c.BirthDate, (DateOnly?)null)
            .SetProperty(c => c.BirthMonthDay, (int?)null)
            .SetProperty(c => c.Gender, Gender.Unknown)
            .SetProperty(c => c.JobTitle, (string?)null)
            .SetProperty(c => c.CompanyId, (int?)null)
            .SetProperty(c => c.Address, (string?)null)
            .SetProperty(c => c.City, (string?)null)
            .SetProperty(c => c.Province, (string?)null)
            .SetProperty(c => c.PostalCode, (string?)null)
            .SetProperty(c => c.Preferences.Language, (string?)null)
            .SetProperty(c => c.Preferences.BestFrom, (TimeOnly?)null)
            .SetProperty(c => c.Preferences.BestTo, (TimeOnly?)null)
            .SetProperty(c => c.Preferences.BestDays, ContactDays.None)
            .SetProperty(c => c.Preferences.PreferredChannel, (ContactPointKind?)null)
            .SetProperty(c => c.Version, c => c.Version + 1), ct);

        // Owned rows have no DbSet of their own to delete through; their table and key column are fixed by ContactConfiguration.
        await db.Database.ExecuteSqlAsync($"DELETE FROM \"ContactPoints\" WHERE \"ContactId\" = {contactId}", ct);
        await db.Database.ExecuteSqlAsync($"DELETE FROM \"ContactTags\" WHERE \"ContactId\" = {contactId}", ct);

        await db.ConsentRecords.Where(r => r.ContactId == contactId && r.Status != ConsentStatus.OptedOut).ExecuteDeleteAsync(ct);
        await db.ConsentRecords.Where(r => r.ContactId == contactId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Source, ErasedSource)
            .SetProperty(r => r.Note, (string?)null), ct);
        await db.ContactConsents.Where(x => x.ContactId == contactId && x.Status != ConsentStatus.OptedOut).ExecuteDeleteAsync(ct);
        await db.ContactConsents.Where(x => x.ContactId == contactId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Source, ErasedSource), ct);
        await SearchIndex.Remove(db, SaveContact.SearchEntity, contactId, ct);
    }

    // The merge itself (MergeContacts) decides the person's own fields; what moves here is what both have many of:
    // phones and emails and tags (union, no duplicates) and the whole consent history (both kept). The current consent
    // per channel is then the most recent decision of either person.
    public async Task MoveTo(PayvandDb db, int fromContactId, int intoContactId, CancellationToken ct)
    {
        var both = await db.Contacts.IgnoreQueryFilters().Include(c => c.Points).Include(c => c.Tags)
            .Where(c => c.Id == fromContactId || c.Id == intoContactId).ToListAsync(ct);
        var from = both.Single(c => c.Id == fromContactId);
        var into = both.Single(c => c.Id == intoContactId);
        foreach (var point in from.Points.Where(p => !into.Points.Any(x => x.Kind == p.Kind && x.NormalizedValue == p.NormalizedValue)))
        {
            into.Points.Add(new ContactPoint
            {
                Kind = point.Kind,
                Value = point.Value,
                NormalizedValue = point.NormalizedValue,
                Label = point.Label,
                IsPrimary = point.IsPrimary && !into.Points.Any(x => x.Kind == point.Kind && x.IsPrimary),
            });
        }

        foreach (var tag in from.Tags.Where(t => into.Tags.All(x => x.Name != t.Name))) into.Tags.Add(new ContactTag { Name = tag.Name });
        from.Points.Clear();
        from.Tags.Clear();

        await db.ConsentRecords.Where(r => r.ContactId == fromContactId).ExecuteUpdateAsync(s => s.SetProperty(r => r.ContactId, intoContactId), ct);
        var history = await db.ConsentRecords.AsNoTracking().Where(r => r.ContactId == intoContactId)
            .Select(r => new { r.Id, r.Channel, r.Purpose, r.Status, r.Source, r.RecordedAt }).ToListAsync(ct);
        var latest = history.GroupBy(r => (r.Channel, r.Purpose)).Select(g => g.OrderByDescending(r => r.RecordedAt).ThenByDescending(r => r.Id).First());
        var fromConsents = await db.ContactConsents.Where(x => x.ContactId == fromContactId).ToListAsync(ct);
        var intoConsents = await db.ContactConsents.Where(x => x.ContactId == intoContactId).ToListAsync(ct);

        // A channel and purpose with no history on either side (consent set before histories were kept) keeps the
        // survivor's current value, else the other person's.
        foreach (var other in fromConsents.Where(f => !intoConsents.Any(i => i.Channel == f.Channel && i.Purpose == f.Purpose)))
        {
            var copy = new ContactConsent { ContactId = intoContactId, Channel = other.Channel, Purpose = other.Purpose, Status = other.Status, ChangedAt = other.ChangedAt, Source = other.Source };
            db.ContactConsents.Add(copy);
            intoConsents.Add(copy);
        }

        db.ContactConsents.RemoveRange(fromConsents);
        foreach (var decision in latest)
        {
            var current = intoConsents.FirstOrDefault(i => i.Channel == decision.Channel && i.Purpose == decision.Purpose);
            if (current is null)
            {
                db.ContactConsents.Add(new ContactConsent
                {
                    ContactId = intoContactId,
                    Channel = decision.Channel,
                    Purpose = decision.Purpose,
                    Status = decision.Status,
                    ChangedAt = decision.RecordedAt,
                    Source = decision.Source,
                });
            }
            else
            {
                (current.Status, current.ChangedAt, current.Source) = (decision.Status, decision.RecordedAt, decision.Source);
            }
        }

        into.Touch();
        from.Touch();
        await SearchIndex.Replace(db, SaveContact.SearchEntity, intoContactId, SaveContact.Terms(into), into.SortName, ct);
        await SearchIndex.Remove(db, SaveContact.SearchEntity, fromContactId, ct);
    }
}
