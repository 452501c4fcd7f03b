using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Modules.Purchases;

public sealed record PurchaseLineDto(long Id, int? ProductId, string? ProductSku, string Description, decimal Quantity, long UnitPrice, long Discount, long LineTotal);

public sealed record RefundLineDto(long PurchaseLineId, decimal Quantity);

public sealed record RefundDto(int Id, DateTime RefundedAt, long Amount, string? Reason, IReadOnlyList<RefundLineDto> Lines);

// One purchase as GET /api/purchases/{id}, the ingestion response and the detail page show it. Net = Total − Refunded.
public sealed record PurchaseDetails(
    int Id, int? ContactId, string? ContactName, int BranchId, string? BranchName, PurchaseChannel Channel, string? SourceSystem,
    string? ExternalOrderId, DateTime OccurredAt, string Currency, long Discount, long Total, long Refunded, long Net, string? Note,
    IReadOnlyList<PurchaseLineDto> Lines, IReadOnlyList<RefundDto> Refunds, int Version, DateTime CreatedAt);

// Reads one purchase the caller may see (its branch); null otherwise. The person's name is left out when the person
// is in a branch the caller cannot see (the id stays). One query, two when the purchase has refunds: the purchase with
// its person's and branch's names and its lines with their SKUs, then its refunds with their lines (the POST of a new
// purchase answers with this, so its cost is part of every recorded purchase).
public sealed class GetPurchase(IDbContextFactory<PayvandDb> dbFactory)
{
    public async Task<PurchaseDetails?> Handle(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visibleContacts = db.Contacts.VisibleTo(user);
        var p = await db.Purchases.AsNoTracking().VisibleTo(user).Where(x => x.Id == id).Select(x => new
        {
            x.Id,
            x.ContactId,
            x.BranchId,
            x.Channel,
            x.SourceSystem,
            x.ExternalOrderId,
            x.OccurredAt,
            x.Currency,
            x.Discount,
            x.Total,
            x.Refunded,
            x.Note,
            x.Version,
            x.CreatedAt,
            FirstName = visibleContacts.Where(c => c.Id == x.ContactId).Select(c => c.FirstName).FirstOrDefault(),
            LastName = visibleContacts.Where(c => c.Id == x.ContactId).Select(c => c.LastName).FirstOrDefault(),
            Branch = db.Branches.Where(b => b.Id == x.BranchId).Select(b => b.Name).FirstOrDefault(),
            Lines = x.Lines.OrderBy(l => l.Id).Select(l => new PurchaseLineDto(
                l.Id, l.ProductId, db.Products.Where(pr => pr.Id == l.ProductId).Select(pr => pr.Sku).FirstOrDefault(), l.Description, Plain(l.Quantity), l.UnitPrice,
                l.Discount, l.LineTotal)).ToList(),
        }).SingleOrDefaultAsync(ct);
        if (p is null) return null;
        // Every refund is of more than zero, so a purchase with nothing refunded has none to read.
        List<Refund> refunds = p.Refunded == 0 ? [] : await db.Refunds.AsNoTracking().Where(r => r.PurchaseId == id).Include(r => r.Lines)
            .OrderBy(r => r.RefundedAt).ThenBy(r => r.Id).ToListAsync(ct);
        return new PurchaseDetails(
            p.Id, p.ContactId, p.LastName is null ? null : Name(p.FirstName, p.LastName), p.BranchId, p.Branch, p.Channel,
            p.SourceSystem, p.ExternalOrderId, p.OccurredAt, p.Currency, p.Discount, p.Total, p.Refunded, p.Total - p.Refunded, p.Note, p.Lines,
            refunds.Select(r => new RefundDto(
                r.Id, r.RefundedAt, r.Amount, r.Reason, r.Lines.OrderBy(l => l.Id).Select(l => new RefundLineDto(l.PurchaseLineId, Plain(l.Quantity))).ToList())).ToList(),
            p.Version, p.CreatedAt);
    }

    // A quantity without trailing zeros (2, 1.5), whatever scale the database gives it back with (2.0, 2.000).
    internal static decimal Plain(decimal quantity) => quantity / 1.0000000000000000000000000000m;

    internal static string Name(string? first, string last) => string.IsNullOrWhiteSpace(first) ? last : $"{first} {last}";
}
