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

// A purchase as the list and its export read it; ContactName is null when the caller may not see the person.
public sealed record ListedPurchase
{
    public int Id { get; init; }

    public int? ContactId { get; init; }

    public int BranchId { get; init; }

    public PurchaseChannel Channel { get; init; }

    public string? SourceSystem { get; init; }

    public string? ExternalOrderId { get; init; }

    public DateTime OccurredAt { get; init; }

    public string Currency { get; init; } = "";

    public long Discount { get; init; }

    public long Total { get; init; }

    public long Refunded { get; init; }

    public DateTime CreatedAt { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? Branch { get; init; }

    public int LineCount { get; init; }

    public string? ContactName => LastName is null ? null : GetPurchase.Name(FirstName, LastName);
}

// Purchases of the caller's branches, newest first unless sorted otherwise, a page at a time.
public sealed class ListPurchases(IDbContextFactory<PayvandDb> dbFactory)
{
    public static readonly string[] SortFields = ["occurredAt", "total", "net"];

    public async Task<PagedResult<PurchaseRow>> Handle(PurchaseFilter filter, PageRequest page, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Query(db, filter, user);
        var rows = await Listed(db, Sort(query, page.Sort, page.Desc).Skip(page.Skip).Take(page.ReadSize), user).ToListAsync(ct);
        var (total, lowerBound) = await PagedCount.Total(query, page, rows.Count, ct);
        return new PagedResult<PurchaseRow>(rows.Take(page.SafePageSize).Select(p => new PurchaseRow(
            p.Id, p.ContactId, p.ContactName, p.BranchId, p.Branch,
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

    // The columns of a listed purchase, as the list and its export (ExportPurchases) read them. The person's names are
    // two scalar subqueries by primary key (left out when the caller may not see the person): projecting them as one
    // object makes EF Core join a ROW_NUMBER() over every person on SQLite, which costs a scan of all people per page.
    // The discount is the order's and its lines' together, as the purchase's page shows it.
    public static IQueryable<ListedPurchase> Listed(PayvandDb db, IQueryable<Purchase> purchases, UserScope user)
    {
        var visibleContacts = db.Contacts.VisibleTo(user);
        return purchases.Select(p => new ListedPurchase
        {
            Id = p.Id,
            ContactId = p.ContactId,
            BranchId = p.BranchId,
            Channel = p.Channel,
            SourceSystem = p.SourceSystem,
            ExternalOrderId = p.ExternalOrderId,
            OccurredAt = p.OccurredAt,
            Currency = p.Currency,
            Discount = p.Discount + p.Lines.Sum(l => l.Discount),
            Total = p.Total,
            Refunded = p.Refunded,
            CreatedAt = p.CreatedAt,
            FirstName = visibleContacts.Where(c => c.Id == p.ContactId).Select(c => c.FirstName).FirstOrDefault(),
            LastName = visibleContacts.Where(c => c.Id == p.ContactId).Select(c => c.LastName).FirstOrDefault(),
            Branch = db.Branches.Where(b => b.Id == p.BranchId).Select(b => b.Name).FirstOrDefault(),
            LineCount = p.Lines.Count,
        });
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
