using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Extensions;
using Payvand.Platform.Localization;
using Payvand.Platform.Privacy;

namespace Payvand.Modules.Contacts;

// Whose value of a field the merged person keeps: the survivor's (the person merged into) or the other's.
public enum MergeSide
{
    Survivor,
    Other,
}

// Folds a duplicate (the other person) into the survivor, in one transaction: the survivor takes the chosen value of
// each field (unchosen fields keep the survivor's value, or the other's where the survivor has none), every module's
// IPersonalData moves its rows (phones, tags, consent history, timeline, custom fields, purchases...), the other
// person is soft-deleted with MergedIntoId, both are audited, and the search index follows. Both versions must be
// the ones the user compared (409 otherwise). Merging removes a person, so it is for Admins and Managers, like deleting.
public sealed class MergeContacts(
    IDbContextFactory<PayvandDb> dbFactory, IEnumerable<IPersonalData> parts, IEnumerable<IPersonBranchFollower> followers, TimeProvider clock,
    IStringLocalizer<SharedResource> text)
{
    public sealed record Request(int OtherId, int? Version, int? OtherVersion, Dictionary<string, MergeSide>? Choices = null);

    // The person's own fields a merge chooses between, by their JSON name. Custom fields are chosen as "cf.<key>".
    public static readonly IReadOnlyDictionary<string, Func<Contact, object?>> Fields = new Dictionary<string, Func<Contact, object?>>(StringComparer.Ordinal)
    {
        ["firstName"] = c => c.FirstName,
        ["lastName"] = c => c.LastName,
        ["nationalCode"] = c => c.NationalCode,
        ["birthDate"] = c => c.BirthDate,
        ["gender"] = c => c.Gender == Gender.Unknown ? null : c.Gender,
        ["jobTitle"] = c => c.JobTitle,
        ["companyId"] = c => c.CompanyId,
        ["address"] = c => c.Address,
        ["city"] = c => c.City,
        ["province"] = c => c.Province,
        ["postalCode"] = c => c.PostalCode,
        ["ownerId"] = c => c.OwnerId,
        ["branchId"] = c => c.BranchId,
        ["lifecycle"] = c => c.Lifecycle,
        ["source"] = c => c.Source,
        ["preferences"] = c => c.Preferences.PreferredChannel is null && c.Preferences.BestDays == ContactDays.None
            && c.Preferences.BestFrom is null && c.Preferences.BestTo is null && c.Preferences.Language is null ? null : c.Preferences,
    };

    public async Task<bool> Handle(int id, Request request, UserScope user, CancellationToken ct)
    {
        user.Require(ContactsPermissions.Merge, text["Only administrators and managers may merge people."]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var survivor = await db.Contacts.VisibleTo(user).Include(c => c.Points).Include(c => c.Tags).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (survivor is null) return false;

        var v = new Validator(text);
        if (request.Version is null) v.Add("version", "{0} is required.", "version");
        if (request.OtherVersion is null) v.Add("otherVersion", "{0} is required.", "otherVersion");
        var other = request.OtherId == id ? null
            : await db.Contacts.VisibleTo(user).Include(c => c.Points).Include(c => c.Tags).SingleOrDefaultAsync(c => c.Id == request.OtherId, ct);
        if (other is null) v.Add("otherId", request.OtherId == id ? "A person cannot be merged with themselves." : "The other person was not found.");
        var choices = request.Choices ?? [];
        var fieldKeys = await db.CustomFields.Where(f => f.Target == CustomFieldTarget.Contact).Select(f => new { f.Key, f.Id }).ToDictionaryAsync(f => f.Key, f => f.Id, ct);
        foreach (var key in choices.Keys.Where(k => !Fields.ContainsKey(k) && !(k.StartsWith("cf.", StringComparison.Ordinal) && fieldKeys.ContainsKey(k[3..]))))
        {
            v.Add("choices." + key, "There is no field {0}.", key);
        }

        v.ThrowIfAny();
        if (survivor.Version != request.Version || other!.Version != request.OtherVersion)
        {
            throw new DbUpdateConcurrencyException(text["Someone else changed this record after you opened it. Reload it and apply your change again."]);
        }

        db.Entry(survivor).Property(c => c.Version).OriginalValue = request.Version!.Value;
        db.Entry(other).Property(c => c.Version).OriginalValue = request.OtherVersion!.Value;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var (field, read) in Fields)
        {
            var side = choices.TryGetValue(field, out var chosen) ? chosen : read(survivor) is null && read(other) is not null ? MergeSide.Other : MergeSide.Survivor;
            if (side == MergeSide.Other) Take(field, survivor, other);
        }

        await ChooseCustomFields(db, survivor.Id, other.Id, choices, fieldKeys, ct);
        foreach (var part in parts) await part.MoveTo(db, other.Id, survivor.Id, ct);
        // The survivor's rows and those just moved to it are in its branch, the other person's when the merge chose it.
        await followers.Moved(db, [survivor.Id], survivor.BranchId, ct);

        var now = clock.GetUtcNow().UtcDateTime;
        other.DeletedAt = now;
        other.MergedIntoId = survivor.Id;
        survivor.Touch();
        db.Entry(survivor).State = EntityState.Modified; // bumps the version even when only moved rows changed
        var by = user.UserId > 0 ? user.UserId : (int?)null;
        var survivorId = survivor.Id.ToString(CultureInfo.InvariantCulture);
        var otherId = other.Id.ToString(CultureInfo.InvariantCulture);
        db.Audit.AddRange(
            new AuditEntry { At = now, UserId = by, UserName = user.UserName, Action = AuditAction.Merged, EntityType = nameof(Contact), EntityId = survivorId, Detail = $"#{otherId} merged into this person" },
            new AuditEntry { At = now, UserId = by, UserName = user.UserName, Action = AuditAction.Merged, EntityType = nameof(Contact), EntityId = otherId, Detail = $"Merged into #{survivorId}" });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    // Where a merged person went: the survivor at the end of the chain, when the caller sees it.
    public async Task<int?> MergedInto(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        int? at = id;
        for (var hops = 0; hops < 20 && at is { } current; hops++)
        {
            var next = await db.Contacts.IgnoreQueryFilters().VisibleTo(user).Where(c => c.Id == current).Select(c => c.MergedIntoId).SingleOrDefaultAsync(ct);
            if (next is null) return current == id ? null : await db.Contacts.VisibleTo(user).AnyAsync(c => c.Id == current, ct) ? current : null;
            at = next;
        }

        return null;
    }

    private static void Take(string field, Contact into, Contact from)
    {
        switch (field)
        {
            case "firstName": into.FirstName = from.FirstName; break;
            case "lastName": into.LastName = from.LastName; break;
            case "nationalCode": into.NationalCode = from.NationalCode; break;
            case "birthDate": into.BirthDate = from.BirthDate; break;
            case "gender": into.Gender = from.Gender; break;
            case "jobTitle": into.JobTitle = from.JobTitle; break;
            case "companyId": into.CompanyId = from.CompanyId; break;
            case "address": into.Address = from.Address; break;
            case "city": into.City = from.City; break;
            case "province": into.Province = from.Province; break;
            case "postalCode": into.PostalCode = from.PostalCode; break;
            case "ownerId": into.OwnerId = from.OwnerId; break;
            case "branchId": into.BranchId = from.BranchId; break;
            case "lifecycle": into.Lifecycle = from.Lifecycle; break;
            case "source": into.Source = from.Source; break;
            case "preferences":
                into.Preferences.PreferredChannel = from.Preferences.PreferredChannel;
                into.Preferences.BestDays = from.Preferences.BestDays;
                into.Preferences.BestFrom = from.Preferences.BestFrom;
                into.Preferences.BestTo = from.Preferences.BestTo;
                into.Preferences.Language = from.Preferences.Language;
                break;
        }
    }

    // A chosen custom field drops the losing side's value; CustomFields' MoveTo then moves what the survivor lacks.
    private static async Task ChooseCustomFields(PayvandDb db, int survivorId, int otherId, Dictionary<string, MergeSide> choices,
        Dictionary<string, int> fieldKeys, CancellationToken ct)
    {
        foreach (var (key, side) in choices.Where(c => c.Key.StartsWith("cf.", StringComparison.Ordinal)))
        {
            var fieldId = fieldKeys[key[3..]];
            var loser = side == MergeSide.Other ? survivorId : otherId;
            await db.CustomFieldValues.Where(x => x.Target == CustomFieldTarget.Contact && x.RecordId == loser && x.FieldId == fieldId).ExecuteDeleteAsync(ct);
        }
    }
}
