using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;

namespace Payvand.Modules.Messaging;

// What happens to an email after it is sent: bounces and complaints (from the provider's webhook or the channel's bounce
// mailbox, EmailBounceMailbox, keyed by the Message-ID Payvand gave the message, else by the recipient) and the person's clicks and opens (from the tracked links and the pixel).
// A hard bounce blocks the address for every email (BlockedAddresses, source "email-bounce") and fails the message;
// a complaint blocks it for promotional email, opts the person out of promotional email (consent history, source
// "email-complaint") and marks the message. A soft bounce is kept on the message only.
public sealed class EmailEvents(IDbContextFactory<PayvandDb> dbFactory, TimelineWriter timeline, TimeProvider clock)
{
    public const string BounceSource = "email-bounce";
    public const string ComplaintSource = "email-complaint";

    // One event of /hooks/email/{channel}: type "bounce" or "complaint", the Message-ID, for a bounce whether it is
    // permanent (hard, the default), the recipient and the server's words.
    public sealed record Event(string? Type, string? MessageId, bool? Hard = null, string? Recipient = null, string? Reason = null);

    public sealed record Batch(IReadOnlyList<Event>? Events);

    public sealed record Result(int Applied, int Unknown);

    public async Task<Result> Apply(IReadOnlyList<Event> events, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var (applied, unknown) = (0, 0);
        foreach (var e in events)
        {
            var message = await Find(db, e, ct);
            if (message is null)
            {
                unknown++;
                continue;
            }

            var address = message.Address!.ToLowerInvariant();
            var complaint = string.Equals(e.Type, "complaint", StringComparison.OrdinalIgnoreCase);
            message.LastError = Cut(e.Reason ?? (complaint ? "Marked as spam by the recipient." : "Bounced."));
            message.UpdatedAt = now;
            if (complaint)
            {
                message.Reason = MessageReason.Complained;
                await Block(db, address, ComplaintSource, now, ct);
                var person = await db.Contacts.Include(c => c.Consents).SingleOrDefaultAsync(c => c.Id == message.ContactId, ct);
                if (person is not null && person.ConsentFor(ConsentChannel.Email, ContactPurpose.Promotional) != ConsentStatus.OptedOut)
                {
                    person.SetConsent(ConsentChannel.Email, ContactPurpose.Promotional, ConsentStatus.OptedOut, ComplaintSource, now, null, e.MessageId);
                }
            }
            else if (e.Hard != false)
            {
                message.Status = MessageStatus.Failed;
                message.Reason = MessageReason.Bounced;
                await Block(db, address, BounceSource, now, ct);
            }

            applied++;
        }

        await MessageStates.Save(db, timeline, now, ct);
        return new Result(applied, unknown);
    }

    // The message by the Message-ID Payvand gave it; an event without a Message-ID (a bounce report that left out the
    // original's headers) by its recipient: the last email sent to that address, found through the people who have it.
    private static async Task<Message?> Find(PayvandDb db, Event e, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(e.MessageId))
        {
            var localId = EmailMime.LocalIdOf(e.MessageId.Trim());
            return localId is null ? null : await db.Messages.SingleOrDefaultAsync(m => m.LocalId == localId && m.Channel == ConsentChannel.Email, ct);
        }

        if (e.Recipient?.Trim().ToLowerInvariant() is not { Length: > 0 } address) return null;
        var people = db.Contacts.IgnoreQueryFilters().Where(c => c.Points.Any(p => p.Kind == ContactPointKind.Email && p.NormalizedValue == address)).Select(c => (int?)c.Id);
        return await db.Messages
            .Where(m => people.Contains(m.ContactId) && m.Channel == ConsentChannel.Email && m.Address == address && m.SentAt != null)
            .OrderByDescending(m => m.Id).FirstOrDefaultAsync(ct);
    }

    private static async Task Block(PayvandDb db, string address, string source, DateTime now, CancellationToken ct)
    {
        if (await db.BlockedAddresses.AnyAsync(b => b.Address == address && b.SenderLine == null && b.Source == source, ct)
            || db.ChangeTracker.Entries<BlockedAddress>().Any(b => b.State == EntityState.Added && b.Entity.Address == address && b.Entity.Source == source)) return;
        Reachability.Block(db, address, null, source, now);
    }

    // A click on a tracked link or an open of the pixel: counted on the message (and the first time kept), and on the
    // person's timeline as one entry per message and kind; false when the message is gone.
    public async Task<bool> Engaged(long messageId, bool click, string? url, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var messages = db.Messages.Where(m => m.Id == messageId);
        var changed = click
            ? await messages.ExecuteUpdateAsync(s => s.SetProperty(m => m.Clicks, m => m.Clicks + 1).SetProperty(m => m.FirstClickedAt, m => m.FirstClickedAt ?? now), ct)
            : await messages.ExecuteUpdateAsync(s => s.SetProperty(m => m.Opens, m => m.Opens + 1).SetProperty(m => m.FirstOpenedAt, m => m.FirstOpenedAt ?? now), ct);
        if (changed == 0) return false;
        var m = await messages.AsNoTracking().Select(m => new { m.ContactId, m.Clicks, m.Opens, m.FirstClickedAt, m.FirstOpenedAt }).SingleAsync(ct);
        await timeline.Write(new TimelineEntry
        {
            ContactId = m.ContactId,
            Type = click ? MessageStates.ClickTimelineType : MessageStates.OpenTimelineType,
            OccurredAt = (click ? m.FirstClickedAt : m.FirstOpenedAt) ?? now,
            Data = new EmailEngagementData(click ? m.Clicks : m.Opens, url is { Length: > 500 } ? url[..500] : url),
            SourceType = MessageStates.SourceType,
            SourceId = messageId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, ct);
        return true;
    }

    private static string Cut(string text) => text.Length > 500 ? text[..500] : text;
}

// /hooks/email/{channel}: bounces and complaints pushed by the mail provider as JSON ({"events": [{"type": "bounce",
// "messageId": "<payvand.123@example.com>", "hard": true, "recipient": "...", "reason": "550 5.1.1 ..."}]}). The
// caller proves it is the provider with the channel's secret (X-Webhook-Secret or ?secret=), compared in constant
// time; anything else is 401 without saying whether the channel exists. Rate-limited per address (MessagingModule).
public static class EmailWebhook
{
    public static async Task<IResult> Handle(
        string channel, HttpRequest request, IDbContextFactory<PayvandDb> dbFactory, EmailChannels channels, EmailEvents events, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var account = await db.Set<EmailChannel>().AsNoTracking().SingleOrDefaultAsync(c => c.Key == channel, ct);
            var secret = request.Headers[SmsWebhook.SecretHeader].ToString() is { Length: > 0 } header ? header : request.Query["secret"].ToString();
            if (account is null || !channels.SecretMatches(account, secret)) return TypedResults.Unauthorized();
        }

        EmailEvents.Batch? batch;
        try
        {
            batch = await JsonSerializer.DeserializeAsync<EmailEvents.Batch>(request.Body, Json, ct);
        }
        catch (JsonException)
        {
            batch = null;
        }

        if (batch?.Events is not { Count: > 0 and <= 1000 } list || list.Any(e => e.Type?.ToLowerInvariant() is not ("bounce" or "complaint")))
        {
            return TypedResults.Problem("Expected {\"events\": [...]} of 1 to 1000 events, each of type \"bounce\" or \"complaint\" with its messageId.", statusCode: StatusCodes.Status400BadRequest);
        }

        return TypedResults.Ok(await events.Apply(list, ct));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowReadingFromString };
}
