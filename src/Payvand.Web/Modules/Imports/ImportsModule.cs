using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Imports;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;
using Payvand.Platform.Notifications;

namespace Payvand.Modules.Imports;

// Imports of spreadsheets (the kinds modules register as IImportKind: people, purchases...) and exports run as background jobs:
// registration and the /api/imports and /api/exports endpoints. The UI pages inject the same handlers.
public static class ImportsModule
{
    public static IServiceCollection AddImports(this IServiceCollection services) => services
        .AddImportsPermissions()
        .AddNotificationKind("import.finished", "Import finished", 30)
        .AddNotificationKind("import.failed", "Import failed", 31)
        .AddNotificationKind("export.finished", "Export ready", 40)
        .AddNotificationKind("export.failed", "Export failed", 41)
        .AddSingleton<ImportKinds>()
        .AddTransient<UploadImport>()
        .AddTransient<MapImport>()
        .AddTransient<StartImport>()
        .AddTransient<GetImport>()
        .AddTransient<ImportReport>()
        .AddJobHandler<ImportJob>()
        .AddJobHandler<ExportJob>()
        .AddSingleton<IBackgroundExports>(sp => sp.GetRequiredService<ExportJob>())
        .AddSingleton<IFilesInUse, ImportFilesInUse>();

    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/imports").WithTags("Imports");
        // The request may carry the largest file and its multipart framing; UploadImport refuses a larger file with a field error.
        var uploadLimit = UploadImport.MaxBytes(app.ServiceProvider.GetRequiredService<IConfiguration>()) + 1024 * 1024;

        // A multipart upload carries no antiforgery token: API clients use bearer tokens, and the sign-in cookie is
        // SameSite=Lax, so another site cannot make a browser post a file with it.
        api.MapPost("/", async (IFormFile file, [FromForm] string? kind, ClaimsPrincipal me, UploadImport upload, ImportKinds kinds, CancellationToken ct) =>
            {
                await using var stream = file.OpenReadStream();
                var preview = await upload.Handle(kind ?? kinds.All[0].Name, file.FileName, stream, me.Scope(), ct);
                return TypedResults.Created($"/api/imports/{preview.Import.Id}", preview);
            })
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(uploadLimit), new RequestFormLimitsAttribute { MultipartBodyLengthLimit = uploadLimit })
            .WithSummary("Upload a CSV (UTF-8 or Windows-1256) or XLSX file (form fields file, kind=people|purchases) of up to Payvand:Imports:MaxUploadMb (200 MB by default): returns the detected encoding, headers, suggested mapping, warnings (bytes that are not UTF-8, quotes kept as text) and a preview")
            .RequireAuthorization(ImportsPermissions.Import);

        api.MapGet("/", async (HttpContext http, ClaimsPrincipal me, GetImport get, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var page = q.Page([]);
                q.ThrowIfAny();
                return TypedResults.Ok(await get.List(page, me.Scope(), ct));
            })
            .WithSummary("Your imports, newest first (Admins: all; Managers: those of their branches), paged (page, pageSize)")
            .Produces<PagedResult<ImportDetails>>()
            .RequireAuthorization(ImportsPermissions.Import);

        api.MapGet("/{id:int}", async Task<Results<Ok<ImportDetails>, NotFound>> (int id, ClaimsPrincipal me, GetImport get, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await get.Handle(id, me.Scope(), ct)))
            .WithSummary("An import's status, progress (done of totalRows) and counts")
            .RequireAuthorization(ImportsPermissions.Import);

        api.MapGet("/{id:int}/preview", async Task<Results<Ok<ImportPreview>, NotFound>> (int id, ClaimsPrincipal me, MapImport map, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await map.Preview(id, me.Scope(), ct)))
            .WithSummary("The first rows of the file as the current mapping reads them, with the problem of each cell")
            .RequireAuthorization(ImportsPermissions.Import);

        api.MapPut("/{id:int}/mapping", async Task<Results<Ok<ImportPreview>, NotFound>> (int id, ImportSettings settings, ClaimsPrincipal me, MapImport map, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await map.Handle(id, settings, me.Scope(), ct)))
            .WithSummary("Set the mapping (a field key or null per column) and the options (dedupe Skip|Update|Create, branchId, ownerId, tags); returns the new preview")
            .RequireAuthorization(ImportsPermissions.Import);

        api.MapPost("/{id:int}/start", async Task<Results<Accepted<ImportDetails>, NotFound>> (int id, ClaimsPrincipal me, StartImport start, GetImport get, CancellationToken ct) =>
                await start.Start(id, me.Scope(), ct) ? TypedResults.Accepted($"/api/imports/{id}", (await get.Handle(id, me.Scope(), ct))!) : TypedResults.NotFound())
            .WithSummary("Start the import as a background job; follow it with GET /api/imports/{id}")
            .RequireAuthorization(ImportsPermissions.Import);

        api.MapPost("/{id:int}/cancel", async Task<Results<NoContent, NotFound>> (int id, ClaimsPrincipal me, StartImport start, CancellationToken ct) =>
                await start.Cancel(id, me.Scope(), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Cancel a queued or running import; batches already written stay")
            .RequireAuthorization(ImportsPermissions.Import);

        api.MapGet("/{id:int}/report", async Task<Results<EmptyHttpResult, NotFound>> (int id, HttpContext http, ClaimsPrincipal me, ImportReport report, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var format = q.Enum<ExportFormat>("format") ?? ExportFormat.Csv;
                q.ThrowIfAny();
                if (!await report.Exists(id, me.Scope(), ct)) return TypedResults.NotFound();
                http.Response.ContentType = TableExport.ContentType(format);
                http.Response.Headers.ContentDisposition = $"attachment; filename=import-{id}-report.{format.ToString().ToLowerInvariant()}";
                await report.Write(id, http.Response.Body, format, ct);
                return TypedResults.Empty;
            })
            .WithSummary("The row-by-row report (row, outcome, messages, record id) as CSV or XLSX (format=csv|xlsx)")
            .RequireAuthorization(ImportsPermissions.Import);

        var exports = app.MapGroup("/api/exports").WithTags("Exports");
        exports.MapGet("/", async (HttpContext http, ClaimsPrincipal me, ExportJob export, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var page = q.Page([]);
                q.ThrowIfAny();
                return TypedResults.Ok(await export.List(page, me.Scope(), ct));
            })
            .WithSummary("Your exports, newest first (Admins: everyone's), paged (page, pageSize); expired: the file was deleted after the retention period")
            .Produces<PagedResult<ExportStatus>>()
            .RequireAuthorization(ImportsPermissions.Export);

        exports.MapPost("/{list}", async Task<Results<Accepted<ExportStatus>, NotFound>> (string list, HttpContext http, ClaimsPrincipal me, ExportJob export, CancellationToken ct) =>
            {
                if (export.Find(list) is null) return TypedResults.NotFound();
                var status = await export.Queue(list, http.Request.Query, me.Scope(), ct);
                return TypedResults.Accepted($"/api/exports/{status.Id}", status);
            })
            .WithSummary("Export a list (contacts, companies, purchases) as a background job, with the same query filters, sort and format as its /api/{list}/export")
            .RequireAuthorization(ImportsPermissions.Export);

        exports.MapGet("/{id:int}", async Task<Results<Ok<ExportStatus>, NotFound>> (int id, ClaimsPrincipal me, ExportJob export, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await export.Status(id, me.Scope(), ct)))
            .WithSummary("An export's status; downloadUrl once it is ready, expired once its file was deleted after the retention period")
            .RequireAuthorization(ImportsPermissions.Export);

        exports.MapGet("/{id:int}/download", async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> (
                int id, ClaimsPrincipal me, ExportJob export, FileRetention retention, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var (status, file) = await export.Download(id, me.Scope(), ct);
                if (status is null) return TypedResults.NotFound();
                if (file is not null) return TypedResults.File(file.Content, file.ContentType, file.Name);
                return status.Expired
                    ? TypedResults.Problem(statusCode: StatusCodes.Status410Gone,
                        title: text["The file of this export was deleted: exported files are kept for {0} days. Export the list again.", await retention.Days(ct)])
                    : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: status.Status is JobStatus.Queued or JobStatus.Running
                        ? text["This export is not ready yet."]
                        : text["This export did not finish, so it has no file."]);
            })
            .WithSummary("Download a finished export (410 once its file was deleted after the retention period, 409 while it is not ready)")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone)
            .RequireAuthorization(ImportsPermissions.Export);
        return app;
    }
}
