using System.Diagnostics.Metrics;
using Payvand.Platform.Jobs;

namespace Payvand.Platform.Telemetry;

// Payvand's own meter, "Payvand", beside ASP.NET Core's request metrics: what the background work did.
// Exported with the rest over OTLP when Payvand:Telemetry:OtlpEndpoint is set (PlatformSetup).
public sealed class PayvandMetrics
{
    public const string MeterName = "Payvand";

    private readonly Counter<long> jobsCompleted;
    private readonly Counter<long> eventsDelivered;
    private readonly Counter<long> eventsFailed;
    private readonly Counter<long> messagesSent;

    public PayvandMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName); // owned and disposed by the factory
        jobsCompleted = meter.CreateCounter<long>("payvand.jobs.completed", "{job}", "Background jobs that ended, by kind and final status");
        eventsDelivered = meter.CreateCounter<long>("payvand.events.delivered", "{event}", "Domain events delivered to their handlers, by event type");
        eventsFailed = meter.CreateCounter<long>("payvand.events.failed", "{event}", "Domain event deliveries that failed, by event type");
        messagesSent = meter.CreateCounter<long>("payvand.messages.sent", "{message}", "Messages handed to a channel's gateway, by channel");
    }

    public void JobCompleted(string kind, JobStatus status) =>
        jobsCompleted.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("status", status.ToString()));

    public void EventDelivered(string eventType) => eventsDelivered.Add(1, new KeyValuePair<string, object?>("type", eventType));

    public void EventFailed(string eventType) => eventsFailed.Add(1, new KeyValuePair<string, object?>("type", eventType));

    public void MessageSent(string channel) => messagesSent.Add(1, new KeyValuePair<string, object?>("channel", channel));
}
