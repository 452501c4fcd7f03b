using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Notifications;
using Payvand.Platform.Persian;
using Payvand.Platform.Search;

namespace Payvand.Platform.Api;

public enum BulkAction
{
    AddTag,
    RemoveTag,
    Assign,
    Delete,
}

// Tag, assign or delete many records of a list at once (people, companies...): either the ids chosen in the list or
// every record matching the list's filter. Each changed record is audited like a single edit.
public sealed class BulkUpdate(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text, Notifier notifier)
{
    public const int MaxRecords = 10_000;

    public sealed record Response(int Affected);

    // What every list's bulk request holds besides its filter; the permission to delete records of the list.
    public sealed record Change(BulkAction Action, List<int>? Ids, bool HasFilter, bool FilterDeleted, string? Tag, int? OwnerId, string DeletePermission);

    // Chosen: the records the ids or the filter pick, from the list's query with their tags included; searchEntity:
    // the list's search index, which forgets deleted records. Answers how many records were picked.
    public async Task<Response> Handle<T, TTag>(
        Change change, Func<PayvandDb, List<int>?, IQueryable<T>> chosen, string searchEntity, UserScope user, CancellationToken ct)
        where T : class, ITaggedRecord<TTag>
        where TTag : RecordTag, new()
    {
        var v = new Validator(text);
        if (change.Ids is not { Count: > 0 } && !change.HasFilter) v.Add("ids", "Choose at least one record.");
        v.MaxCount("ids", change.Ids, MaxRecords);
        if (change.Action is BulkAction.AddTag or BulkAction.RemoveTag) v.Required("tag", change.Tag, "Tag");
        if (change.Action is BulkAction.AddTag && change.Tag is { } t && PersianText.Normalize(t).Length > RecordTag.MaxLength)
        {
            v.Add("tag", "A tag must be at most {0} characters.", RecordTag.MaxLength);
        }

        if (change.Action is BulkAction.Assign && change.OwnerId is null) v.Add("ownerId", "{0} is required.", text["Owner"]);
        if (change.Action is BulkAction.Delete) user.Require(change.DeletePermission, text["Only managers can delete records."]);
        if (change.FilterDeleted) user.Require(change.DeletePermission, text["Only managers can see deleted records."]);
        v.ThrowIfAny();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (change.OwnerId is { } ownerId && !await db.Users.AnyAsync(u => u.Id == ownerId && u.IsActive, ct))
        {
            v.Add("ownerId", "The owner was not found.").ThrowIfAny();
        }

        var records = await chosen(db, change.Ids is { Count: > 0 } ? change.Ids : null).OrderBy(r => r.Id).Take(MaxRecords + 1).ToListAsync(ct);
        if (records.Count > MaxRecords) throw new DomainRuleException(text["At most {0} records can be changed at once.", MaxRecords]);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var tag = change.Tag is null ? null : PersianText.Normalize(change.Tag);
        var now = clock.GetUtcNow().UtcDateTime;
        var given = 0;
        foreach (var record in records)
        {
            switch (change.Action)
            {
                case BulkAction.AddTag when record.Tags.All(x => x.Name != tag):
                    record.Tags.Add(new TTag { Name = tag! });
                    db.Entry(record).State = EntityState.Modified; // a changed tag list bumps the version like an edit
                    break;
                case BulkAction.RemoveTag when record.Tags.Any(x => x.Name == tag):
                    record.Tags.RemoveAll(x => x.Name == tag);
                    db.Entry(record).State = EntityState.Modified;
                    break;
                case BulkAction.Assign when record.OwnerId != change.OwnerId:
                    record.OwnerId = change.OwnerId;
                    given++;
                    break;
                case BulkAction.Delete when record.DeletedAt is null:
                    record.DeletedAt = now;
                    await SearchIndex.Remove(db, searchEntity, record.Id, ct);
                    break;
            }
        }

        if (given > 0 && change.OwnerId is { } owner && owner != user.UserId)
        {
            // The new owner is told, once for the whole change.
            var by = await Notifier.NameOf(db, user, ct);
            var (label, link) = searchEntity == "company" ? ("Companies", "companies") : ("People", "contacts");
            await notifier.Notify(db, [owner], new NotificationRequest("records.assigned", "{0} gave you {1} records of {2}.",
                [by, NotificationArg.Number(given), NotificationArg.Label(label)], link), ct);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Response(records.Count);
    }
}
