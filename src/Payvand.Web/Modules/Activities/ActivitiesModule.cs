using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Errors;
using Payvand.Platform.Extensions;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Privacy;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Activities;

// The timeline (تاریخچه ارتباطات): logging notes, calls, meetings, emails and SMS, reading a person's or company's
// history, and TimelineWriter for the entries other modules add. The UI pages inject the same handlers.
public static class ActivitiesModule
{
    public static IServiceCollection AddActivities(this IServiceCollection services) => services
        .AddActivitiesPermissions()
        .AddTransient<LogActivity>()
        .AddTransient<ListTimeline>()
        .AddTransient<ChangeActivity>()
        .AddTransient<TimelineWriter>()
        .AddTransient<MyFollowUps>()
        .AddTransient<CompleteFollowUp>()
        .AddSingleton<TimelineTypes>()
        .AddDashboardFigure<RecentActivitiesFigure>()
        .AddPersonalData<ActivityPersonalData>()
        .AddPersonBranchFollower<ActivitiesFollowPerson>();

    // kinds=note,call (or kinds repeated), types=purchase,refund (entry types other modules write), from and to as dates (whole days in the business time zone) or instants, q.
    public static TimelineFilter ReadFilter(QueryReader q, IStringLocalizer<SharedResource> text, TimeZoneInfo zone)
    {
        var v = new Validator(text);
        var kinds = new List<ActivityKind>();
        foreach (var name in (q.Text("kinds") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Enum.TryParse<ActivityKind>(name, ignoreCase: true, out var kind) && Enum.IsDefined(kind)) kinds.Add(kind);
            else v.Add("kinds", "{0} must be one of: {1}.", "kinds", string.Join(", ", Enum.GetNames<ActivityKind>()));
        }

        var types = (q.Text("types") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (types.Count > 20 || types.Any(t => t.Length > 50)) v.Add("types", "{0} takes at most {1} types of at most {2} characters each.", "types", 20, 50);
        var filter = new TimelineFilter
        {
            Kinds = kinds,
            Types = types,
            From = IsDate(q.Text("from")) ? StartOfDay(q.Date("from"), zone) : q.Instant("from"),
            Until = IsDate(q.Text("to")) ? StartOfDay(q.Date("to")?.AddDays(1), zone) : q.Instant("to")?.AddTicks(1),
            Q = q.Text("q"),
        };
        v.ThrowIfAny();
        return filter;
    }

    private static bool IsDate(string? s) => s is not null && DateOnly.TryParseExact(PersianText.ToLatinDigits(s), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static DateTime? StartOfDay(DateOnly? day, TimeZoneInfo zone) => day is { } d
        ? TimeZoneInfo.ConvertTimeToUtc(d.ToDateTime(TimeOnly.MinValue), zone)
        : null;

    public static IEndpointRouteBuilder MapActivities(this IEndpointRouteBuilder app)
    {
        var contacts = app.MapGroup("/api/contacts/{id:int}/timeline").WithTags("Timeline");
        contacts.MapGet("/", async Task<Results<Ok<PagedResult<TimelineItem>>, NotFound>> (
                int id, HttpContext http, ClaimsPrincipal me, ListTimeline timeline, IStringLocalizer<SharedResource> text, PayvandSettings settings, CancellationToken ct) =>
            {
                var (filter, page) = Read(http, text, await settings.TimeZone(ct));
                return ApiResults.OkOrNotFound(await timeline.ForContact(id, filter, page, me.Scope(), ct));
            })
            .WithSummary("A person's timeline, newest first: filter (kinds, from, to, q) and page (page, pageSize)")
            .RequireAuthorization(ActivitiesPermissions.Read);
        contacts.MapPost("/", async Task<Results<Created<TimelineItem>, NotFound>> (
                int id, ActivityInput input, ClaimsPrincipal me, LogActivity log, CancellationToken ct) =>
                await log.OnContact(id, input, me.Scope(), ct) is { } item ? TypedResults.Created($"/api/activities/{item.Id}", item) : TypedResults.NotFound())
            .WithSummary("Log a note, call, meeting, email or SMS on a person (companyId may link a company too)")
            .RequireAuthorization(ActivitiesPermissions.Write);

        var companies = app.MapGroup("/api/companies/{id:int}/timeline").WithTags("Timeline");
        companies.MapGet("/", async Task<Results<Ok<PagedResult<TimelineItem>>, NotFound>> (
                int id, HttpContext http, ClaimsPrincipal me, ListTimeline timeline, IStringLocalizer<SharedResource> text, PayvandSettings settings, CancellationToken ct) =>
            {
                var (filter, page) = Read(http, text, await settings.TimeZone(ct));
                return ApiResults.OkOrNotFound(await timeline.ForCompany(id, filter, page, me.Scope(), ct));
            })
            .WithSummary("A company's timeline with its people's entries, newest first: filter (kinds, from, to, q) and page (page, pageSize)")
            .RequireAuthorization(ActivitiesPermissions.Read);
        companies.MapPost("/", async Task<Results<Created<TimelineItem>, NotFound>> (
                int id, ActivityInput input, ClaimsPrincipal me, LogActivity log, CancellationToken ct) =>
                await log.OnCompany(id, input, me.Scope(), ct) is { } item ? TypedResults.Created($"/api/activities/{item.Id}", item) : TypedResults.NotFound())
            .WithSummary("Log a note, call, meeting, email or SMS on a company (contactId may link one of its people too)")
            .RequireAuthorization(ActivitiesPermissions.Write);

        var activities = app.MapGroup("/api/activities").WithTags("Timeline");
        activities.MapGet("/follow-ups", async (ClaimsPrincipal me, MyFollowUps followUps, CancellationToken ct) =>
                TypedResults.Ok(await followUps.Handle(me.Scope(), ct)))
            .WithSummary("The caller's follow-ups not yet done, due within 7 days, overdue ones (of the last 30 days) first")
            .RequireAuthorization(ActivitiesPermissions.Read);
        CompleteFollowUp.Map(activities);
        activities.MapPut("/{id:long}", async Task<Results<Ok<TimelineItem>, NotFound, ForbidHttpResult>> (
                long id, ActivityInput input, ClaimsPrincipal me, ChangeActivity change, CancellationToken ct) =>
                await change.Update(id, input, me.Scope(), ct) switch
                {
                    (ChangeResult.Done, { } item) => TypedResults.Ok(item),
                    (ChangeResult.NotAllowed, _) => TypedResults.Forbid(),
                    _ => TypedResults.NotFound(),
                })
            .WithSummary("Correct a logged activity (its author or a manager); the kind stays, entries of other modules cannot be changed (409)")
            .RequireAuthorization(ActivitiesPermissions.Write);
        activities.MapDelete("/{id:long}", async Task<Results<NoContent, NotFound, ForbidHttpResult>> (
                long id, ClaimsPrincipal me, ChangeActivity change, CancellationToken ct) =>
                await change.Delete(id, me.Scope(), ct) switch
                {
                    ChangeResult.Done => TypedResults.NoContent(),
                    ChangeResult.NotAllowed => TypedResults.Forbid(),
                    _ => TypedResults.NotFound(),
                })
            .WithSummary("Delete a logged activity (its author or a manager); entries of other modules cannot be deleted (409)")
            .RequireAuthorization(ActivitiesPermissions.Write);
        return app;
    }

    private static (TimelineFilter Filter, PageRequest Page) Read(HttpContext http, IStringLocalizer<SharedResource> text, TimeZoneInfo zone)
    {
        var q = new QueryReader(http.Request.Query, text);
        var filter = ReadFilter(q, text, zone);
        var page = q.Page([]);
        q.ThrowIfAny();
        return (filter, page);
    }
}
