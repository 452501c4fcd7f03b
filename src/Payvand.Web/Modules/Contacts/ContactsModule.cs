using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Extensions;
using Payvand.Platform.Imports;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;
using Payvand.Platform.Notifications;
using Payvand.Platform.Search;

namespace Payvand.Modules.Contacts;

// People (Customer 360): registration and the /api/contacts endpoints. The UI pages inject the same handlers.
public static class ContactsModule
{
    public static IServiceCollection AddContacts(this IServiceCollection services) => services
        .AddContactsPermissions()
        .AddNotificationKind("contact.owner", "A person given to me", 10)
        .AddTransient<GetContact>()
        .AddTransient<SaveContact>()
        .AddTransient<NotDuplicates>()
        .AddTransient<PossibleDuplicates>()
        .AddTransient<ListContacts>()
        .AddTransient<DeleteContact>()
        .AddTransient<BulkUpdateContacts>()
        .AddListExport<ExportContacts>()
        .AddTransient<SetConsent>()
        .AddTransient<ContactPermission>()
        .AddTransient<Reachability>()
        .AddTransient<ReachPeople>()
        .AddJobHandler<PromotionalSendsCleanup>()
        .AddSchedule(PromotionalSendsCleanup.ScheduleName, "45 3 * * *", PromotionalSendsCleanup.ScheduleName)
        .AddTransient<SavedViews>()
        .AddSearchSource<PeopleSearch>()
        .AddSearchReindexer<PeopleReindex>()
        .AddContactSegmentFields()
        .AddImportKind<PeopleImport>()
        .AddDashboardFigure<PeopleFigure>()
        .AddDashboardFigure<CustomersFigure>()
        .AddDashboardFigure<NewPeopleFigure>()
        .AddContactPrivacy();

    public static ContactFilter ReadFilter(QueryReader q) => CustomerRecords.ReadFilter(q, new ContactFilter
    {
        CompanyId = q.Number("companyId"),
        FirstName = q.Text("firstName"),
        FirstNameStartsWith = q.Text("firstNameStartsWith"),
        LastName = q.Text("lastName"),
        LastNameStartsWith = q.Text("lastNameStartsWith"),
        Gender = q.Enum<Gender>("gender"),
        SmsConsent = q.Enum<ConsentStatus>("smsConsent"),
        EmailConsent = q.Enum<ConsentStatus>("emailConsent"),
        BornFrom = q.Date("bornFrom"),
        BornTo = q.Date("bornTo"),
        CreatedFrom = q.Instant("createdFrom"),
        CreatedTo = q.Instant("createdTo"),
        MinSpent = q.WholeNumber("minSpent"),
        MaxSpent = q.WholeNumber("maxSpent"),
        MinPurchases = q.Number("minPurchases"),
        MaxPurchases = q.Number("maxPurchases"),
        LastPurchaseFrom = q.Instant("lastPurchaseFrom"),
        LastPurchaseTo = q.Instant("lastPurchaseTo"),
        Segment = q.Number("segment"),
    });

    public static IEndpointRouteBuilder MapContacts(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/contacts").WithTags("Contacts");

        api.MapGet("/", async (HttpContext http, ClaimsPrincipal me, ListContacts list, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var filter = ReadFilter(q);
                var page = q.Page(ListContacts.SortFields, "name");
                q.ThrowIfAny();
                return TypedResults.Ok(await list.Handle(filter, page, me.Scope(), ct));
            })
            .WithSummary("List people: filter (q, firstName, firstNameStartsWith, lastName, lastNameStartsWith (Persian-normalized), tag, city, province, ownerId, branchId, companyId, lifecycle, source, gender, smsConsent, emailConsent, bornFrom, bornTo, createdFrom, createdTo, minSpent, maxSpent (rials), minPurchases, maxPurchases, lastPurchaseFrom, lastPurchaseTo, deleted, cf.<key>, segment (the id of a saved segment)), sort (name, city, createdAt, updatedAt, lifecycle, birthDate, spent, lastPurchase; desc=true or -field) and page (page, pageSize; or after=<id of the previous page's last person> with sort=name, which costs the same on any page)")
            .Produces<PagedResult<ContactRow>>()
            .RequireAuthorization(ContactsPermissions.Read);

        api.MapGet("/{id:int}", async Task<Results<Ok<ContactDetails>, ProblemHttpResult, NotFound>> (
                int id, HttpContext http, ClaimsPrincipal me, GetContact get, MergeContacts merge, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                if (await get.Handle(id, me.Scope(), ct) is { } contact) return TypedResults.Ok(contact);

                // A person merged into another moved for good: 308 to the survivor (clients that follow redirects read them),
                // with a problem naming the survivor's id for those that do not.
                if (await merge.MergedInto(id, me.Scope(), ct) is { } survivor)
                {
                    http.Response.Headers.Location = $"/api/contacts/{survivor}";
                    return TypedResults.Problem(statusCode: StatusCodes.Status308PermanentRedirect, title: text["This person was merged into another person."],
                        extensions: new Dictionary<string, object?> { ["mergedIntoId"] = survivor });
                }

                return TypedResults.NotFound();
            })
            .WithSummary("One person with phones, emails, tags, preferences, consent and custom fields; a person merged into another is 308 to the survivor (Location) with a problem naming mergedIntoId")
            .ProducesProblem(StatusCodes.Status308PermanentRedirect)
            .RequireAuthorization(ContactsPermissions.Read);
        ContactsPrivacyModule.MapContactPrivacy(api, app);

        api.MapPost("/", async (ContactInput input, ClaimsPrincipal me, SaveContact save, GetContact get, PossibleDuplicates duplicates, CancellationToken ct) =>
            {
                var id = await save.Create(input, me.Scope(), ct, RecordSource.Api);
                var created = (await get.Handle(id, me.Scope(), ct))! with { Duplicates = await duplicates.Find(input, id, me.Scope(), ct) };
                return TypedResults.Created($"/api/contacts/{id}", created);
            })
            .WithSummary("Create a person. The answer's duplicates lists existing people with the same mobile, email or national code (the person is created all the same; ask POST /api/contacts/duplicates/check first to warn before saving)")
            .RequireAuthorization(ContactsPermissions.Write);

        api.MapPut("/{id:int}", async Task<Results<Ok<ContactDetails>, NotFound>> (
                int id, ContactInput input, ClaimsPrincipal me, SaveContact save, GetContact get, PossibleDuplicates duplicates, CancellationToken ct) =>
                await save.Update(id, input, me.Scope(), ct)
                    ? TypedResults.Ok((await get.Handle(id, me.Scope(), ct))! with { Duplicates = await duplicates.Find(input, id, me.Scope(), ct) })
                    : TypedResults.NotFound())
            .WithSummary("Change a person; send the version you read (a stale version gets 409). The answer's duplicates lists other people with the same mobile, email or national code")
            .RequireAuthorization(ContactsPermissions.Write);

        api.MapPost("/duplicates/check", async (ContactInput input, int? id, ClaimsPrincipal me, PossibleDuplicates duplicates, CancellationToken ct) =>
                TypedResults.Ok(await duplicates.Find(input, id, me.Scope(), ct)))
            .WithSummary("Before saving a person (id: the one being changed): the people you can see with the same mobile, email or national code, as the person form warns")
            .RequireAuthorization(ContactsPermissions.Read);

        api.MapDelete("/{id:int}", async Task<Results<NoContent, NotFound>> (int id, ClaimsPrincipal me, DeleteContact delete, CancellationToken ct) =>
                await delete.Delete(id, me.Scope(), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Delete a person (restorable)")
            .RequireAuthorization(ContactsPermissions.Delete);

        api.MapPost("/{id:int}/restore", async Task<Results<NoContent, NotFound>> (int id, ClaimsPrincipal me, DeleteContact delete, CancellationToken ct) =>
                await delete.Restore(id, me.Scope(), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Restore a deleted person")
            .RequireAuthorization(ContactsPermissions.Delete);

        api.MapPost("/bulk", async (BulkUpdateContacts.Request request, ClaimsPrincipal me, BulkUpdateContacts bulk, CancellationToken ct) =>
                TypedResults.Ok(await bulk.Handle(request, me.Scope(), ct)))
            .WithSummary("Add or remove a tag, assign an owner, or delete many people (by ids or by filter)")
            .RequireAuthorization(ContactsPermissions.Write);

        api.MapListExport<ExportContacts>()
            .WithSummary("Export the people matching the list filters as CSV or XLSX (format=csv|xlsx)")
            .RequireAuthorization(ContactsPermissions.Export);

        api.MapGet("/{id:int}/consent", async Task<Results<Ok<List<ConsentHistoryItem>>, NotFound>> (int id, ClaimsPrincipal me, SetConsent consent, CancellationToken ct) =>
                await consent.History(id, me.Scope(), ct) is { } history ? TypedResults.Ok(history) : TypedResults.NotFound())
            .WithSummary("Full consent history of a person")
            .RequireAuthorization(ContactsPermissions.Read);

        api.MapPost("/{id:int}/consent", async Task<Results<NoContent, NotFound>> (int id, SetConsent.Request request, ClaimsPrincipal me, SetConsent consent, CancellationToken ct) =>
                await consent.Handle(id, request, me.Scope(), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Record an opt-in or opt-out on one channel (sms, email, call, fax or another channel key) for a purpose (Promotional unless given), with its source")
            .RequireAuthorization(ContactsPermissions.Write);

        api.MapGet("/{id:int}/may-contact", async Task<Results<Ok<ContactDecision>, NotFound>> (
                int id, string channel, ContactPurpose purpose, string? senderLine, ClaimsPrincipal me, GetContact get, ContactPermission permission, CancellationToken ct) =>
                await get.Handle(id, me.Scope(), ct) is null ? TypedResults.NotFound() : TypedResults.Ok(await permission.Check(id, channel, purpose, ct, senderLine)))
            .WithSummary("May we contact this person on this channel for this purpose from this sender line now? (consent, blocklist, quiet hours, best time, weekly cap)")
            .RequireAuthorization(ContactsPermissions.Read);

        ReachPeople.Map(app);

        var views = app.MapGroup("/api/views").WithTags("Saved views").RequireAuthorization(Policies.SignedIn);
        views.MapGet("/", async (string list, ClaimsPrincipal me, SavedViews saved, CancellationToken ct) => TypedResults.Ok(await saved.List(list, me.Scope(), ct)))
            .WithSummary("Saved list views of a list (contacts, companies): your own and shared ones");
        views.MapPost("/", async (SavedViews.Request request, ClaimsPrincipal me, SavedViews saved, CancellationToken ct) =>
            {
                var view = await saved.Create(request, me.Scope(), ct);
                return TypedResults.Created($"/api/views/{view.Id}", view);
            })
            .WithSummary("Save a list view");
        views.MapPut("/{id:int}", async Task<Results<Ok<SavedViewDto>, NotFound, ForbidHttpResult>> (
                int id, SavedViews.Change change, ClaimsPrincipal me, SavedViews saved, CancellationToken ct) =>
                await saved.Update(id, change, me.Scope(), ct) switch
                {
                    (SavedViews.Outcome.Changed, { } view) => TypedResults.Ok(view),
                    (SavedViews.Outcome.NotYours, _) => TypedResults.Forbid(),
                    _ => TypedResults.NotFound(),
                })
            .WithSummary("Rename, share (isShared) or unshare a saved view, or replace its query or columns; fields left out stay. Only its owner (or an administrator) changes it: a view shared by someone else is 403");
        views.MapDelete("/{id:int}", async Task<Results<NoContent, NotFound, ForbidHttpResult>> (int id, ClaimsPrincipal me, SavedViews saved, CancellationToken ct) =>
                await saved.Delete(id, me.Scope(), ct) switch
                {
                    SavedViews.Outcome.Changed => TypedResults.NoContent(),
                    SavedViews.Outcome.NotYours => TypedResults.Forbid(),
                    _ => TypedResults.NotFound(),
                })
            .WithSummary("Delete one of your saved views (a view shared by someone else is 403)");
        return app;
    }
}
