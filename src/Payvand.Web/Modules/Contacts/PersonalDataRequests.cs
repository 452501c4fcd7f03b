using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Privacy;

namespace Payvand.Modules.Contacts;

public sealed record PersonalDataMapField(string Table, string Column, PersonalDataTreatment OnErase, string Why);

public sealed record PersonalDataMapSection(string Section, IReadOnlyList<PersonalDataMapField> Fields);

public sealed record PersonalDataExport(int ContactId, DateTime ExportedAt, IReadOnlyList<int> MergedIds, IReadOnlyDictionary<string, object?> Sections);

// A person's rights over their data, across every module that registered an IPersonalData: see it all (export) and
// have it erased. Both reach the person and everyone merged into them, since a merge folds one person's data into another.
//
// Who may: exporting is for Admins and Managers (a branch manager answers a customer of their branch; the branch rule
// applies, another branch's person is 404). Erasing is for Admins only: it cannot be undone, it destroys evidence other
// branches may rely on, and the law puts it on the company as a whole, so one accountable role does it.
public sealed class PersonalDataRequests(
    IDbContextFactory<PayvandDb> dbFactory, IEnumerable<IPersonalData> parts, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public sealed record EraseRequest(string? Confirmation, string? Reason);

    public IReadOnlyList<PersonalDataMapSection> Map() => parts
        .OrderBy(p => p.Section, StringComparer.Ordinal)
        .Select(p => new PersonalDataMapSection(p.Section, p.Fields.Select(f => new PersonalDataMapField(f.Table, f.Column, f.OnErase, text[f.Why])).ToList()))
        .ToList();

    public async Task<PersonalDataExport?> Export(int id, UserScope user, CancellationToken ct)
    {
        user.Require(ContactsPermissions.PersonalData, text["Only administrators and managers may export a person's data."]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Contacts.IgnoreQueryFilters().VisibleTo(user).AnyAsync(c => c.Id == id && c.MergedIntoId == null, ct)) return null;
        var merged = await MergedInto(db, id, ct);
        var sections = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            var mine = await part.Export(db, id, ct);
            if (merged.Count == 0)
            {
                sections[part.Section] = mine;
                continue;
            }

            // The people merged into this one are exported beside it, each under its own id.
            var all = new SortedDictionary<string, object?>(StringComparer.Ordinal) { [id.ToString(CultureInfo.InvariantCulture)] = mine };
            foreach (var other in merged) all[other.ToString(CultureInfo.InvariantCulture)] = await part.Export(db, other, ct);
            sections[part.Section] = all;
        }

        return new PersonalDataExport(id, clock.GetUtcNow().UtcDateTime, merged, sections);
    }

    public async Task<bool> Erase(int id, EraseRequest request, UserScope user, CancellationToken ct)
    {
        user.Require(ContactsPermissions.Erase, text["Only administrators may erase a person's data."]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // A deleted person's data is still held, so it can be erased too; one merged into another is erased through the survivor.
        var contact = await db.Contacts.IgnoreQueryFilters().VisibleTo(user).AsNoTracking().Include(c => c.Points)
            .SingleOrDefaultAsync(c => c.Id == id && c.MergedIntoId == null, ct);
        if (contact is null) return false;

        // Typing the person's name, as the confirmation dialog asks, guards against erasing the wrong person by id.
        var v = new Validator(text);
        if (PersianText.Normalize(request.Confirmation ?? "") != PersianText.Normalize(contact.DisplayName))
        {
            v.Add("confirmation", "Type the person's full name to confirm.");
        }

        v.Required("reason", request.Reason, "Reason").MaxLength("reason", request.Reason, 500, "Reason").ThrowIfAny();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ids = (await MergedInto(db, id, ct)).Prepend(id).ToList();
        foreach (var person in ids)
        {
            foreach (var part in parts) await part.Erase(db, person, ct);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await db.Contacts.IgnoreQueryFilters().Where(c => ids.Contains(c.Id) && c.DeletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.DeletedAt, now), ct);
        db.Audit.Add(new AuditEntry
        {
            At = now,
            UserId = user.UserId > 0 ? user.UserId : null,
            UserName = user.UserName,
            Action = AuditAction.Erased,
            EntityType = ContactAuditPersonalData.EntityType,
            EntityId = id.ToString(CultureInfo.InvariantCulture),
            Detail = Redact(request.Reason!.Trim(), contact) + (ids.Count > 1 ? $" (+{string.Join(", ", ids.Skip(1).Select(i => "#" + i.ToString(CultureInfo.InvariantCulture)))})" : ""),
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    // Everyone merged into the person, directly or through others merged into them.
    private static async Task<List<int>> MergedInto(PayvandDb db, int id, CancellationToken ct)
    {
        var found = new List<int>();
        var frontier = new List<int> { id };
        while (frontier.Count > 0)
        {
            var current = frontier;
            frontier = await db.Contacts.IgnoreQueryFilters().Where(c => c.MergedIntoId != null && current.Contains(c.MergedIntoId.Value))
                .Select(c => c.Id).ToListAsync(ct);
            frontier.RemoveAll(found.Contains);
            found.AddRange(frontier);
        }

        return found;
    }

    // The reason is the administrator's words and stays in the audit trail; the person's name, numbers and codes do not.
    private static string Redact(string reason, Contact person)
    {
        var known = new[] { person.DisplayName, person.FirstName, person.LastName, person.NationalCode }
            .Concat(person.Points.SelectMany(p => new[] { p.Value, p.NormalizedValue }))
            .Where(s => !string.IsNullOrWhiteSpace(s) && s.Length >= 3)
            .OrderByDescending(s => s!.Length);
        foreach (var value in known) reason = reason.Replace(value!, "…", StringComparison.OrdinalIgnoreCase);
        return reason;
    }
}
