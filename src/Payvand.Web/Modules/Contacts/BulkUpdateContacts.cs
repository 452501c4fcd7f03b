using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Search;

namespace Payvand.Modules.Contacts;

public enum BulkAction
{
    AddTag,
    RemoveTag,
    Assign,
    Delete,
}

// Tag, assign or delete many people at once: either the ids chosen in the list or everyone matching a filter.
// Each changed record is audited like a single edit.
public sealed class BulkUpdateContacts(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public const int MaxRecords = 10_000;

    public sealed record Request(BulkAction Action, List<int>? Ids = null, ContactFilter? Filter = null, string? Tag = null, int? OwnerId = null);

    public sealed record Response(int Affected);

    public async Task<Response> Handle(Request request, UserScope user, CancellationToken ct)
    {
        var v = new Validator(text);
        if (request.Ids is not { Count: > 0 } && request.Filter is null) v.Add("ids", "Choose at least one record.");
        v.MaxCount("ids", request.Ids, MaxRecords);
        if (request.Action is BulkAction.AddTag or BulkAction.RemoveTag) v.Required("tag", request.Tag, "Tag");
        if (request.Tag is not null && PersianText.Normalize(request.Tag).Length > 50) v.Add("tag", "A tag must be at most {0} characters.", 50);
        if (request.Action is BulkAction.Assign && request.OwnerId is null) v.Add("ownerId", "{0} is required.", text["Owner"]);
        if (request.Action is BulkAction.Delete) user.Require(ContactsPermissions.Delete, text["Only managers can delete records."]);
        if (request.Filter is { Deleted: true }) user.Require(ContactsPermissions.Delete, text["Only managers can see deleted records."]);
        v.ThrowIfAny();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (request.OwnerId is { } ownerId && !await db.Users.AnyAsync(u => u.Id == ownerId && u.IsActive, ct))
        {
            v.Add("ownerId", "The owner was not found.").ThrowIfAny();
        }

        var query = request.Ids is { Count: > 0 } ids
            ? db.Contacts.VisibleTo(user).Where(c => ids.Contains(c.Id))
            : ListContacts.Query(db, request.Filter!, user);
        var contacts = await query.Include(c => c.Tags).OrderBy(c => c.Id).Take(MaxRecords + 1).ToListAsync(ct);
        if (contacts.Count > MaxRecords) throw new DomainRuleException(text["At most {0} records can be changed at once.", MaxRecords]);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var tag = request.Tag is null ? null : PersianText.Normalize(request.Tag);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var c in contacts)
        {
            switch (request.Action)
            {
                case BulkAction.AddTag when c.Tags.All(t => t.Name != tag):
                    c.Tags.Add(new ContactTag { Name = tag! });
                    db.Entry(c).State = EntityState.Modified;
                    break;
                case BulkAction.RemoveTag when c.Tags.Any(t => t.Name == tag):
                    c.Tags.RemoveAll(t => t.Name == tag);
                    db.Entry(c).State = EntityState.Modified;
                    break;
                case BulkAction.Assign:
                    c.OwnerId = request.OwnerId;
                    break;
                case BulkAction.Delete:
                    c.DeletedAt = now;
                    await SearchIndex.Remove(db, SaveContact.SearchEntity, c.Id, ct);
                    break;
            }
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Response(contacts.Count);
    }
}
