using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;

namespace Payvand.Modules.Messaging;

// What a module asks to send: to a person, on a channel, for a purpose, a ready text. Occasion makes it "at most once
// per person per occasion" for its source ("birthday:1405"); SenderLine chooses a line, else the channel's first.
public sealed record OutgoingMessage(int ContactId, string Body, string Source)
{
    public string Channel { get; init; } = ConsentChannel.Sms;

    public ContactPurpose Purpose { get; init; } = ContactPurpose.Transactional;

    public string? Occasion { get; init; }

    public string? Address { get; init; }

    public string? SenderLine { get; init; }

    public DateTime? NotBefore { get; init; }

    public int? CreatedById { get; init; }

    // Email only (Channel "email"): the subject, an optional HTML part (Body is the plain-text part) and, when given,
    // whether links are tracked and the open pixel added (else as the email channel says).
    public string? Subject { get; init; }

    public string? HtmlBody { get; init; }

    public bool? TrackClicks { get; init; }

    public bool? TrackOpens { get; init; }
}

// The messaging outbox other modules write to: Add puts a message into the caller's context, so it is saved by the
// caller's SaveChanges in the caller's transaction, with the change that asked for it; MessageDispatcher sends it.
public sealed class MessageOutbox(TimeProvider clock)
{
    public const int MaxBodyLength = 1000;

    // An email's plain-text and HTML parts each; its subject.
    public const int MaxEmailBodyLength = 100_000;

    public const int MaxSubjectLength = 300;

    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // Adds the message; null (nothing added) when this source already has a message for this person and occasion.
    public async Task<Message?> Add(PayvandDb db, OutgoingMessage m, CancellationToken ct)
    {
        if (m.Occasion is not null && await db.Set<Message>().AnyAsync(x => x.ContactId == m.ContactId && x.Source == m.Source && x.Occasion == m.Occasion, ct)) return null;
        var message = Create(m, clock.GetUtcNow().UtcDateTime);
        db.Add(message);
        return message;
    }

    // Many messages at once (a campaign's or an automation's recipients), written straight to the table in the caller's
    // transaction (PostgreSQL: binary COPY), never tracked one by one. A message whose source already has one for the
    // person and occasion is left out, as Add leaves it; returns how many were written.
    public async Task<int> AddMany(PayvandDb db, IReadOnlyList<OutgoingMessage> messages, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = new List<object>(messages.Count);
        foreach (var group in messages.Chunk(5000))
        {
            var taken = new HashSet<(int, string, string)>();
            foreach (var bySource in group.Where(m => m.Occasion is not null).GroupBy(m => m.Source))
            {
                var people = bySource.Select(m => (int?)m.ContactId).Distinct().ToList();
                var occasions = bySource.Select(m => m.Occasion!).Distinct().ToList();
                var found = await db.Set<Message>().Where(x => x.Source == bySource.Key && people.Contains(x.ContactId) && occasions.Contains(x.Occasion!))
                    .Select(x => new { x.ContactId, x.Occasion }).ToListAsync(ct);
                taken.UnionWith(found.Select(f => (f.ContactId!.Value, bySource.Key, f.Occasion!)));
            }

            foreach (var m in group)
            {
                if (m.Occasion is { } occasion && !taken.Add((m.ContactId, m.Source, occasion))) continue;
                rows.Add(Create(m, now));
            }
        }

        if (rows.Count > 0) await BulkInsert.Of<Message>(db).Insert(db, rows, returnKeys: false, ct);
        return rows.Count;
    }

    public static Message Create(OutgoingMessage m, DateTime now) => new()
    {
        Channel = m.Channel,
        Purpose = m.Purpose,
        ContactId = m.ContactId,
        Address = m.Address,
        Body = m.Body,
        SenderLine = m.SenderLine,
        Source = m.Source,
        Occasion = m.Occasion,
        CreatedById = m.CreatedById,
        Subject = m.Subject,
        HtmlBody = m.HtmlBody,
        TrackClicks = m.TrackClicks,
        TrackOpens = m.TrackOpens,
        Status = MessageStatus.Queued,
        NotBefore = m.NotBefore ?? now,
        LocalId = NewLocalId(),
        CreatedAt = now,
        UpdatedAt = now,
    };

    // A random positive 62-bit number: unique among the messages of every database that shares a gateway account.
    public static long NewLocalId() => RandomNumberGenerator.GetInt32(1, int.MaxValue) * (long)int.MaxValue + RandomNumberGenerator.GetInt32(int.MaxValue);

    // Tells this process's dispatcher there is work, so it does not wait for its next poll.
    public void Wake() => wake.Writer.TryWrite(true);

    internal async Task WaitForWork(TimeSpan poll, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(poll);
        try
        {
            await wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The poll interval passed: look anyway (messages written by another instance wake nobody here).
        }
    }
}
