using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Extensions;

namespace Payvand.Modules.Purchases;

// The sales figure of the dashboard: net sales in rials (after refunds) of the last 30 days in the branches the user sees.
internal sealed class SalesFigure : IDashboardFigure
{
    public string Key => "salesLast30Days";

    public string Label => "Sales in 30 days";

    public string Icon => Icons.Material.Filled.ShoppingCart;

    public string Href => "purchases";

    public int Order => 60;

    public string? Permission => PurchasesPermissions.Read;

    public FigureKind Kind => FigureKind.Money;

    public async Task<long> Count(PayvandDb db, UserScope user, DateTime now, CancellationToken ct) =>
        await db.Purchases.VisibleTo(user).Where(p => p.OccurredAt >= now.AddDays(-30) && p.Currency == Purchase.DefaultCurrency)
            .SumAsync(p => (long?)(p.Total - p.Refunded), ct) ?? 0;
}
