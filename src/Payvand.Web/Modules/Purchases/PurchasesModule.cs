using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Events;
using Payvand.Platform.Extensions;
using Payvand.Platform.Imports;
using Payvand.Platform.Localization;
using Payvand.Platform.Privacy;

namespace Payvand.Modules.Purchases;

// Purchases (خرید), refunds (مرجوعی) and the product catalogue: registration and /api/purchases, /api/products,
// /api/product-categories. The UI pages inject the same handlers.
public static class PurchasesModule
{
    public static IServiceCollection AddPurchases(this IServiceCollection services) => services
        .AddPurchasesPermissions()
        .AddImportKind<PurchaseImport>()
        .AddDashboardFigure<SalesFigure>()
        .AddPurchaseSegmentFields()
        .AddTimelineEntryType<PurchaseEntryType>()
        .AddTimelineEntryType<RefundEntryType>()
        .AddTransient<RecordPurchase>()
        .AddTransient<RecordPurchaseBatch>()
        .AddTransient<RefundPurchase>()
        .AddTransient<GetPurchase>()
        .AddTransient<ListPurchases>()
        .AddListExport<ExportPurchases>()
        .AddTransient<Catalog>()
        .AddEventHandler<PurchaseRecorded, BuyersBecomeCustomers>()
        .AddPersonalData<PurchasesPersonalData>()
        .AddPersonBranchFollower<PurchasesFollowPerson>();

    public static PurchaseFilter ReadFilter(QueryReader q) => new()
    {
        ContactId = q.Number("contactId"),
        BranchId = q.Number("branchId"),
        From = q.Instant("from"),
        To = q.Instant("to"),
        Channel = q.Enum<PurchaseChannel>("channel"),
        SourceSystem = q.Text("sourceSystem"),
    };

    public static IEndpointRouteBuilder MapPurchases(this IEndpointRouteBuilder app)
    {
        var purchases = app.MapGroup("/api/purchases").WithTags("Purchases");

        purchases.MapGet("/", async (HttpContext http, ClaimsPrincipal me, ListPurchases list, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var filter = ReadFilter(q);
                var page = q.Page(ListPurchases.SortFields);
                q.ThrowIfAny();
                return TypedResults.Ok(await list.Handle(filter, page, me.Scope(), ct));
            })
            .WithSummary("List purchases of your branches: filter (contactId, branchId, from, to as UTC instants, channel, sourceSystem), sort (occurredAt (default, newest first), total, net) and page")
            .Produces<PagedResult<PurchaseRow>>()
            .RequireAuthorization(PurchasesPermissions.Read);

        purchases.MapListExport<ExportPurchases>()
            .WithSummary("Export the purchases matching the list filters (contactId, branchId, from, to, channel, sourceSystem) and sort as CSV or XLSX (format=csv|xlsx)")
            .RequireAuthorization(PurchasesPermissions.Export);

        purchases.MapGet("/{id:int}", async Task<Results<Ok<PurchaseDetails>, NotFound>> (int id, ClaimsPrincipal me, GetPurchase get, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await get.Handle(id, me.Scope(), ct)))
            .WithSummary("One purchase with its lines and refunds")
            .RequireAuthorization(PurchasesPermissions.Read);

        // The answer is built by RecordPurchase from what it wrote, and its Idempotency-Key answer stored in the same
        // transaction.
        static Created<PurchaseDetails> Answer(PurchaseDetails p) => TypedResults.Created($"/api/purchases/{p.Id}", p);
        purchases.MapPost("/", async Task<Results<Created<PurchaseDetails>, ProblemHttpResult>> (
                RecordPurchase.Request request, HttpContext http, ClaimsPrincipal me, RecordPurchase record, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
                await record.Handle(request, me.Scope(), ct, IdempotencyClaim.Of(http) is { } claim ? (db, p) => claim.Complete(db, Answer(p)) : null) switch
                {
                    RecordPurchase.Recorded r => Answer(r.Details),
                    RecordPurchase.AlreadyRecorded d => TypedResults.Problem(
                        text["This order of the source system is already recorded."], statusCode: StatusCodes.Status409Conflict,
                        title: text["Duplicate order."], extensions: new Dictionary<string, object?> { ["purchaseId"] = d.ExistingId }),
                    _ => throw new InvalidOperationException("Unknown outcome."),
                })
            .WithSummary("Record a purchase. Send an Idempotency-Key header to retry safely; an order already recorded (sourceSystem + externalOrderId) is 409 with its purchaseId. The person: contactId, or mobile (matched, else created)")
            .WithIdempotency<RecordPurchase.Request>()
            .RequireAuthorization(PurchasesPermissions.Write);

        purchases.MapPost("/batch", async (RecordPurchaseBatch.Request request, HttpContext http, ClaimsPrincipal me, RecordPurchaseBatch batch, CancellationToken ct) =>
                TypedResults.Ok(await batch.Handle(request, me.Scope(), ct, IdempotencyClaim.Of(http) is { } claim ? (db, r) => claim.Complete(db, TypedResults.Ok(r)) : null)))
            .WithSummary($"Record up to {RecordPurchaseBatch.MaxPurchases} purchases (each as POST /api/purchases takes one) in one request and transaction. Each gets its answer in the order sent: created with its id, alreadyRecorded with the id of the order recorded before (or earlier in the batch), or invalid with field errors; the others are recorded all the same. Send an Idempotency-Key header to retry safely")
            .WithIdempotency<RecordPurchaseBatch.Request>()
            .RequireAuthorization(PurchasesPermissions.Write);

        purchases.MapPost("/{id:int}/refunds", async Task<Results<Created<PurchaseDetails>, NotFound>> (
                int id, RefundPurchase.Request request, ClaimsPrincipal me, RefundPurchase refund, GetPurchase get, CancellationToken ct) =>
                await refund.Handle(id, request, me.Scope(), ct) is null
                    ? TypedResults.NotFound()
                    : TypedResults.Created($"/api/purchases/{id}", (await get.Handle(id, me.Scope(), ct))!))
            .WithSummary("Refund part or all of a purchase (never more than is left: 409). Send an Idempotency-Key header to retry safely")
            .WithIdempotency<RefundPurchase.Request>()
            .RequireAuthorization(PurchasesPermissions.Write);

        MapCatalog(app);
        return app;
    }

    private static void MapCatalog(IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/api/products").WithTags("Products");
        products.MapGet("/", async (HttpContext http, Catalog catalog, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var categoryId = q.Number("categoryId");
                bool? active = q.Text("active") is null ? null : q.Bool("active");
                var page = q.Page(Catalog.SortFields);
                q.ThrowIfAny();
                return TypedResults.Ok(await catalog.Products(q.Text("q"), categoryId, active, page, ct));
            })
            .WithSummary("List products: filter (q on SKU and name, categoryId, active), sort (name, sku, price) and page")
            .Produces<PagedResult<ProductDto>>()
            .RequireAuthorization(PurchasesPermissions.Read);
        products.MapGet("/{id:int}", async Task<Results<Ok<ProductDto>, NotFound>> (int id, Catalog catalog, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await catalog.Product(id, ct)))
            .WithSummary("One product")
            .RequireAuthorization(PurchasesPermissions.Read);
        products.MapPost("/", async (ProductInput input, Catalog catalog, CancellationToken ct) =>
            {
                var id = await catalog.CreateProduct(input, ct);
                return TypedResults.Created($"/api/products/{id}", await catalog.Product(id, ct));
            })
            .WithSummary("Add a product (SKU unique, price in rials)")
            .RequireAuthorization(PurchasesPermissions.Catalog);
        products.MapPut("/{id:int}", async Task<Results<Ok<ProductDto>, NotFound>> (int id, ProductInput input, Catalog catalog, CancellationToken ct) =>
                await catalog.UpdateProduct(id, input, ct) ? TypedResults.Ok((await catalog.Product(id, ct))!) : TypedResults.NotFound())
            .WithSummary("Change a product")
            .RequireAuthorization(PurchasesPermissions.Catalog);

        var categories = app.MapGroup("/api/product-categories").WithTags("Products");
        categories.MapGet("/", async (Catalog catalog, CancellationToken ct) => TypedResults.Ok(await catalog.Categories(ct)))
            .WithSummary("All product categories by name (parentId links a category to its parent)")
            .RequireAuthorization(PurchasesPermissions.Read);
        categories.MapGet("/{id:int}", async Task<Results<Ok<CategoryDto>, NotFound>> (int id, Catalog catalog, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await catalog.Category(id, ct)))
            .WithSummary("One product category")
            .RequireAuthorization(PurchasesPermissions.Read);
        categories.MapPost("/", async (CategoryInput input, Catalog catalog, CancellationToken ct) =>
            {
                var id = await catalog.CreateCategory(input, ct);
                return TypedResults.Created($"/api/product-categories/{id}", await catalog.Category(id, ct));
            })
            .WithSummary("Add a product category")
            .RequireAuthorization(PurchasesPermissions.Catalog);
        categories.MapPut("/{id:int}", async Task<Results<Ok<CategoryDto>, NotFound>> (int id, CategoryInput input, Catalog catalog, CancellationToken ct) =>
                await catalog.UpdateCategory(id, input, ct) ? TypedResults.Ok((await catalog.Category(id, ct))!) : TypedResults.NotFound())
            .WithSummary("Rename a product category or move it under another")
            .RequireAuthorization(PurchasesPermissions.Catalog);
    }
}
