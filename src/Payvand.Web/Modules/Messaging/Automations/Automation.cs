using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging.Templates;
using Payvand.Platform.Data;

namespace Payvand.Modules.Messaging.Automations;

// An automation (اتوماسیون پیام): a rule that sends by itself. Its trigger (a key of the registered IAutomationTrigger,
// with the trigger's parameters) says who gets a message and for which occasion; the template, rendered for each of
// them, is queued on the channel for the purpose, at most once per person per occasion (Source = "automation:{Id}").
public sealed class Automation : IAudited, IVersioned, ITimestamped
{
    public const int NameLength = 100;
    public const string SourcePrefix = "automation:";

    public int Id { get; set; }

    public required string Name { get; set; }

    public required string Trigger { get; set; }

    public bool Enabled { get; set; }

    // A key of Channels ("sms", "email", ...); the template is of the same channel.
    public required string Channel { get; set; }

    public int TemplateId { get; set; }

    public ContactPurpose Purpose { get; set; }

    // The trigger's parameters as a JSON object of names to texts ({"after":"signup"}).
    public string Parameters { get; set; } = "{}";

    public int Version { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    // The messages this automation queued carry it as their source.
    public string Source => SourcePrefix + Id;

    public static string SourceOf(int id) => SourcePrefix + id;

    public IReadOnlyDictionary<string, string> ParameterValues() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(Parameters) ?? [];

    public static string ToJson(IReadOnlyDictionary<string, string> values) =>
        JsonSerializer.Serialize(values.OrderBy(v => v.Key, StringComparer.Ordinal).ToDictionary(v => v.Key, v => v.Value));
}

// One run of an automation: a daily occurrence of a scheduled trigger, or an event that ended in an error (an event that
// queued its message needs no entry: the message is the record). Counts what was queued, what had already been sent for
// its occasion, and what failed to render, with the first error.
public sealed class AutomationRun
{
    public const int ErrorLength = 1000;

    public long Id { get; set; }

    public int AutomationId { get; set; }

    public DateTime At { get; set; }

    // What started it: "schedule" or the event's name.
    public required string Cause { get; set; }

    public int Queued { get; set; }

    public int AlreadySent { get; set; }

    public int Failed { get; set; }

    public string? Error { get; set; }
}

internal sealed class AutomationConfiguration : IEntityTypeConfiguration<Automation>, IEntityTypeConfiguration<AutomationRun>
{
    public void Configure(EntityTypeBuilder<Automation> b)
    {
        b.ToTable("Automations");
        b.Property(a => a.Name).HasMaxLength(Automation.NameLength);
        b.Property(a => a.Trigger).HasMaxLength(50);
        b.Property(a => a.Channel).HasMaxLength(20);
        b.Property(a => a.Parameters).HasMaxLength(2000);
        b.Property(a => a.Version).IsConcurrencyToken();
        b.Ignore(a => a.Source);
        b.HasOne<MessageTemplate>().WithMany().HasForeignKey(a => a.TemplateId).OnDelete(DeleteBehavior.Restrict);
        // Events and the daily run look up the enabled automations of a trigger.
        b.HasIndex(a => new { a.Trigger, a.Enabled });
    }

    public void Configure(EntityTypeBuilder<AutomationRun> b)
    {
        b.ToTable("AutomationRuns");
        b.Property(r => r.Cause).HasMaxLength(50);
        b.Property(r => r.Error).HasMaxLength(AutomationRun.ErrorLength);
        b.HasOne<Automation>().WithMany().HasForeignKey(r => r.AutomationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => new { r.AutomationId, r.Id });
    }
}
