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
// is in a branch the caller cannot see (the id stays).
public sealed class GetPurchase(IDbContextFactory<PayvandDb> dbFactory)
{
    public async Task<PurchaseDetails?> Handle(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var p = await db.Purchases.AsNoTracking().VisibleTo(user).Include(x => x.Lines).Include(x => x.Refunds).ThenInclude(r => r.Lines)
            .AsSplitQuery().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return null;
        var contact = await db.Contacts.VisibleTo(user).Where(c => c.Id == p.ContactId)
            .Select(c => new { c.FirstName, c.LastName }).FirstOrDefaultAsync(ct);
        var branch = await db.Branches.Where(b => b.Id == p.BranchId).Select(b => b.Name).SingleAsync(ct);
        var productIds = p.Lines.Where(l => l.ProductId != null).Select(l => l.ProductId!.Value).Distinct().ToList();
        var skus = await db.Products.Where(x => productIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.Sku, ct);
        return new PurchaseDetails(
            p.Id, p.ContactId, contact is null ? null : Name(contact.FirstName, contact.LastName), p.BranchId, branch, p.Channel,
            p.SourceSystem, p.ExternalOrderId, p.OccurredAt, p.Currency, p.Discount, p.Total, p.Refunded, p.Net, p.Note,
            p.Lines.OrderBy(l => l.Id).Select(l => new PurchaseLineDto(
                l.Id, l.ProductId, l.ProductId is { } pid ? skus.GetValueOrDefault(pid) : null, l.Description, l.Quantity, l.UnitPrice, l.Discount, l.LineTotal)).ToList(),
            p.Refunds.OrderBy(r => r.RefundedAt).ThenBy(r => r.Id).Select(r => new RefundDto(
                r.Id, r.RefundedAt, r.Amount, r.Reason, r.Lines.OrderBy(l => l.Id).Select(l => new RefundLineDto(l.PurchaseLineId, l.Quantity)).ToList())).ToList(),
            p.Version, p.CreatedAt);
    }

    internal static string Name(string? first, string last) => string.IsNullOrWhiteSpace(first) ? last : $"{first} {last}";
}
