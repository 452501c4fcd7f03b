using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Messaging.Automations;

// What the editor or an API client sends to write an automation.
public sealed record AutomationInput
{
    public string? Name { get; init; }

    // A trigger's key: GET /api/automations/triggers.
    public string? Trigger { get; init; }

    public bool Enabled { get; init; }

    // A channel key ("sms", "email"); the template must be of this channel.
    public string? Channel { get; init; }

    public int? TemplateId { get; init; }

    public ContactPurpose Purpose { get; init; } = ContactPurpose.Promotional;

    // The trigger's parameters by name; a missing one takes its default.
    public Dictionary<string, string?>? Parameters { get; init; }

    // Required on update: the version the client read (a stale one gets 409).
    public int? Version { get; init; }
}

// Writes automations and switches them on and off, each change audited (IAudited). Bad input is a field error: an
// unknown trigger, channel or parameter, a template of another channel or archived, a number out of its bounds.
public sealed class SaveAutomation(IDbContextFactory<PayvandDb> dbFactory, IEnumerable<IAutomationTrigger> triggers, IStringLocalizer<SharedResource> text)
{
    public async Task<int> Create(AutomationInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var automation = new Automation { Name = "", Trigger = "", Channel = "" };
        await Apply(db, automation, input, ct);
        db.Add(automation);
        await db.SaveChangesAsync(ct);
        return automation.Id;
    }

    // False when there is no such automation.
    public async Task<bool> Update(int id, AutomationInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var automation = await db.Automations.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (automation is null) return false;
        if (input.Version is null) throw new ValidationException(new Dictionary<string, string[]> { ["version"] = [text["{0} is required.", "version"]] });
        db.Entry(automation).Property(a => a.Version).OriginalValue = input.Version.Value;
        await Apply(db, automation, input, ct);
        await db.SaveChangesAsync(ct);
        return true;
    }

    // False when there is no such automation.
    public async Task<bool> Switch(int id, bool enabled, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var automation = await db.Automations.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (automation is null) return false;
        if (automation.Enabled == enabled) return true;
        if (enabled)
        {
            var template = await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == automation.TemplateId, ct);
            if (template?.ArchivedAt is not null) throw new ValidationException(new Dictionary<string, string[]> { ["templateId"] = [text["The template was not found or is archived."]] });
        }

        automation.Enabled = enabled;
        await db.SaveChangesAsync(ct);
        return true;
    }

    private async Task Apply(PayvandDb db, Automation automation, AutomationInput input, CancellationToken ct)
    {
        var v = new Validator(text);
        var name = StoredText.CleanOrNull(input.Name)?.Trim();
        v.Required("name", name, "Name").MaxLength("name", name, Automation.NameLength, "Name");
        var trigger = triggers.FirstOrDefault(t => t.Key == input.Trigger?.Trim());
        if (string.IsNullOrWhiteSpace(input.Trigger)) v.Add("trigger", "{0} is required.", text["Trigger"]);
        else if (trigger is null) v.Add("trigger", "There is no trigger {0}. Known: {1}.", input.Trigger, string.Join(", ", triggers.Select(t => t.Key)));
        var channel = input.Channel?.Trim().ToLowerInvariant() ?? "";
        if (channel.Length == 0) v.Add("channel", "{0} is required.", text["Sending channel"]);
        else if (!await db.Channels.AnyAsync(c => c.Key == channel, ct)) v.Add("channel", "There is no channel {0}.", channel);
        if (!Enum.IsDefined(input.Purpose)) v.Add("purpose", "{0} must be one of: {1}.", text["Purpose"], string.Join(", ", Enum.GetNames<ContactPurpose>()));
        if (input.TemplateId is not { } templateId) v.Add("templateId", "{0} is required.", text["Template"]);
        else
        {
            var template = await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId, ct);
            if (template is null || template.ArchivedAt is not null) v.Add("templateId", "The template was not found or is archived.");
            else if (channel.Length > 0 && template.Channel != channel) v.Add("templateId", "The template is for the {0} channel, not {1}.", template.Channel, channel);
        }

        Dictionary<string, string> parameters = trigger is null ? [] : AutomationParameters.Validate(trigger, input.Parameters ?? [], v);
        v.ThrowIfAny();
        automation.Name = name!;
        automation.Trigger = trigger!.Key;
        automation.Enabled = input.Enabled;
        automation.Channel = channel;
        automation.TemplateId = input.TemplateId!.Value;
        automation.Purpose = input.Purpose;
        automation.Parameters = Automation.ToJson(parameters);
    }
}
