using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Purchases;

// Exports the purchases of the current list view (same filters and sort) as CSV or XLSX: when (the day in Jalali for
// fa, Gregorian for en, and the time, in the business's time zone), which order, who bought, where, how, and the
// money in whole rials as plain numbers so a spreadsheet adds them up (the discount is the order's and its lines'). A person the caller may not see is left nameless,
// as on the list.
public sealed class ExportPurchases(IDbContextFactory<PayvandDb> dbFactory, PayvandSettings settings, IStringLocalizer<SharedResource> text) : ListExport<PurchaseFilter>
{
    public override string Name => "purchases";

    public override string Label => "Purchases";

    public override string Permission => PurchasesPermissions.Export;

    protected override string[] SortFields => ListPurchases.SortFields;

    protected override PurchaseFilter ReadFilter(QueryReader q) => PurchasesModule.ReadFilter(q);

    protected override async Task<int> Count(PurchaseFilter filter, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ListPurchases.Query(db, filter, user).Take(TableExport.MaxRows).CountAsync(ct);
    }

    protected override async Task Write(Stream output, ExportFormat format, PurchaseFilter filter, PageRequest sort, UserScope user, CancellationToken ct)
    {
        var persian = Cultures.IsPersian(CultureInfo.CurrentUICulture);
        var zone = await settings.TimeZone(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        string[] header =
        [
            "Id", text["Date"], text["Time"], text["Order number"], text["Source system"], text["Person"], text["Mobile"], text["Branch"],
            text["Channel"], text["Lines"], text["Discount"], text["Total"], text["Refunded"], text["Net"], text["Currency"], text["Recorded"],
        ];
        var ids = ListPurchases.Sort(ListPurchases.Query(db, filter, user), sort.Sort, sort.Desc).Select(p => p.Id);
        await TableExport.Write(output, format, header, TableExport.InChunks(ids, async (chunk, ct) =>
        {
            var purchases = await ListPurchases.Listed(db, db.Purchases.AsNoTracking().Where(p => chunk.Contains(p.Id)), user).ToDictionaryAsync(p => p.Id, ct);
            var people = purchases.Values.Where(p => p.ContactName is not null).Select(p => p.ContactId!.Value).Distinct().ToList();
            var mobiles = (await db.Contacts.AsNoTracking().Where(c => people.Contains(c.Id)).SelectMany(c => c.Points, (c, x) => new { c.Id, x.Kind, x.IsPrimary, x.NormalizedValue })
                    .Where(x => x.Kind == ContactPointKind.Mobile).ToListAsync(ct))
                .GroupBy(x => x.Id).ToDictionary(g => g.Key, g => g.OrderByDescending(x => x.IsPrimary).First().NormalizedValue);
            return chunk.Select(id => purchases[id]).Select(p =>
            {
                var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(p.OccurredAt, DateTimeKind.Utc), zone);
                var day = DateOnly.FromDateTime(local);
                return (string?[])
                [
                    p.Id.ToString(CultureInfo.InvariantCulture),
                    persian ? Jalali.Format(day, persianDigits: false) : day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    local.ToString("HH:mm", CultureInfo.InvariantCulture),
                    p.ExternalOrderId, p.SourceSystem,
                    p.ContactName,
                    p.ContactName is not null && mobiles.TryGetValue(p.ContactId!.Value, out var mobile) ? IranianPhone.ToNational(mobile) : null,
                    p.Branch, text["PurchaseChannel." + p.Channel],
                    Number(p.LineCount), Number(p.Discount), Number(p.Total), Number(p.Refunded), Number(p.Total - p.Refunded),
                    p.Currency, TableExport.Instant(p.CreatedAt, persian),
                ];
            });
        }, ct), persian, ct);
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
