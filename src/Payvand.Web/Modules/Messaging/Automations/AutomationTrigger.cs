using System.Globalization;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Events;

namespace Payvand.Modules.Messaging.Automations;

public enum TriggerParameterKind
{
    // One of Choices.
    Choice,

    // A whole number between Min and Max.
    WholeNumber,

    // A number between Min and Max (a dot for decimals).
    Number,
}

// A value a choice parameter may have, with its label (a resource key).
public sealed record TriggerChoice(string Value, string Label);

// One parameter a trigger takes: its name (the key in Automation.Parameters), its label (a resource key), its kind,
// its default, and, when it applies only for another parameter's value, that parameter and value (WhenName, WhenValue).
public sealed record TriggerParameter(string Name, string Label, TriggerParameterKind Kind, string Default)
{
    public IReadOnlyList<TriggerChoice> Choices { get; init; } = [];

    public double? Min { get; init; }

    public double? Max { get; init; }

    public string? WhenName { get; init; }

    public string? WhenValue { get; init; }
}

// Someone an automation sends to, for which occasion (a person gets one message per automation and occasion), with the
// values the template may use besides the person's fields ({{ amount }}, {{ days }}).
public sealed record AutomationOccurrence(int ContactId, string Occasion, IReadOnlyDictionary<string, string?>? Values = null);

// The day a scheduled trigger runs for, in the business time zone.
public sealed record AutomationDay(DateTime Now, DateOnly Today, TimeZoneInfo Zone);

/// <summary>
/// What starts an automation (the extension point other modules add triggers through, docs/adr/0016): register with
/// <c>services.AddAutomationTrigger&lt;T&gt;()</c>. A trigger also implements <see cref="IAutomationEventTrigger{TEvent}"/>
/// for each durable event it reacts to, or <see cref="IScheduledAutomationTrigger"/> to be asked once a day.
/// </summary>
public interface IAutomationTrigger
{
    // Stored on the automation; never change it once automations use it.
    string Key { get; }

    // Resource keys: what the trigger is called and what it does.
    string Label { get; }

    string Description { get; }

    IReadOnlyList<TriggerParameter> Parameters { get; }

    // The names of the values it gives templates ({{ amount }}), besides the person's fields.
    IReadOnlyList<string> Values => [];
}

// A trigger that reacts to a durable event: who gets a message for it (usually one person), with which occasion. Runs in
// the event delivery's transaction (read through db; write nothing).
public interface IAutomationEventTrigger<in TEvent> : IAutomationTrigger
{
    Task<IReadOnlyList<AutomationOccurrence>> Find(TEvent domainEvent, AutomationParameters parameters, PayvandDb db, CancellationToken ct);
}

// A trigger asked once a day (schedule "automations", 09:00 in the business time zone): everyone due that day, found
// in a set-based query, never by loading every person.
public interface IScheduledAutomationTrigger : IAutomationTrigger
{
    Task<IReadOnlyList<AutomationOccurrence>> Find(AutomationParameters parameters, AutomationDay day, PayvandDb db, CancellationToken ct);
}

// The parameters of one automation as its trigger declares them: a missing value is the parameter's default.
public sealed class AutomationParameters(IAutomationTrigger trigger, IReadOnlyDictionary<string, string> values)
{
    public string Text(string name) =>
        values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : Declared(name).Default;

    public int Whole(string name) => int.Parse(Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture);

    public double Number(string name) => double.Parse(Text(name), NumberStyles.Float, CultureInfo.InvariantCulture);

    private TriggerParameter Declared(string name) => trigger.Parameters.SingleOrDefault(p => p.Name == name)
        ?? throw new InvalidOperationException($"Trigger {trigger.Key} has no parameter {name}.");

    // Checks values against the declared parameters: unknown names, choices, numbers and their bounds, as field errors
    // "parameters.{name}". Returns the values to store: the ones that apply, cleaned (digits in any script accepted).
    public static Dictionary<string, string> Validate(IAutomationTrigger trigger, IReadOnlyDictionary<string, string?> given, Validator v)
    {
        var clean = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in given.Keys.Where(k => trigger.Parameters.All(p => p.Name != k)))
        {
            v.Add("parameters." + name, "The trigger has no parameter {0}.", name);
        }

        string Value(TriggerParameter p) => clean.TryGetValue(p.Name, out var c) ? c : p.Default;
        foreach (var p in trigger.Parameters)
        {
            if (p.WhenName is not null && trigger.Parameters.SingleOrDefault(x => x.Name == p.WhenName) is { } when && Value(when) != p.WhenValue) continue;
            var text = given.TryGetValue(p.Name, out var g) ? Payvand.Platform.Persian.PersianText.ToLatinDigits(g).Trim() : "";
            if (text.Length == 0) continue;
            var field = "parameters." + p.Name;
            var label = v.Text[p.Label];
            switch (p.Kind)
            {
                case TriggerParameterKind.Choice when p.Choices.All(c => c.Value != text):
                    v.Add(field, "{0} must be one of: {1}.", label, string.Join(", ", p.Choices.Select(c => c.Value)));
                    continue;
                case TriggerParameterKind.WholeNumber when !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) || i < p.Min || i > p.Max:
                    v.Add(field, "{0} must be a whole number between {1} and {2}.", label, p.Min ?? int.MinValue, p.Max ?? int.MaxValue);
                    continue;
                case TriggerParameterKind.Number when !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d) || d < p.Min || d > p.Max:
                    v.Add(field, "{0} must be a number between {1} and {2}.", label, p.Min ?? double.MinValue, p.Max ?? double.MaxValue);
                    continue;
            }

            clean[p.Name] = text;
        }

        return clean;
    }
}

public static class AutomationTriggerRegistration
{
    // Registers a trigger; for each event it reacts to, the one durable handler of that event ("Automations.{Event}")
    // that runs every enabled automation of every trigger of the event.
    public static IServiceCollection AddAutomationTrigger<T>(this IServiceCollection services) where T : class, IAutomationTrigger
    {
        services.AddSingleton<T>();
        services.AddSingleton<IAutomationTrigger>(sp => sp.GetRequiredService<T>());
        var events = typeof(T).GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAutomationEventTrigger<>))
            .Select(i => i.GetGenericArguments()[0]);
        foreach (var eventType in events)
        {
            var name = "Automations." + eventType.Name;
            if (services.Any(d => d.ServiceType == typeof(EventHandlerRegistration) && d.ImplementationInstance is EventHandlerRegistration r && r.Name == name)) continue;
            var handler = typeof(AutomationEventHandler<>).MakeGenericType(eventType);
            services.AddScoped(handler);
            services.AddSingleton(new EventHandlerRegistration(name, eventType, handler));
        }

        return services;
    }
}
