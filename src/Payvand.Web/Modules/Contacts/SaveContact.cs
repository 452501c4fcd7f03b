using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Events;
using Payvand.Platform.Extensions;
using Payvand.Platform.Localization;
using Payvand.Platform.Notifications;
using Payvand.Platform.Search;

namespace Payvand.Modules.Contacts;

// A person was created one at a time (the form, the API, a purchase or a web form; not an import of existing people):
// raised in the creating transaction, for reactions such as a welcome message.
public sealed record ContactCreated(int ContactId, int BranchId, RecordSource Source, DateTime CreatedAt);

// Creates a person or changes one, with validation in the user's language, custom fields, the search index
// and the audit trail written in one transaction. A stale version is refused (409). A creation raises ContactCreated.
public sealed class SaveContact(
    IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text, IEnumerable<IPersonBranchFollower> followers,
    EventOutbox events, Notifier notifier)
{
    public const string SearchEntity = "contact";

    private static readonly CustomerSave<Contact> Writes = new(CustomFieldTarget.Contact, SearchEntity, Terms);

    public async Task<int> Create(ContactInput input, UserScope user, CancellationToken ct, RecordSource defaultSource = RecordSource.Manual)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Create(db, input, user, ct, defaultSource);
    }

    // The same in the caller's context, inside its transaction when one is open (a purchase creates its person in its own).
    public async Task<int> Create(PayvandDb db, ContactInput input, UserScope user, CancellationToken ct, RecordSource defaultSource = RecordSource.Manual)
    {
        var contact = new Contact
        {
            LastName = "",
            Source = input.Source ?? defaultSource,
            BranchId = await user.ChooseBranch(input.BranchId, db, text, ct),
            OwnerId = input.OwnerId ?? (user.UserId > 0 ? user.UserId : null),
        };
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var id = await Writes.Create(db, contact, values => Apply(db, contact, input with { OwnerId = input.OwnerId ?? contact.OwnerId }, values, user, ct), ct);
        events.Add(db, new ContactCreated(id, contact.BranchId, contact.Source, contact.CreatedAt));
        await TellOwner(db, contact, null, user, ct);
        await db.SaveChangesAsync(ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return id;
    }

    public async Task<bool> Update(int id, ContactInput input, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var contact = await db.Contacts.VisibleTo(user).Include(c => c.Points).Include(c => c.Tags).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null) return false;
        await Writes.Update(db, contact, input.Version, text, async values =>
        {
            if (input.BranchId is { } branch && branch != contact.BranchId)
            {
                // The person's purchases and timeline follow them to the new branch, in this transaction.
                contact.BranchId = await user.ChooseBranch(branch, db, text, ct);
                await followers.Moved(db, [contact.Id], contact.BranchId, ct);
            }

            var ownerBefore = contact.OwnerId;
            var removed = await Apply(db, contact, input, values, user, ct);
            await TellOwner(db, contact, ownerBefore, user, ct);
            return removed;
        }, ct);
        return true;
    }

    private async Task<List<CustomFieldValue>> Apply(PayvandDb db, Contact contact, ContactInput input, List<CustomFieldValue> values, UserScope user, CancellationToken ct)
    {
        var validator = new Validator(text);
        var fields = await db.CustomFields.AsNoTracking().Where(f => f.Target == CustomFieldTarget.Contact).ToListAsync(ct);
        if (input.CompanyId is { } companyId && !await db.Companies.VisibleTo(user).AnyAsync(c => c.Id == companyId, ct))
        {
            validator.Add("companyId", "The company was not found.");
        }

        if (input.OwnerId is { } ownerId && !await db.Users.AnyAsync(u => u.Id == ownerId && u.IsActive, ct))
        {
            validator.Add("ownerId", "The owner was not found.");
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return input.ApplyTo(contact, validator, fields, values, today);
    }

    // A person given to someone by someone else: the new owner is told (the bell), in the change's transaction.
    private async Task<bool> TellOwner(PayvandDb db, Contact contact, int? ownerBefore, UserScope user, CancellationToken ct)
    {
        if (contact.OwnerId is not { } owner || owner == ownerBefore || owner == user.UserId) return false;
        var by = await Notifier.NameOf(db, user, ct);
        await notifier.Notify(db, [owner], new NotificationRequest("contact.owner", "{0} made you the owner of {1}.", [by, contact.DisplayName],
            $"contacts/{contact.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}"), ct);
        return true;
    }

    public static IEnumerable<string> Terms(Contact c) => SearchIndex.TermsFor(
        [c.FirstName, c.LastName, $"{c.FirstName} {c.LastName}"],
        c.Points.Where(p => p.Kind != ContactPointKind.Email).Select(p => p.NormalizedValue),
        c.Points.Where(p => p.Kind == ContactPointKind.Email).Select(p => p.NormalizedValue).Append(c.NationalCode));
}
