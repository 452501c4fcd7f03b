using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging.Automations;
using Payvand.Modules.Messaging.Templates;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Messaging.Automations;

// /api/automations: writing, versions, switching on and off, the audit trail, bad input as field errors in the
// caller's language, the triggers with their parameters, and who may do what.
[Trait("Category", "Integration")]
public sealed class AutomationsApiTests(MessagingApp app) : IClassFixture<MessagingApp>
{
    private static AutomationInput Input(int templateId, string trigger = "miss-you", Dictionary<string, string?>? parameters = null) => new()
    {
        Name = "Miss you " + Guid.NewGuid().ToString("N")[..6],
        Trigger = trigger,
        Channel = "sms",
        TemplateId = templateId,
        Purpose = ContactPurpose.Promotional,
        Parameters = parameters ?? new() { ["mode"] = "relative", ["factor"] = "2.5", ["minPurchases"] = "۴" },
    };

    [Fact]
    public async Task Automations_are_written_listed_switched_and_audited()
    {
        var admin = await app.ClientAs(Roles.Admin);
        var template = await AutomationKit.Template(app, "دلمان برایتان تنگ شده");
        var created = await (await admin.PostJson("/api/automations", Input(template))).Read<AutomationDto>(HttpStatusCode.Created);
        Assert.Equal(("miss-you", "We miss you", false, "sms", template), (created.Trigger, created.TriggerLabel, created.Enabled, created.Channel, created.TemplateId));
        // Only the parameters that apply to the chosen mode are kept; digits in any script are read.
        Assert.Equal(new Dictionary<string, string> { ["mode"] = "relative", ["factor"] = "2.5", ["minPurchases"] = "4" }, created.Parameters);
        Assert.Equal(AutomationCounts.None, created.Messages);

        Assert.Contains(await (await admin.GetAsync("/api/automations")).Read<List<AutomationDto>>(), a => a.Id == created.Id && a.TemplateName != null);
        var enabled = await (await admin.PostAsync($"/api/automations/{created.Id}/enable", null)).Read<AutomationDto>();
        Assert.True(enabled.Enabled);
        var changed = await (await admin.PutJson($"/api/automations/{created.Id}", Input(template, parameters: new() { ["mode"] = "fixed", ["days"] = "45" }) with
        {
            Name = "Forty-five days",
            Enabled = true,
            Version = enabled.Version,
        })).Read<AutomationDto>();
        Assert.Equal(("Forty-five days", "45"), (changed.Name, changed.Parameters["days"]));
        await (await admin.PutJson($"/api/automations/{created.Id}", Input(template) with { Version = enabled.Version })).Problem(HttpStatusCode.Conflict);
        Assert.Empty((await (await admin.GetAsync($"/api/automations/{created.Id}/runs")).Read<AutomationActivity>()).Runs);
        await (await admin.GetAsync("/api/automations/999999/runs")).Problem(HttpStatusCode.NotFound);
        await (await admin.PostAsync("/api/automations/999999/enable", null)).Problem(HttpStatusCode.NotFound);

        await using var db = await app.Db();
        var audits = await db.Audit.AsNoTracking().Where(a => a.EntityType == nameof(Automation) && a.EntityId == created.Id.ToString()).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([AuditAction.Create, AuditAction.Update, AuditAction.Update], audits.Select(a => a.Action));
        Assert.Contains("\"Enabled\"", audits[1].Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_is_a_field_error_in_the_callers_language()
    {
        var admin = await app.ClientAs(Roles.Admin);
        var sms = await AutomationKit.Template(app, "سلام");
        int email;
        using (var scope = app.Services.CreateScope())
        {
            email = await scope.ServiceProvider.GetRequiredService<SaveTemplate>().Create(
                new TemplateInput { Name = "Email " + Guid.NewGuid().ToString("N")[..6], Channel = "email", Subject = "Hello", Body = "Hello" }, CancellationToken.None);
        }

        static async Task<JsonElement> Errors(HttpResponseMessage response) => (await response.Problem(HttpStatusCode.BadRequest)).GetProperty("errors");

        var unknown = await Errors(await admin.PostJson("/api/automations", Input(sms, trigger: "tier-changed")));
        Assert.StartsWith("There is no trigger tier-changed.", unknown.GetProperty("trigger")[0].GetString(), StringComparison.Ordinal);

        var otherChannel = await Errors(await admin.PostJson("/api/automations", Input(email)));
        Assert.Equal("The template is for the email channel, not sms.", otherChannel.GetProperty("templateId")[0].GetString());

        var badDays = await Errors(await admin.PostJson("/api/automations", Input(sms, parameters: new() { ["mode"] = "fixed", ["days"] = "0", ["windowDays"] = "many", ["color"] = "red" })));
        Assert.Equal("Days since the last purchase must be a whole number between 1 and 3650.", badDays.GetProperty("parameters.days")[0].GetString());
        Assert.True(badDays.TryGetProperty("parameters.windowDays", out _));
        Assert.Equal("The trigger has no parameter color.", badDays.GetProperty("parameters.color")[0].GetString());

        var badMode = await Errors(await admin.PostJson("/api/automations", Input(sms, parameters: new() { ["mode"] = "sometimes", ["factor"] = "0.5" })));
        Assert.True(badMode.TryGetProperty("parameters.mode", out _));

        var empty = await Errors(await admin.PostJson("/api/automations", new AutomationInput { Channel = "pigeon" }));
        Assert.True(empty.TryGetProperty("name", out _));
        Assert.True(empty.TryGetProperty("trigger", out _));
        Assert.True(empty.TryGetProperty("channel", out _));
        Assert.True(empty.TryGetProperty("templateId", out _));

        var fa = await app.ClientAs(Roles.Admin, "fa-IR");
        var faErrors = await Errors(await fa.PostJson("/api/automations", Input(sms, parameters: new() { ["mode"] = "relative", ["factor"] = "50" })));
        Assert.StartsWith("چند برابر فاصله معمول خریدهای شخص باید عددی بین", faErrors.GetProperty("parameters.factor")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_triggers_are_listed_with_their_parameters_in_the_callers_language()
    {
        var fa = await app.ClientAs(Roles.Admin, "fa-IR");
        var triggers = await (await fa.GetAsync("/api/automations/triggers")).Read<List<TriggerDto>>();
        Assert.Equal(["welcome", "thank-you", "birthday", "miss-you"], triggers.Select(t => t.Key));
        var miss = triggers.Single(t => t.Key == "miss-you");
        Assert.Equal(("دلتنگ شما هستیم", true), (miss.Label, miss.Scheduled));
        Assert.Equal(["fixed", "relative"], miss.Parameters.Single(p => p.Name == "mode").Choices.Select(c => c.Value));
        Assert.Equal(("mode", "relative"), (miss.Parameters.Single(p => p.Name == "factor").WhenName, miss.Parameters.Single(p => p.Name == "factor").WhenValue));
        Assert.False(triggers.Single(t => t.Key == "thank-you").Scheduled);
    }

    [Fact]
    public async Task Reading_needs_automations_read_and_writing_automations_write()
    {
        var template = await AutomationKit.Template(app, "سلام");
        var support = await app.ClientAs(Roles.Support);
        await (await support.GetAsync("/api/automations")).Problem(HttpStatusCode.Forbidden);
        var sales = await app.ClientAs(Roles.Sales);
        await (await sales.PostJson("/api/automations", Input(template))).Problem(HttpStatusCode.Forbidden);
        var marketing = await app.ClientAs(Roles.Marketing);
        await (await marketing.PostJson("/api/automations", Input(template))).Read<AutomationDto>(HttpStatusCode.Created);
    }
}
