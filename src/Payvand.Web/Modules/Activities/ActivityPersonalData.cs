using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Privacy;

namespace Payvand.Modules.Activities;

// A person's timeline: what was said in notes, calls, meetings, emails and SMS, and the numbers and addresses used.
// Erasing deletes the person's entries; an entry that is also on a company's timeline stays for the company (that
// a call happened is the company's history) but loses the person and every word of it. Merging moves the entries to
// the survivor, into the survivor's branch, since an entry is seen by whoever sees its person.
public sealed class ActivityPersonalData : IPersonalData
{
    public string Section => "timeline";

    public IReadOnlyList<PersonalDataField> Fields { get; } =
    [
        new("Activities", nameof(Activity.Subject), PersonalDataTreatment.Deleted, "What was discussed"),
        new("Activities", nameof(Activity.Body), PersonalDataTreatment.Deleted, "Notes, call summaries, email and SMS bodies"),
        new("Activities", nameof(Activity.PhoneNumber), PersonalDataTreatment.Deleted, "The person's number on a call or SMS"),
        new("Activities", nameof(Activity.EmailAddress), PersonalDataTreatment.Deleted, "The person's address on an email"),
        new("Activities", nameof(Activity.Location), PersonalDataTreatment.Deleted, "Where a meeting with the person took place"),
        new("Activities", nameof(Activity.Data), PersonalDataTreatment.Deleted, "The facts of an entry another module wrote (amounts of a purchase, points earned)"),
    ];

    public async Task<object?> Export(PayvandDb db, int contactId, CancellationToken ct) =>
        await db.Activities.AsNoTracking().Where(a => a.ContactId == contactId).OrderBy(a => a.OccurredAt).ThenBy(a => a.Id)
            .Select(a => new
            {
                a.Kind,
                a.Type,
                a.OccurredAt,
                a.Subject,
                a.Body,
                a.Data,
                a.Direction,
                a.PhoneNumber,
                a.EmailAddress,
                a.DurationSeconds,
                a.Outcome,
                a.FollowUpAt,
                a.EndsAt,
                a.Location,
                a.CompanyId,
                a.CreatedAt,
            })
            .ToListAsync(ct);

    public async Task Erase(PayvandDb db, int contactId, CancellationToken ct)
    {
        await db.Activities.Where(a => a.ContactId == contactId && a.CompanyId == null).ExecuteDeleteAsync(ct);
        await db.Activities.Where(a => a.ContactId == contactId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.ContactId, (int?)null)
            .SetProperty(a => a.Subject, (string?)null)
            .SetProperty(a => a.Body, (string?)null)
            .SetProperty(a => a.PhoneNumber, (string?)null)
            .SetProperty(a => a.EmailAddress, (string?)null)
            .SetProperty(a => a.Location, (string?)null)
            .SetProperty(a => a.Data, (string?)null), ct);
    }

    public async Task MoveTo(PayvandDb db, int fromContactId, int intoContactId, CancellationToken ct)
    {
        // A tracking query returns the merge's own (not yet saved) survivor, so a branch chosen in this merge is the one used.
        var branch = (await db.Contacts.IgnoreQueryFilters().SingleAsync(c => c.Id == intoContactId, ct)).BranchId;
        await db.Activities.Where(a => a.ContactId == fromContactId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.ContactId, intoContactId)
            .SetProperty(a => a.BranchId, branch), ct);
    }
}
