using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Segments;

namespace Payvand.Modules.Contacts;

// Tag, assign or delete many people at once (BulkUpdate): the ids chosen in the list or everyone matching a filter.
public sealed class BulkUpdateContacts(BulkUpdate bulk, ISegmentFilter segments)
{
    public sealed record Request(BulkAction Action, List<int>? Ids = null, ContactFilter? Filter = null, string? Tag = null, int? OwnerId = null);

    public Task<BulkUpdate.Response> Handle(Request r, UserScope user, CancellationToken ct) => bulk.Handle<Contact, ContactTag>(
        new(r.Action, r.Ids, r.Filter is not null, r.Filter?.Deleted == true, r.Tag, r.OwnerId, ContactsPermissions.Delete),
        (db, ids) => (ids is null ? ListContacts.Query(db, r.Filter!, user, segments: segments) : db.Contacts.VisibleTo(user).Where(c => ids.Contains(c.Id))).Include(c => c.Tags),
        SaveContact.SearchEntity, user, ct);
}
