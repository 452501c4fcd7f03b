using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Localization;
using Payvand.Platform.Privacy;

namespace Payvand.Modules.CustomFields;

// Admin-defined fields on people and companies: registration and /api/custom-fields. The admin page and the
// person and company forms inject the same handlers.
public static class CustomFieldsModule
{
    public static IServiceCollection AddCustomFields(this IServiceCollection services) => services
        .AddCustomFieldsPermissions()
        .AddTransient<ListCustomFields>()
        .AddTransient<SaveCustomField>()
        .AddTransient<DeleteCustomField>()
        .AddPersonalData<CustomFieldPersonalData>();

    public static IEndpointRouteBuilder MapCustomFields(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/custom-fields").WithTags("Custom fields");

        api.MapGet("/", async (HttpContext http, ListCustomFields list, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var target = q.Enum<CustomFieldTarget>("target");
                var includeInactive = q.Bool("includeInactive");
                q.ThrowIfAny();
                return TypedResults.Ok(await list.Handle(target, includeInactive, ct));
            })
            .WithSummary("Custom fields in display order: target=contact|company (default both), includeInactive=true for deactivated ones too")
            .Produces<List<CustomFieldDto>>()
            .RequireAuthorization(CustomFieldsPermissions.Read);

        api.MapGet("/{id:int}", async Task<Results<Ok<CustomFieldDto>, NotFound>> (int id, ListCustomFields list, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await list.Get(id, ct)))
            .WithSummary("One custom field")
            .RequireAuthorization(CustomFieldsPermissions.Read);

        api.MapPost("/", async (CustomFieldInput input, ClaimsPrincipal me, SaveCustomField save, ListCustomFields list, CancellationToken ct) =>
            {
                var id = await save.Create(input, me.Scope(), ct);
                return TypedResults.Created($"/api/custom-fields/{id}", await list.Get(id, ct));
            })
            .WithSummary("Define a custom field (key: lower-case a-z, 0-9 and _, unique per target; choices required for Choice)")
            .RequireAuthorization(CustomFieldsPermissions.Manage);

        api.MapPut("/{id:int}", async Task<Results<Ok<CustomFieldDto>, NotFound>> (
                int id, CustomFieldInput input, ClaimsPrincipal me, SaveCustomField save, ListCustomFields list, CancellationToken ct) =>
                await save.Update(id, input, me.Scope(), ct) ? TypedResults.Ok((await list.Get(id, ct))!) : TypedResults.NotFound())
            .WithSummary("Change a custom field; send the version you read (stale: 409). The type and key of a field with values cannot change (409)")
            .RequireAuthorization(CustomFieldsPermissions.Manage);

        api.MapDelete("/{id:int}", async Task<Results<Ok<DeleteCustomField.Response>, NotFound>> (
                int id, ClaimsPrincipal me, DeleteCustomField delete, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await delete.Handle(id, me.Scope(), ct)))
            .WithSummary("Delete a custom field: removed if no record has a value for it, otherwise deactivated (outcome says which)")
            .RequireAuthorization(CustomFieldsPermissions.Manage);
        return app;
    }
}
