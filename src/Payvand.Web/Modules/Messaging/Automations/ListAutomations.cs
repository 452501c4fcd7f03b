using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Messaging.Automations;

// How many messages an automation wrote, by where they are now: waiting to be sent (queued, waiting for hours or the
// person's best time, being sent), sent (not yet reported delivered), delivered, suppressed by a consent rule, failed,
// cancelled. Queued is all of them.
public sealed record AutomationCounts(int Queued, int Waiting, int Sent, int Delivered, int Suppressed, int Failed, int Cancelled)
{
    public static readonly AutomationCounts None = new(0, 0, 0, 0, 0, 0, 0);
}

public sealed record AutomationDto(
    int Id, string Name, string Trigger, string TriggerLabel, bool Enabled, string Channel, int TemplateId, string? TemplateName,
    ContactPurpose Purpose, IReadOnlyDictionary<string, string> Parameters, int Version, DateTime CreatedAt, DateTime UpdatedAt,
    AutomationCounts Messages);

public sealed record AutomationRunDto(long Id, DateTime At, string Cause, int Queued, int AlreadySent, int Failed, string? Error);

public sealed record AutomationActivity(AutomationCounts Messages, IReadOnlyList<AutomationRunDto> Runs);

public sealed record TriggerChoiceDto(string Value, string Label);

public sealed record TriggerParameterDto(
    string Name, string Label, TriggerParameterKind Kind, string Default, IReadOnlyList<TriggerChoiceDto> Choices, double? Min, double? Max,
    string? WhenName, string? WhenValue);

// A trigger as the editor and API clients see it, in the caller's language. Scheduled: asked daily; else event-driven.
public sealed record TriggerDto(string Key, string Label, string Description, bool Scheduled, IReadOnlyList<TriggerParameterDto> Parameters, IReadOnlyList<string> Values);

// Reads automations with the counts of their messages, their recent runs, and the registered triggers.
public sealed class ListAutomations(IDbContextFactory<PayvandDb> dbFactory, IEnumerable<IAutomationTrigger> triggers, IStringLocalizer<SharedResource> text)
{
    public const int RecentRuns = 50;

    public List<TriggerDto> Triggers() => triggers.Select(t => new TriggerDto(
            t.Key, text[t.Label], text[t.Description], t is IScheduledAutomationTrigger,
            t.Parameters.Select(p => new TriggerParameterDto(p.Name, text[p.Label], p.Kind, p.Default,
                p.Choices.Select(c => new TriggerChoiceDto(c.Value, text[c.Label])).ToList(), p.Min, p.Max, p.WhenName, p.WhenValue)).ToList(),
            t.Values))
        .ToList();

    public async Task<List<AutomationDto>> Handle(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Automations.AsNoTracking().OrderBy(a => a.Name).ThenBy(a => a.Id).ToListAsync(ct);
        return await ToDtos(db, rows, ct);
    }

    public async Task<AutomationDto?> Get(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Automations.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        return row is null ? null : (await ToDtos(db, [row], ct))[0];
    }

    // The counts of its messages and its latest runs, newest first; null when there is no such automation.
    public async Task<AutomationActivity?> Activity(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Automations.AnyAsync(a => a.Id == id, ct)) return null;
        var counts = await Counts(db, [id], ct);
        var runs = await db.AutomationRuns.AsNoTracking().Where(r => r.AutomationId == id).OrderByDescending(r => r.Id).Take(RecentRuns)
            .Select(r => new AutomationRunDto(r.Id, r.At, r.Cause, r.Queued, r.AlreadySent, r.Failed, r.Error)).ToListAsync(ct);
        return new AutomationActivity(counts.GetValueOrDefault(id, AutomationCounts.None), runs);
    }

    private async Task<List<AutomationDto>> ToDtos(PayvandDb db, List<Automation> rows, CancellationToken ct)
    {
        var templateIds = rows.Select(a => a.TemplateId).Distinct().ToList();
        var names = await db.MessageTemplates.AsNoTracking().Where(t => templateIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var counts = await Counts(db, rows.Select(a => a.Id).ToList(), ct);
        return rows.Select(a => ToDto(a, names.GetValueOrDefault(a.TemplateId), counts.GetValueOrDefault(a.Id, AutomationCounts.None))).ToList();
    }

    private static async Task<Dictionary<int, AutomationCounts>> Counts(PayvandDb db, List<int> ids, CancellationToken ct)
    {
        var sources = ids.Select(Automation.SourceOf).ToList();
        var groups = await db.Messages.Where(m => sources.Contains(m.Source))
            .GroupBy(m => new { m.Source, m.Status }).Select(g => new { g.Key.Source, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        return groups.GroupBy(g => int.Parse(g.Source[Automation.SourcePrefix.Length..], System.Globalization.CultureInfo.InvariantCulture)).ToDictionary(g => g.Key, g =>
        {
            int Of(params MessageStatus[] s) => g.Where(x => s.Contains(x.Status)).Sum(x => x.Count);
            return new AutomationCounts(g.Sum(x => x.Count), Of(MessageStatus.Queued, MessageStatus.Waiting, MessageStatus.Sending), Of(MessageStatus.Sent),
                Of(MessageStatus.Delivered), Of(MessageStatus.Suppressed), Of(MessageStatus.Failed), Of(MessageStatus.Cancelled));
        });
    }

    private AutomationDto ToDto(Automation a, string? templateName, AutomationCounts counts)
    {
        var trigger = triggers.FirstOrDefault(t => t.Key == a.Trigger);
        return new AutomationDto(a.Id, a.Name, a.Trigger, trigger is null ? a.Trigger : text[trigger.Label], a.Enabled, a.Channel, a.TemplateId, templateName,
            a.Purpose, a.ParameterValues(), a.Version, a.CreatedAt, a.UpdatedAt, counts);
    }
}
