using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging.Templates;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Events;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Messaging.Automations;

// Turns an automation's occurrences into messages, in the caller's context and transaction: the occasions this
// automation already has a message for are skipped (one query per 500 people), the template is rendered for each of the
// others (a rendering error is counted and the first kept on the run, nothing is queued for that person) and the message
// is added to the outbox. Consent, quiet hours, best time and the weekly cap are the dispatcher's, as for any message.
public sealed class AutomationRunner(MessageOutbox outbox, MessageTemplates templates, TimeProvider clock, IConfiguration configuration)
{
    private const int Chunk = 500;

    public sealed record Outcome(int Queued, int AlreadySent, int Failed, string? Error);

    // logRun: always write an AutomationRun (scheduled runs); otherwise only when something failed (events).
    public async Task<Outcome> Run(
        PayvandDb db, Automation automation, IReadOnlyList<AutomationOccurrence> occurrences, string cause, bool logRun, CancellationToken ct)
    {
        var source = automation.Source;
        int queued = 0, already = 0, failed = 0;
        string? error = null;
        var template = await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == automation.TemplateId, ct);
        if (template is null || template.ArchivedAt is not null)
        {
            failed = occurrences.Count;
            error = "The template was not found or is archived.";
            occurrences = [];
        }

        foreach (var chunk in occurrences.Chunk(Chunk))
        {
            var ids = chunk.Select(o => o.ContactId).Distinct().ToList();
            var people = ids.Select(id => (int?)id).ToList();
            var taken = (await db.Messages.AsNoTracking()
                    .Where(m => m.Source == source && people.Contains(m.ContactId) && m.Occasion != null)
                    .Select(m => new { m.ContactId, m.Occasion })
                    .ToListAsync(ct))
                .Select(m => (m.ContactId!.Value, m.Occasion!)).ToHashSet();
            var languages = template!.Language == TemplateLanguage.Both
                ? await db.Contacts.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Preferences.Language, ct)
                : [];
            foreach (var occurrence in chunk)
            {
                if (!taken.Add((occurrence.ContactId, occurrence.Occasion)))
                {
                    already++;
                    continue;
                }

                var culture = Culture(template.Language, languages.GetValueOrDefault(occurrence.ContactId));
                var text = new TemplateText(template.Channel, template.Subject, template.Body, template.HtmlBody);
                var rendered = await templates.Render(text, occurrence.ContactId, occurrence.Values ?? new Dictionary<string, string?>(), culture, null, ct);
                string? problem = rendered.Succeeded ? null : string.Join("; ", rendered.Errors.Select(e => $"{e.Field}: {e.Message}"));
                var email = automation.Channel == ConsentChannel.Email;
                problem ??= Unsendable(rendered.Message!, email);
                if (problem is not null)
                {
                    failed++;
                    error ??= $"#{occurrence.ContactId}: {problem}";
                    continue;
                }

                // An email carries the template's subject and HTML part as rendered for the person, beside the text.
                var message = await outbox.Add(db, new OutgoingMessage(occurrence.ContactId, rendered.Message!.Body, source)
                {
                    Channel = automation.Channel,
                    Subject = email ? rendered.Message.Subject : null,
                    HtmlBody = email && !string.IsNullOrWhiteSpace(rendered.Message.HtmlBody) ? rendered.Message.HtmlBody : null,
                    Purpose = automation.Purpose,
                    Occasion = occurrence.Occasion,
                }, ct);
                if (message is null) already++;
                else queued++;
            }
        }

        if (logRun || failed > 0)
        {
            db.AutomationRuns.Add(new AutomationRun
            {
                AutomationId = automation.Id,
                At = clock.GetUtcNow().UtcDateTime,
                Cause = cause,
                Queued = queued,
                AlreadySent = already,
                Failed = failed,
                Error = error is { Length: > AutomationRun.ErrorLength } ? error[..AutomationRun.ErrorLength] : error,
            });
        }

        return new Outcome(queued, already, failed, error);
    }

    // Why a rendered message cannot be queued: its text empty or too long; an email's subject missing or too long, or
    // its HTML too long.
    private static string? Unsendable(RenderedMessage m, bool email)
    {
        var max = email ? MessageOutbox.MaxEmailBodyLength : MessageOutbox.MaxBodyLength;
        if (m.Body.Length is 0 || m.Body.Length > max) return $"body: {m.Body.Length} characters (1 to {max})";
        if (!email) return null;
        if (string.IsNullOrWhiteSpace(m.Subject) || m.Subject.Length > MessageOutbox.MaxSubjectLength)
        {
            return $"subject: {m.Subject?.Length ?? 0} characters (1 to {MessageOutbox.MaxSubjectLength})";
        }

        return m.HtmlBody?.Length > MessageOutbox.MaxEmailBodyLength ? $"htmlBody: more than {MessageOutbox.MaxEmailBodyLength} characters" : null;
    }

    // A template in one language is rendered in it; one for both in the person's language, else the business's.
    private CultureInfo Culture(TemplateLanguage language, string? personLanguage) =>
        MessageTemplates.CultureFor(language, personLanguage, configuration["Payvand:Culture"]);
}

// The one durable handler of an event for every automation trigger that reacts to it: in the delivery's transaction it
// asks the triggers of the enabled automations who gets a message, and writes that down as a job (one per automation
// that found someone), committed with the delivery. The job renders and queues (AutomationEventJob): rendering reads the
// person on connections of its own, which must not be opened while the delivery's transaction holds one.
public sealed class AutomationEventHandler<TEvent>(IEnumerable<IAutomationTrigger> triggers, JobQueue jobs) : IEventHandler<TEvent>
{
    public async Task Handle(TEvent domainEvent, EventContext context, CancellationToken ct)
    {
        var mine = triggers.OfType<IAutomationEventTrigger<TEvent>>().ToDictionary(t => t.Key, StringComparer.Ordinal);
        var keys = mine.Keys.ToList();
        var automations = await context.Db.Automations.AsNoTracking()
            .Where(a => a.Enabled && keys.Contains(a.Trigger)).OrderBy(a => a.Id).ToListAsync(ct);
        var added = new List<BackgroundJob>();
        foreach (var automation in automations)
        {
            var trigger = mine[automation.Trigger];
            var found = await trigger.Find(domainEvent, new AutomationParameters(trigger, automation.ParameterValues()), context.Db, ct);
            if (found.Count == 0) continue;
            var job = jobs.Create(AutomationEventJob.JobKind, new AutomationEventJob.Payload(automation.Id, typeof(TEvent).Name, [.. found]), UserScope.System);
            context.Db.Jobs.Add(job);
            added.Add(job);
        }

        await context.Db.SaveChangesAsync(ct);
        foreach (var job in added) jobs.Wake(job.Id); // looked for at once; found once the delivery commits, else at the next poll
    }
}

// Renders and queues what an event's automation found (at least once: a repeated run finds the occasions taken and
// queues nothing twice). An automation switched off meanwhile queues nothing. Its messages and, when something failed,
// its run entry are saved together.
public sealed class AutomationEventJob(IServiceProvider services) : IJobHandler
{
    public const string JobKind = "automation-event";

    public sealed record Payload(int AutomationId, string Cause, List<AutomationOccurrence> Occurrences);

    public string Kind => JobKind;

    public int MaxAttempts => 5;

    public async Task Run(BackgroundJob job, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<Payload>(job.Payload) ?? throw new InvalidOperationException("Empty automation job.");
        await using var scope = services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<AutomationRunner>();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync(ct);
        var automation = await db.Automations.AsNoTracking().SingleOrDefaultAsync(a => a.Id == payload.AutomationId, ct);
        if (automation is not { Enabled: true }) return;
        await runner.Run(db, automation, payload.Occurrences, payload.Cause, logRun: false, ct);
        await db.SaveChangesAsync(ct);
    }
}
