using System.Data;
using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;

namespace Payvand.Modules.Activities;

// Something another module wants on a timeline: a deal won, points earned, a ticket closed, a campaign message sent.
// Type is the module's own name for it ("deal.won"); (SourceType, SourceId, Type) identifies it, so writing the same
// entry again (a retried job, a replayed event) changes the one entry instead of adding another.
public sealed record TimelineEntry
{
    public int? ContactId { get; init; }

    public int? CompanyId { get; init; }

    public required string Type { get; init; }

    // UTC.
    public required DateTime OccurredAt { get; init; }

    // The entry's facts (amounts, counts, names of things), stored as JSON and turned into text in each reader's
    // language by the ITimelineEntryType registered for Type. Prefer it to Subject, which is stored as written.
    public object? Data { get; init; }

    // A fixed subject line, for types without a registered text.
    public string? Subject { get; init; }

    public string? Body { get; init; }

    // The record it comes from, e.g. ("Sales.Deal", "42"), so the timeline can link to it.
    public required string SourceType { get; init; }

    public required string SourceId { get; init; }
}

// The way other modules write to the timeline. Entries are stored as ActivityKind.External and belong to the module
// that wrote them: people cannot edit or delete them. The entry's branch is that of its person, else its company.
public sealed class TimelineWriter(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock)
{
    private const int MaxAttempts = 5;

    public const int MaxDataLength = 4000;

    public async Task Write(TimelineEntry entry, CancellationToken ct)
    {
        Check(entry);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Serializable, so that two writers of the same entry cannot both find it missing and both add it.
                await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
                await Write(db, entry, ct);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return;
            }
            catch (Exception e) when (attempt < MaxAttempts && IsConflict(e))
            {
                db.ChangeTracker.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), clock, ct);
            }
        }
    }

    // Adds or updates the entry in the caller's unit of work (e.g. in the transaction that marks the deal won);
    // the caller saves.
    public async Task Write(PayvandDb db, TimelineEntry entry, CancellationToken ct)
    {
        Check(entry);
        var branchId = entry.ContactId is { } contactId
            ? await db.Contacts.IgnoreQueryFilters().Where(c => c.Id == contactId).Select(c => (int?)c.BranchId).SingleOrDefaultAsync(ct)
            : await db.Companies.IgnoreQueryFilters().Where(c => c.Id == entry.CompanyId).Select(c => (int?)c.BranchId).SingleOrDefaultAsync(ct);
        if (branchId is null) throw new ArgumentException($"No person {entry.ContactId} or company {entry.CompanyId} for timeline entry {entry.Type}.", nameof(entry));

        var activity = await db.Activities.SingleOrDefaultAsync(
            a => a.SourceType == entry.SourceType && a.SourceId == entry.SourceId && a.Type == entry.Type, ct);
        if (activity is null)
        {
            activity = new Activity { Kind = ActivityKind.External, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Activities.Add(activity);
        }

        Fill(activity, entry, branchId.Value);
    }

    // The same for many entries at once (a dispatcher's batch of messages): the branches of their people and companies
    // and the entries that exist already are read with one query each, not two per entry. New entries are written at
    // once with BulkInsert, inside the caller's transaction; changed ones are the caller's to save.
    public async Task WriteMany(PayvandDb db, IReadOnlyList<TimelineEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0) return;
        foreach (var entry in entries) Check(entry);
        var people = entries.Where(e => e.ContactId is not null).Select(e => e.ContactId!.Value).Distinct().ToList();
        var companies = entries.Where(e => e.ContactId is null).Select(e => e.CompanyId!.Value).Distinct().ToList();
        var personBranch = people.Count == 0 ? [] : await db.Contacts.IgnoreQueryFilters().Where(c => people.Contains(c.Id)).Select(c => new { c.Id, c.BranchId }).ToDictionaryAsync(c => c.Id, c => c.BranchId, ct);
        var companyBranch = companies.Count == 0 ? [] : await db.Companies.IgnoreQueryFilters().Where(c => companies.Contains(c.Id)).Select(c => new { c.Id, c.BranchId }).ToDictionaryAsync(c => c.Id, c => c.BranchId, ct);
        var existing = new Dictionary<(string, string, string), Activity>();
        foreach (var group in entries.GroupBy(e => e.SourceType))
        {
            var ids = group.Select(e => e.SourceId).Distinct().ToList();
            var types = group.Select(e => e.Type).Distinct().ToList();
            foreach (var a in await db.Activities.Where(a => a.SourceType == group.Key && ids.Contains(a.SourceId!) && types.Contains(a.Type!)).ToListAsync(ct))
            {
                existing[(a.SourceType!, a.SourceId!, a.Type!)] = a;
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var added = new List<Activity>();
        foreach (var entry in entries)
        {
            var found = entry.ContactId is { } contactId ? personBranch.TryGetValue(contactId, out var b) : companyBranch.TryGetValue(entry.CompanyId!.Value, out b);
            if (!found) throw new ArgumentException($"No person {entry.ContactId} or company {entry.CompanyId} for timeline entry {entry.Type}.", nameof(entries));
            if (!existing.TryGetValue((entry.SourceType, entry.SourceId, entry.Type), out var activity))
            {
                activity = new Activity { Kind = ActivityKind.External, CreatedAt = now };
                added.Add(activity);
                existing[(entry.SourceType, entry.SourceId, entry.Type)] = activity;
            }

            Fill(activity, entry, b);
        }

        // The existing entries are saved with the caller's SaveChanges: marked changed here, also for a caller that
        // has turned automatic change detection off (MessageStates.Save).
        foreach (var activity in existing.Values.Except(added)) db.Entry(activity).DetectChanges();
        if (added.Count > 0) await BulkInsert.Of<Activity>(db).Insert(db, added, returnKeys: false, ct);
    }

    // Adds the entry of a record created in the caller's unit of work, whose entry cannot exist yet, given the branch
    // of its person (or company): no look-ups. The caller saves.
    public void AddNew(PayvandDb db, TimelineEntry entry, int branchId)
    {
        Check(entry);
        var activity = new Activity { Kind = ActivityKind.External, CreatedAt = clock.GetUtcNow().UtcDateTime };
        Fill(activity, entry, branchId);
        db.Activities.Add(activity);
    }

    private static void Fill(Activity activity, TimelineEntry entry, int branchId)
    {
        activity.Type = entry.Type;
        activity.SourceType = entry.SourceType;
        activity.SourceId = entry.SourceId;
        activity.ContactId = entry.ContactId;
        activity.CompanyId = entry.CompanyId;
        activity.BranchId = branchId;
        activity.OccurredAt = entry.OccurredAt.Kind == DateTimeKind.Utc ? entry.OccurredAt : DateTime.SpecifyKind(entry.OccurredAt, DateTimeKind.Utc);
        activity.Data = entry.Data is null ? null : JsonSerializer.Serialize(entry.Data, JsonSerializerOptions.Web);
        if (activity.Data?.Length > MaxDataLength) throw new ArgumentException($"The data of a timeline entry is limited to {MaxDataLength} characters of JSON.", nameof(entry));
        activity.Subject = Cut(entry.Subject, 300);
        activity.Body = Cut(entry.Body, 10_000);
    }

    // A serialization failure or lock timeout of a concurrent writer, however the provider wraps it.
    private static bool IsConflict(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is DbUpdateException or DbException) return true;
        }

        return false;
    }

    private static void Check(TimelineEntry entry)
    {

        if (entry.ContactId is null && entry.CompanyId is null) throw new ArgumentException("A timeline entry needs a person or a company.", nameof(entry));
        foreach (var (name, value) in new[] { ("Type", entry.Type), ("SourceType", entry.SourceType), ("SourceId", entry.SourceId) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > 50) throw new ArgumentException($"{name} must be 1 to 50 characters.", nameof(entry));
        }
    }

    private static string? Cut(string? s, int max) => ActivityInput.CleanText(s) is { } text && text.Length > max ? text[..max] : ActivityInput.CleanText(s);
}
