using System.Net;
using ClosedXML.Excel;
using Payvand.Modules.Imports;
using Payvand.Modules.Purchases;
using Payvand.Platform.Api;
using Payvand.Platform.Jobs;
using Payvand.Tests.Infrastructure;
using Payvand.Tests.Modules.Imports;
using static Payvand.Tests.Modules.Purchases.PurchaseTestData;

namespace Payvand.Tests.Modules.Purchases;

// GET /api/purchases/export and its background twin POST /api/exports/purchases: the list's filters and sort, the
// columns a shop's accountant asks for (the day in Jalali for fa, Gregorian for en, in Tehran's time), and the
// purchases.export permission, which Sales and Support do not hold by default.
[Trait("Category", "Integration")]
public sealed class ExportPurchasesTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    // 20:30 UTC on 20 March 2026 is midnight in Tehran: Nowruz, 1 Farvardin 1405.
    private static readonly DateTime Nowruz = new(2026, 3, 20, 20, 30, 0, DateTimeKind.Utc);

    private sealed record Shop(int BranchId, string BranchName, int InStore, int Online, string PersonName, string Mobile);

    // Two purchases in a new branch (a person's in store, refunded in part; an anonymous online order) and one elsewhere.
    private async Task<Shop> NewShop()
    {
        var name = "Export shop " + Guid.NewGuid().ToString("N")[..6];
        var branch = await app.CreateBranch(name);
        var admin = await app.AdminClient();
        var mobile = "0912" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var person = await Person(admin, branch, mobile);
        var inStore = await Record(admin, Order(person, Nowruz, branch));
        var refund = await admin.PostJson($"/api/purchases/{inStore.Id}/refunds", new RefundPurchase.Request { Amount = 100_000, Reason = "یکی شکسته بود" });
        Assert.Equal(HttpStatusCode.Created, refund.StatusCode);
        var online = await Record(admin, Order(null, Nowruz.AddDays(1), branch) with
        {
            Channel = PurchaseChannel.Online,
            SourceSystem = "web",
            ExternalOrderId = "WEB-" + Guid.NewGuid().ToString("N")[..8],
        });
        await Record(admin, Order(await Person(admin, app.MainBranchId), Nowruz, app.MainBranchId));
        return new Shop(branch, name, inStore.Id, online.Id, inStore.ContactName!, mobile);
    }

    private static async Task<List<string[]>> Csv(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/csv", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal("purchases.csv", response.Content.Headers.ContentDisposition?.FileName);
        var text = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF');
        // No cell of these purchases holds a comma or a quote, so a line splits on commas.
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(','))];
    }

    private static Dictionary<string, string> Cells(string[] header, string[] row) =>
        header.Zip(row).ToDictionary(c => c.First, c => c.Second, StringComparer.Ordinal);

    [Fact]
    public async Task The_csv_holds_the_filtered_view_newest_first_with_the_columns_of_a_purchase()
    {
        var shop = await NewShop();
        var manager = await app.ClientAs("Manager", shop.BranchId);

        var csv = await Csv(await manager.GetAsync($"/api/purchases/export?branchId={shop.BranchId}&format=csv"));
        Assert.Equal(
            ["Id", "Date", "Time", "Order number", "Source system", "Person", "Mobile", "Branch", "Channel", "Lines", "Discount", "Total", "Refunded", "Net", "Currency", "Recorded"],
            csv[0]);
        Assert.Equal([shop.Online.ToString(System.Globalization.CultureInfo.InvariantCulture), shop.InStore.ToString(System.Globalization.CultureInfo.InvariantCulture)], csv.Skip(1).Select(r => r[0]));

        var inStore = Cells(csv[0], csv[2]);
        Assert.Equal("2026-03-21", inStore["Date"]);
        Assert.Equal("00:00", inStore["Time"]);
        Assert.Equal(shop.PersonName, inStore["Person"]);
        Assert.Equal(shop.Mobile, inStore["Mobile"]);
        Assert.Equal(shop.BranchName, inStore["Branch"]);
        Assert.Equal("In store", inStore["Channel"]);
        // The discount is the order's 40,000 and the first line's 10,000 (it once held the order's alone).
        Assert.Equal(("2", "50000", "750000", "100000", "650000", "IRR"),
            (inStore["Lines"], inStore["Discount"], inStore["Total"], inStore["Refunded"], inStore["Net"], inStore["Currency"]));
        Assert.Equal("", inStore["Order number"]);

        var online = Cells(csv[0], csv[1]);
        Assert.Equal(("Online", "web", "", "", "0"), (online["Channel"], online["Source system"], online["Person"], online["Mobile"], online["Refunded"]));
        Assert.StartsWith("WEB-", online["Order number"], StringComparison.Ordinal);

        // The list's filters and sort: the channel, the period (to excluded), the oldest first.
        var onlineOnly = await Csv(await manager.GetAsync($"/api/purchases/export?branchId={shop.BranchId}&channel=online"));
        Assert.Equal([shop.Online.ToString(System.Globalization.CultureInfo.InvariantCulture)], onlineOnly.Skip(1).Select(r => r[0]));
        var nowruzOnly = await Csv(await manager.GetAsync($"/api/purchases/export?branchId={shop.BranchId}&from=2026-03-20T20:30:00Z&to=2026-03-21T20:30:00Z"));
        Assert.Equal([shop.InStore.ToString(System.Globalization.CultureInfo.InvariantCulture)], nowruzOnly.Skip(1).Select(r => r[0]));
        var oldestFirst = await Csv(await manager.GetAsync($"/api/purchases/export?branchId={shop.BranchId}&sort=occurredAt"));
        Assert.Equal(shop.InStore.ToString(System.Globalization.CultureInfo.InvariantCulture), oldestFirst[1][0]);
    }

    [Fact]
    public async Task The_xlsx_in_persian_has_persian_headers_and_jalali_days()
    {
        var shop = await NewShop();
        var manager = await app.ClientFor(await app.CreateUser("Manager", shop.BranchId), "fa-IR");

        var response = await manager.GetAsync($"/api/purchases/export?branchId={shop.BranchId}&sort=occurredAt&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TableExport.ContentType(ExportFormat.Xlsx), response.Content.Headers.ContentType?.ToString());
        using var book = new XLWorkbook(await response.Content.ReadAsStreamAsync());
        var sheet = book.Worksheet(1);
        Assert.True(sheet.RightToLeft);
        var header = sheet.Row(1).CellsUsed().Select(c => c.GetString()).ToArray();
        var row = Cells(header, [.. Enumerable.Range(1, header.Length).Select(i => sheet.Cell(2, i).GetString())]);
        Assert.Equal(shop.InStore.ToString(System.Globalization.CultureInfo.InvariantCulture), row["Id"]);
        Assert.Equal("1405/01/01", row["تاریخ"]);
        Assert.Equal("فروشگاه (حضوری)", row["کانال فروش"]);
        Assert.Equal("650000", row["خالص"]);
        Assert.Equal(3, sheet.RowsUsed().Count());
    }

    [Fact]
    public async Task Roles_without_the_export_permission_are_refused_and_bad_filters_are_field_errors()
    {
        var shop = await NewShop();
        foreach (var role in new[] { "Sales", "Support" })
        {
            var client = await app.ClientAs(role, shop.BranchId);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/purchases?branchId={shop.BranchId}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/purchases/export?branchId={shop.BranchId}")).StatusCode);
        }

        // The background export needs the list's own permission too, beyond imports.export.
        var sales = await app.ClientAs("Sales", shop.BranchId);
        var refused = await (await sales.PostAsync($"/api/exports/purchases?branchId={shop.BranchId}", null)).Problem(HttpStatusCode.Forbidden);
        Assert.Equal("You may not export this list.", refused.GetProperty("title").GetString());

        var manager = await app.ClientAs("Manager", shop.BranchId);
        var problem = await (await manager.GetAsync("/api/purchases/export?channel=pigeon&from=yesterday&format=pdf")).Problem(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "channel", "from", "format" }) Assert.True(errors.TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, (await manager.PostAsync("/api/exports/purchases?sort=price", null)).StatusCode);
    }

    [Fact]
    public async Task A_large_view_is_exported_in_the_background_and_listed_with_its_rows()
    {
        var shop = await NewShop();
        var manager = await app.ClientAs("Manager", shop.BranchId);

        var export = await ExportsApiTests.Exported(manager, "purchases", $"branchId={shop.BranchId}&channel=inStore&format=xlsx");
        Assert.Equal(("Purchases", ExportFormat.Xlsx, JobStatus.Succeeded, 1), (export.List, export.Format, export.Status, export.Rows));
        Assert.Equal($"branchId={shop.BranchId}&channel=inStore", export.Query);

        var file = await manager.GetAsync(export.DownloadUrl);
        Assert.Equal("purchases.xlsx", file.Content.Headers.ContentDisposition?.FileName);
        using var book = new XLWorkbook(await file.Content.ReadAsStreamAsync());
        var sheet = book.Worksheet(1);
        Assert.Equal(["Id", shop.InStore.ToString(System.Globalization.CultureInfo.InvariantCulture)], sheet.Column(1).CellsUsed().Select(c => c.GetString()));
        Assert.Contains(shop.PersonName, sheet.Row(2).CellsUsed().Select(c => c.GetString()));

        var mine = await (await manager.GetAsync("/api/exports")).Read<PagedResult<ExportStatus>>();
        Assert.Equal(export.Id, Assert.Single(mine.Items).Id);
    }
}
