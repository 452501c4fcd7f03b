using Microsoft.AspNetCore.Http.HttpResults;
using Payvand.Platform.Api;
using Payvand.Platform.Jobs;

namespace Payvand.Modules.Messaging.Automations;

// Automations (اتوماسیون پیام): rules that send by themselves through the message outbox, their triggers (an extension
// point: AddAutomationTrigger<T>), the daily schedule and /api/automations. The page injects the same handlers.
public static class AutomationsModule
{
    public static IServiceCollection AddAutomations(this IServiceCollection services) => services
        .AddAutomationsPermissions()
        .AddTransient<AutomationRunner>()
        .AddTransient<ListAutomations>()
        .AddTransient<SaveAutomation>()
        .AddTransient<DailyAutomations>()
        .AddJobHandler<DailyAutomationsJob>()
        .AddJobHandler<AutomationEventJob>()
        .AddSchedule(DailyAutomations.ScheduleName, "0 9 * * *", DailyAutomations.JobKind)
        .AddAutomationTrigger<WelcomeTrigger>()
        .AddAutomationTrigger<ThankYouTrigger>()
        .AddAutomationTrigger<BirthdayTrigger>()
        .AddAutomationTrigger<MissYouTrigger>();

    public static IEndpointRouteBuilder MapAutomations(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/automations").WithTags("Automations");

        api.MapGet("/", async (ListAutomations list, CancellationToken ct) => TypedResults.Ok(await list.Handle(ct)))
            .WithSummary("Automations by name, each with the counts of its messages (queued, waiting, sent, delivered, suppressed, failed, cancelled)")
            .RequireAuthorization(AutomationsPermissions.Read);

        api.MapGet("/triggers", (ListAutomations list) => TypedResults.Ok(list.Triggers()))
            .WithSummary("The triggers an automation can have, with their parameters (kind, default, choices, bounds) and the values they give templates")
            .RequireAuthorization(AutomationsPermissions.Read);

        api.MapGet("/{id:int}", async Task<Results<Ok<AutomationDto>, NotFound>> (int id, ListAutomations list, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await list.Get(id, ct)))
            .WithSummary("One automation")
            .RequireAuthorization(AutomationsPermissions.Read);

        api.MapGet("/{id:int}/runs", async Task<Results<Ok<AutomationActivity>, NotFound>> (int id, ListAutomations list, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await list.Activity(id, ct)))
            .WithSummary("What an automation did: the counts of its messages and its latest runs (daily runs, and events that failed to render), newest first")
            .RequireAuthorization(AutomationsPermissions.Read);

        api.MapPost("/", async (AutomationInput input, SaveAutomation save, ListAutomations list, CancellationToken ct) =>
            {
                var id = await save.Create(input, ct);
                return TypedResults.Created($"/api/automations/{id}", await list.Get(id, ct));
            })
            .WithSummary("Create an automation: name, trigger, enabled, channel, templateId (a template of that channel), purpose, parameters. Bad input is a 400 with field errors")
            .RequireAuthorization(AutomationsPermissions.Write);

        api.MapPut("/{id:int}", async Task<Results<Ok<AutomationDto>, NotFound>> (int id, AutomationInput input, SaveAutomation save, ListAutomations list, CancellationToken ct) =>
                await save.Update(id, input, ct) ? TypedResults.Ok((await list.Get(id, ct))!) : TypedResults.NotFound())
            .WithSummary("Change an automation; send the version you read (stale: 409)")
            .RequireAuthorization(AutomationsPermissions.Write);

        api.MapPost("/{id:int}/enable", async Task<Results<Ok<AutomationDto>, NotFound>> (int id, SaveAutomation save, ListAutomations list, CancellationToken ct) =>
                await save.Switch(id, true, ct) ? TypedResults.Ok((await list.Get(id, ct))!) : TypedResults.NotFound())
            .WithSummary("Switch an automation on")
            .RequireAuthorization(AutomationsPermissions.Write);

        api.MapPost("/{id:int}/disable", async Task<Results<Ok<AutomationDto>, NotFound>> (int id, SaveAutomation save, ListAutomations list, CancellationToken ct) =>
                await save.Switch(id, false, ct) ? TypedResults.Ok((await list.Get(id, ct))!) : TypedResults.NotFound())
            .WithSummary("Switch an automation off: nothing more is queued by it (messages already queued are sent)")
            .RequireAuthorization(AutomationsPermissions.Write);
        return app;
    }
}
