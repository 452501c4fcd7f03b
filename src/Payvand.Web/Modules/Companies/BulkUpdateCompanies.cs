using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;

namespace Payvand.Modules.Companies;

// Tag, assign or delete many companies at once (BulkUpdate): the ids chosen in the list or every company matching a filter.
public sealed class BulkUpdateCompanies(BulkUpdate bulk)
{
    public sealed record Request(BulkAction Action, List<int>? Ids = null, CompanyFilter? Filter = null, string? Tag = null, int? OwnerId = null);

    public Task<BulkUpdate.Response> Handle(Request r, UserScope user, CancellationToken ct) => bulk.Handle<Company, CompanyTag>(
        new(r.Action, r.Ids, r.Filter is not null, r.Filter?.Deleted == true, r.Tag, r.OwnerId, CompaniesPermissions.Delete),
        (db, ids) => (ids is null ? ListCompanies.Query(db, r.Filter!, user) : db.Companies.VisibleTo(user).Where(c => ids.Contains(c.Id))).Include(c => c.Tags),
        SaveCompany.SearchEntity, user, ct);
}
