using System.Globalization;
using Payvand.Platform.Persian;
using Payvand.Platform.Segments;

namespace Payvand.Modules.Purchases;

// What people bought, to select them by: the purchase summary kept on the person (read where the list filters read it,
// so the same indexes serve), and the products in their purchases.
internal static class PurchaseSegmentFields
{
    public static IServiceCollection AddPurchaseSegmentFields(this IServiceCollection services) => services
        .AddSegmentField(SegmentField.Number("purchases.netSpent", "Net spent", "Purchases", db => db.Contacts, c => c.Id, c => c.NetSpent, money: true))
        .AddSegmentField(SegmentField.Number("purchases.count", "Number of purchases", "Purchases", db => db.Contacts, c => c.Id, c => c.PurchaseCount))
        .AddSegmentField(SegmentField.Date("purchases.last", "Last purchase", "Purchases", db => db.Contacts, c => c.Id, c => c.LastPurchaseAt))
        .AddSegmentField(SegmentField.Date("purchases.first", "First purchase", "Purchases", db => db.Contacts, c => c.Id, c => c.FirstPurchaseAt))
        .AddSegmentField(SegmentField.Set("purchases.product", "Bought product (id)", "Purchases", db => db.Contacts.Select(c => c.Id), (db, values) =>
        {
            var ids = SegmentField.Ids(values);
            return db.Purchases.Where(p => p.ContactId != null && p.Lines.Any(l => l.ProductId != null && ids.Contains(l.ProductId.Value)))
                .Select(p => p.ContactId!.Value);
        }))
        // Bought within a period: any purchase of the person on a day (between, before, after, in the last N days).
        .AddSegmentField(SegmentField.Date("purchases.on", "Bought on", "Purchases", db => db.Purchases.Where(p => p.ContactId != null), p => p.ContactId!.Value, p => p.OccurredAt))
        .AddSegmentField(SegmentField.Set("purchases.category", "Bought category (id or name)", "Purchases", db => db.Contacts.Select(c => c.Id), (db, values) =>
        {
            var ids = SegmentField.Ids(values);
            var products = db.Products.Where(p => p.CategoryId != null && db.ProductCategories.Any(c => c.Id == p.CategoryId && (ids.Contains(c.Id) || values.Contains(c.Name)))).Select(p => p.Id);
            return db.Purchases.Where(p => p.ContactId != null && p.Lines.Any(l => l.ProductId != null && products.Contains(l.ProductId.Value))).Select(p => p.ContactId!.Value);
        }));
}
