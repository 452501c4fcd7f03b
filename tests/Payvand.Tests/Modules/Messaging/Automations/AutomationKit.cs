using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging;
using Payvand.Modules.Messaging.Automations;
using Payvand.Modules.Messaging.Templates;
using Payvand.Platform.Events;
using Payvand.Platform.Jobs;

namespace Payvand.Tests.Modules.Messaging.Automations;

// What the automation tests share: a template and an automation written through the handlers the API uses, the
// daily run and an event delivered straight to the automations' handler (as often as a test wants), and the messages
// an automation queued.
internal static class AutomationKit
{
    public static async Task<int> Template(
        MessagingApp app, string body, ContactPurpose purpose = ContactPurpose.Transactional, TemplateLanguage language = TemplateLanguage.Fa,
        string? subject = null, string? html = null)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SaveTemplate>().Create(new TemplateInput
        {
            Name = "Automation " + Guid.NewGuid().ToString("N")[..6],
            Channel = subject is null ? ConsentChannel.Sms : ConsentChannel.Email,
            Purpose = purpose,
            Language = language,
            Subject = subject,
            Body = body,
            HtmlBody = html,
        }, CancellationToken.None);
    }

    public static async Task<int> Automation(
        MessagingApp app, string trigger, int templateId, Dictionary<string, string?>? parameters = null, bool enabled = true,
        ContactPurpose purpose = ContactPurpose.Transactional, string channel = ConsentChannel.Sms)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SaveAutomation>().Create(new AutomationInput
        {
            Name = trigger + " " + Guid.NewGuid().ToString("N")[..6],
            Trigger = trigger,
            Enabled = enabled,
            Channel = channel,
            TemplateId = templateId,
            Purpose = purpose,
            Parameters = parameters,
        }, CancellationToken.None);
    }

    public static async Task<int> Daily(MessagingApp app)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<DailyAutomations>().Run(CancellationToken.None);
    }

    // Delivers the event to the automations the way the event dispatcher does: in a transaction of its own, committed.
    public static async Task Deliver<TEvent>(MessagingApp app, TEvent domainEvent)
    {
        using var scope = app.Services.CreateScope();
        await using var db = await app.Db();
        await using var tx = await db.Database.BeginTransactionAsync();
        var handler = scope.ServiceProvider.GetRequiredService<AutomationEventHandler<TEvent>>();
        await handler.Handle(domainEvent, new EventContext(Guid.NewGuid(), app.Clock.GetUtcNow().UtcDateTime, 1, db), CancellationToken.None);
        await tx.CommitAsync();
        await RunJobs(app);
    }

    // Runs the automations' queued jobs as the job runner would (the test app has no runner): what events found is
    // rendered and queued here.
    public static async Task RunJobs(MessagingApp app)
    {
        var job = app.Services.GetRequiredService<AutomationEventJob>();
        await using var db = await app.Db();
        foreach (var queued in await db.Jobs.Where(j => j.Kind == AutomationEventJob.JobKind && j.Status == JobStatus.Queued).OrderBy(j => j.Id).ToListAsync())
        {
            await job.Run(queued, CancellationToken.None);
            queued.Status = JobStatus.Succeeded;
            await db.SaveChangesAsync();
        }
    }

    public static async Task<List<Message>> Messages(MessagingApp app, int automationId, int? contactId = null)
    {
        await using var db = await app.Db();
        var source = Payvand.Modules.Messaging.Automations.Automation.SourceOf(automationId);
        return await db.Messages.AsNoTracking().Where(m => m.Source == source && (contactId == null || m.ContactId == contactId)).OrderBy(m => m.Id).ToListAsync();
    }

    // Waits for the background event dispatcher (it polls every second) to have queued what the test expects.
    public static async Task<List<Message>> WaitForMessages(MessagingApp app, int automationId, int contactId, int count = 1)
    {
        var dispatcher = app.Services.GetRequiredService<EventDispatcher>();
        for (var i = 0; i < 100; i++)
        {
            await dispatcher.RunOnce(CancellationToken.None);
            await RunJobs(app);
            var messages = await Messages(app, automationId, contactId);
            if (messages.Count >= count) return messages;
            await Task.Delay(100);
        }

        return await Messages(app, automationId, contactId);
    }

    public static async Task<List<AutomationRun>> Runs(MessagingApp app, int automationId)
    {
        await using var db = await app.Db();
        return await db.AutomationRuns.AsNoTracking().Where(r => r.AutomationId == automationId).OrderBy(r => r.Id).ToListAsync();
    }
}
