using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Extensions;
using Payvand.Platform.Localization;
using Payvand.Platform.Search;

namespace Payvand.Modules.Companies;

// Companies (شرکت / سازمان): registration and the /api/companies endpoints. The UI pages inject the same handlers.
public static class CompaniesModule
{
    public static IServiceCollection AddCompanies(this IServiceCollection services) => services
        .AddCompaniesPermissions()
        .AddSearchSource<CompanySearch>()
        .AddSearchReindexer<CompanyReindex>()
        .AddDashboardFigure<CompaniesFigure>()
        .AddTransient<GetCompany>()
        .AddTransient<SaveCompany>()
        .AddTransient<ListCompanies>()
        .AddTransient<DeleteCompany>()
        .AddTransient<CompanyPeople>()
        .AddTransient<BulkUpdateCompanies>()
        .AddListExport<ExportCompanies>();

    public static CompanyFilter ReadFilter(QueryReader q) => CustomerRecords.ReadFilter(q, new CompanyFilter { Industry = q.Text("industry") });

    public static IEndpointRouteBuilder MapCompanies(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/companies").WithTags("Companies");

        api.MapGet("/", async (HttpContext http, ClaimsPrincipal me, ListCompanies list, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var filter = ReadFilter(q);
                var page = q.Page(ListCompanies.SortFields);
                q.ThrowIfAny();
                return TypedResults.Ok(await list.Handle(filter, page, me.Scope(), ct));
            })
            .WithSummary("List companies: filter (q, tag, city, province, ownerId, branchId, lifecycle, source, industry, deleted, cf.<key>), sort (name, city, createdAt, updatedAt; desc=true or -field) and page (page, pageSize)")
            .Produces<PagedResult<CompanyRow>>()
            .RequireAuthorization(CompaniesPermissions.Read);

        api.MapGet("/{id:int}", async Task<Results<Ok<CompanyDetails>, NotFound>> (int id, ClaimsPrincipal me, GetCompany get, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await get.Handle(id, me.Scope(), ct)))
            .WithSummary("One company with phones, emails, tags, custom fields and the number of its people")
            .RequireAuthorization(CompaniesPermissions.Read);

        api.MapPost("/", async (CompanyInput input, ClaimsPrincipal me, SaveCompany save, GetCompany get, CancellationToken ct) =>
            {
                var id = await save.Create(input, me.Scope(), ct, RecordSource.Api);
                return TypedResults.Created($"/api/companies/{id}", await get.Handle(id, me.Scope(), ct));
            })
            .WithSummary("Create a company")
            .RequireAuthorization(CompaniesPermissions.Write);

        api.MapPut("/{id:int}", async Task<Results<Ok<CompanyDetails>, NotFound>> (int id, CompanyInput input, ClaimsPrincipal me, SaveCompany save, GetCompany get, CancellationToken ct) =>
                await save.Update(id, input, me.Scope(), ct) ? TypedResults.Ok((await get.Handle(id, me.Scope(), ct))!) : TypedResults.NotFound())
            .WithSummary("Change a company; send the version you read (a stale version gets 409)")
            .RequireAuthorization(CompaniesPermissions.Write);

        api.MapDelete("/{id:int}", async Task<Results<NoContent, NotFound>> (int id, ClaimsPrincipal me, DeleteCompany delete, CancellationToken ct) =>
                await delete.Delete(id, me.Scope(), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Delete a company (restorable); its people stay")
            .RequireAuthorization(CompaniesPermissions.Delete);

        api.MapPost("/{id:int}/restore", async Task<Results<NoContent, NotFound>> (int id, ClaimsPrincipal me, DeleteCompany delete, CancellationToken ct) =>
                await delete.Restore(id, me.Scope(), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Restore a deleted company")
            .RequireAuthorization(CompaniesPermissions.Delete);

        api.MapPost("/bulk", async (BulkUpdateCompanies.Request request, ClaimsPrincipal me, BulkUpdateCompanies bulk, CancellationToken ct) =>
                TypedResults.Ok(await bulk.Handle(request, me.Scope(), ct)))
            .WithSummary("Add or remove a tag, assign an owner, or delete many companies (by ids or by filter)")
            .RequireAuthorization(CompaniesPermissions.Write);

        api.MapListExport<ExportCompanies>()
            .WithSummary("Export the companies matching the list filters as CSV or XLSX (format=csv|xlsx)")
            .RequireAuthorization(CompaniesPermissions.Export);

        api.MapGet("/{id:int}/people", async Task<Results<Ok<PagedResult<ContactRow>>, NotFound>> (
                int id, HttpContext http, ClaimsPrincipal me, GetCompany get, ListContacts list, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var page = q.Page(ListContacts.SortFields);
                q.ThrowIfAny();
                if (!await get.IsVisible(id, me.Scope(), ct)) return TypedResults.NotFound();
                return TypedResults.Ok(await list.Handle(new ContactFilter { CompanyId = id }, page, me.Scope(), ct));
            })
            .WithSummary("The people of a company that you may see, paged (page, pageSize) and sorted like the people list")
            .RequireAuthorization(CompaniesPermissions.Read);
        CompanyPeople.Map(api);

        return app;
    }
}
