using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Modules.Purchases;

// The filters of the purchases list (GET /api/purchases, the purchases page, a person's purchases tab).
public sealed record PurchaseFilter
{
    public int? ContactId { get; init; }

    public int? BranchId { get; init; }

    // UTC instants, From inclusive, To exclusive.
    public DateTime? From { get; init; }

    public DateTime? To { get; init; }

    public PurchaseChannel? Channel { get; init; }

    public string? SourceSystem { get; init; }
}

public sealed record PurchaseRow(
    int Id, int? ContactId, string? ContactName, int BranchId, string? BranchName, PurchaseChannel Channel, string? SourceSystem,
    string? ExternalOrderId, DateTime OccurredAt, string Currency, long Total, long Refunded, long Net, int LineCount);

// Purchases of the caller's branches, newest first unless sorted otherwise, a page at a time.
public sealed class ListPurchases(IDbContextFactory<PayvandDb> dbFactory)
{
    public static readonly string[] SortFields = ["occurredAt", "total", "net"];

    public async Task<PagedResult<PurchaseRow>> Handle(PurchaseFilter filter, PageRequest page, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Query(db, filter, user);
        var visibleContacts = db.Contacts.VisibleTo(user);
        // The person's names as two scalar subqueries by primary key: projecting them as one object makes EF Core join
        // a ROW_NUMBER() over every person on SQLite, which costs a scan of all people per page.
        var rows = await Sort(query, page.Sort, page.Desc).Skip(page.Skip).Take(page.ReadSize)
            .Select(p => new
            {
                p.Id,
                p.ContactId,
                p.BranchId,
                p.Channel,
                p.SourceSystem,
                p.ExternalOrderId,
                p.OccurredAt,
                p.Currency,
                p.Total,
                p.Refunded,
                FirstName = visibleContacts.Where(c => c.Id == p.ContactId).Select(c => c.FirstName).FirstOrDefault(),
                LastName = visibleContacts.Where(c => c.Id == p.ContactId).Select(c => c.LastName).FirstOrDefault(),
                Branch = db.Branches.Where(b => b.Id == p.BranchId).Select(b => b.Name).FirstOrDefault(),
                LineCount = p.Lines.Count,
            }).ToListAsync(ct);
        var (total, lowerBound) = await PagedCount.Total(query, page, rows.Count, ct);
        return new PagedResult<PurchaseRow>(rows.Take(page.SafePageSize).Select(p => new PurchaseRow(
            p.Id, p.ContactId, p.LastName is null ? null : GetPurchase.Name(p.FirstName, p.LastName), p.BranchId, p.Branch,
            p.Channel, p.SourceSystem, p.ExternalOrderId, p.OccurredAt, p.Currency, p.Total, p.Refunded, p.Total - p.Refunded, p.LineCount)).ToList(),
            total, page.SafePage, page.SafePageSize, lowerBound);
    }

    public static IQueryable<Purchase> Query(PayvandDb db, PurchaseFilter f, UserScope user)
    {
        var query = db.Purchases.AsNoTracking().VisibleTo(user);
        if (f.ContactId is { } contact) query = query.Where(p => p.ContactId == contact);
        if (f.BranchId is { } branch) query = query.Where(p => p.BranchId == branch);
        if (f.From is { } from) query = query.Where(p => p.OccurredAt >= from);
        if (f.To is { } to) query = query.Where(p => p.OccurredAt < to);
        if (f.Channel is { } channel) query = query.Where(p => p.Channel == channel);
        if (!string.IsNullOrWhiteSpace(f.SourceSystem)) query = query.Where(p => p.SourceSystem == f.SourceSystem.Trim());
        return query;
    }

    public static IQueryable<Purchase> Sort(IQueryable<Purchase> query, string? sort, bool desc) => (sort?.ToLowerInvariant(), desc) switch
    {
        ("total", false) => query.OrderBy(p => p.Total).ThenBy(p => p.Id),
        ("total", true) => query.OrderByDescending(p => p.Total).ThenByDescending(p => p.Id),
        ("net", false) => query.OrderBy(p => p.Total - p.Refunded).ThenBy(p => p.Id),
        ("net", true) => query.OrderByDescending(p => p.Total - p.Refunded).ThenByDescending(p => p.Id),
        ("occurredat", false) => query.OrderBy(p => p.OccurredAt).ThenBy(p => p.Id),
        _ => query.OrderByDescending(p => p.OccurredAt).ThenByDescending(p => p.Id),
    };
}
