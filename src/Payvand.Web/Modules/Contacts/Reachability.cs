using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Contacts;

// Why a person may or may not receive a message; the first rule that refuses, in this order, is the reason.
public enum ReachReason
{
    Eligible,
    Deleted,
    NoAddress,
    OptedOut,
    NoConsent,
    Blocked,
    QuietHours,
    OutsideBestTime,
    FrequencyCap,
}

// The question every send asks: this channel, this purpose, from this sender line (null: none in particular), at this instant.
public sealed record ReachQuestion(string Channel, ContactPurpose Purpose, string? SenderLine = null, DateTime? At = null);

public sealed record ReachCount(ReachReason Reason, int Count);

public sealed record ReachSummary(int Total, int Eligible, IReadOnlyList<ReachCount> Reasons);

// One person's answer: the address to send to when eligible (the primary first, never a blocked one for promotional
// messages), the reason otherwise.
public sealed record ReachRow(int ContactId, ReachReason Reason, string? Address);

// Who of a set of people may receive a message, and why each other one may not: one SQL query over the set, however
// large (a segment, a campaign's audience), composed from the caller's IQueryable<int> of person ids.
//
// The rules, in order:
//   deleted person; no contact point of a kind that reaches the channel (ConsentChannel.Kinds);
//   an explicit opt-out of this channel and purpose (transactional messages too: a person may refuse even receipts);
//   promotional only: no opt-in; every reaching address blocked (BlockedAddresses for every line or for this line;
//   Iran's operator blocklist and STOP replies cover advertising, so receipts and codes still go); quiet hours
//   (BusinessSettings.QuietFrom/QuietTo in the business zone); outside the person's best days and hours; the weekly cap
//   (PromotionalContacts of this channel in the 7 days before the instant).
// The local day and time are computed once here and compared in SQL; nothing loops over people in C#. The facts the
// rules read of each person's points, blocks and best times come from ContactReach (one narrow row per person, kept by
// the database), so a count is a walk of narrow rows in id order, not of people, points and the blocklist.
public sealed class Reachability(PayvandSettings settings, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public const int MaxPageSize = 5000;

    // How far back the weekly cap looks.
    public static readonly TimeSpan CapWindow = TimeSpan.FromDays(7);

    // The question resolved against the settings and the channel row: what the SQL compares with. ConsentBit is the
    // channel and purpose's bit in ContactReach's consent masks.
    public sealed record Resolved(
        string Channel, ContactPurpose Purpose, string? SenderLine, DateTime At, ContactPointKind[] Kinds,
        ContactDays Day, TimeOnly LocalTime, bool Quiet, int? Cap, long ConsentBit);

    // The channel with this key (case and spaces ignored); adds a field error when there is none.
    public static async Task<ConsentChannel?> FindChannel(PayvandDb db, string? key, Validator v, CancellationToken ct)
    {
        var normalized = key?.Trim().ToLowerInvariant();
        var channel = string.IsNullOrEmpty(normalized) ? null : await db.Channels.AsNoTracking().SingleOrDefaultAsync(c => c.Key == normalized, ct);
        if (channel is null)
        {
            var keys = await db.Channels.AsNoTracking().OrderBy(c => c.SortOrder).Select(c => c.Key).ToListAsync(ct);
            v.Add("channel", "{0} must be one of: {1}.", v.Text["Message channel"], string.Join(", ", keys));
        }

        return channel;
    }

    public async Task<Resolved> Resolve(PayvandDb db, ReachQuestion question, CancellationToken ct)
    {
        var v = new Validator(text).MaxLength("senderLine", question.SenderLine, 50, "Sender line");
        if (!Enum.IsDefined(question.Purpose)) v.Add("purpose", "{0} must be one of: {1}.", text["Purpose"], string.Join(", ", Enum.GetNames<ContactPurpose>()));
        var channel = await FindChannel(db, question.Channel, v, ct);
        v.ThrowIfAny();

        var business = await settings.Get(ct);
        var zone = await settings.TimeZone(ct);
        var at = DateTime.SpecifyKind(question.At ?? clock.GetUtcNow().UtcDateTime, DateTimeKind.Utc);
        var local = TimeZoneInfo.ConvertTimeFromUtc(at, zone);
        // Whole seconds: the stored best times have none, and SQLite compares times as text.
        var time = new TimeOnly(local.Hour, local.Minute, local.Second);
        var line = string.IsNullOrWhiteSpace(question.SenderLine) ? null : question.SenderLine.Trim();
        return new Resolved(channel!.Key, question.Purpose, line, at, [.. channel.PointKinds()], DayFlag(local.DayOfWeek), time,
            InQuietHours(business, time), business.WeeklyPromotionalCap, ConsentChannel.ConsentBit(channel.Bit, question.Purpose));
    }

    public static bool InQuietHours(BusinessSettings s, TimeOnly time) => s is { QuietFrom: { } from, QuietTo: { } to } && from != to &&
        (from < to ? time >= from && time < to : time >= from || time < to);

    // Rows' shape inside SQL: a member-initialized class, which EF can filter, sort and group by (a record's
    // constructor it cannot see into).
    public sealed class Answer
    {
        public int ContactId { get; init; }

        public ReachReason Reason { get; init; }

        public string? Address { get; init; }
    }

    // Every person of the set (ids of nobody are left out) with their reason and address.
    public static IQueryable<Answer> Rows(PayvandDb db, IQueryable<int> people, Resolved q) =>
        Rows(db, db.Contacts.IgnoreQueryFilters().AsNoTracking().Where(c => people.Contains(c.Id)), q);

    // The same for a query of people themselves (the people list's): read as the query's own rows, without joining
    // the people table to itself by id (at 1,000,000 people that join is about a sixth of the count's time), each with
    // the narrow ContactReach row the rules read.
    public static IQueryable<Answer> Rows(PayvandDb db, IQueryable<Contact> contacts, Resolved q) => Rows(db,
        from c in contacts
        join f0 in db.Set<ContactReach>() on c.Id equals f0.ContactId into facts
        from f in facts.DefaultIfEmpty()
        select new Person { ContactId = c.Id, Deleted = c.DeletedAt != null, Facts = f },
        q);

    // Everyone (not deleted) in the given branches (null: every branch), read from ContactReach alone: one pass over a
    // million narrow rows, the count of a whole audience without touching the people table.
    public static IQueryable<Answer> Everyone(PayvandDb db, IReadOnlyCollection<int>? branches, Resolved q)
    {
        var reach = db.Set<ContactReach>().AsNoTracking().Where(f => !f.Deleted);
        if (branches is not null) reach = reach.Where(f => branches.Contains(f.BranchId));
        return Rows(db, reach.Select(f => new Person { ContactId = f.ContactId, Deleted = false, Facts = f }), q);
    }

    // One person of the set as the rules see them: their id, deletion and facts (null: not yet written).
    private sealed class Person
    {
        public int ContactId { get; init; }

        public bool Deleted { get; init; }

        public ContactReach? Facts { get; init; }
    }

    // The rules over the people's narrow rows: the reason is one CASE over ContactReach's columns (the consent is its
    // masks); only a person with an address blocked on one particular line (ContactReach.LineBlocks) has their addresses
    // compared with the blocklist one by one, and only when the question names a line.
    private static IQueryable<Answer> Rows(PayvandDb db, IQueryable<Person> people, Resolved q)
    {
        var kinds = q.Kinds;
        var mask = ContactReach.Mask(kinds);
        var consent = q.ConsentBit;
        var line = q.SenderLine;
        var since = q.At - CapWindow;
        var day = q.Day;
        var time = q.LocalTime;
        var cap = q.Cap ?? int.MaxValue;
        // A person's points (owned by the person: reached through them). Not through IgnoreQueryFilters, which would drop
        // the filter of deleted people from the caller's whole query: a deleted person's reason is Deleted, with no address.
        var contacts = db.Contacts.AsNoTracking();
        var blocked = db.BlockedAddresses.Where(b => b.SenderLine == null || b.SenderLine == line);
        // The people at the cap, as one set the rule looks each person up in (one pass over the week's sends).
        var capped = db.PromotionalContacts.Where(s => s.Channel == q.Channel && s.SentAt > since && s.SentAt <= q.At)
            .GroupBy(s => s.ContactId).Where(g => g.Count() >= cap).Select(g => g.Key);

        if (q.Purpose == ContactPurpose.Transactional)
        {
            return people.Select(x => new Answer
            {
                ContactId = x.ContactId,
                Reason = x.Deleted ? ReachReason.Deleted
                    : x.Facts == null || (x.Facts.Kinds & mask) == 0 ? ReachReason.NoAddress
                    : (x.Facts.ConsentOut & consent) != 0 ? ReachReason.OptedOut
                    : ReachReason.Eligible,
                Address = contacts.Where(c => c.Id == x.ContactId).SelectMany(c => c.Points).Where(p => kinds.Contains(p.Kind)).OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Id)
                    .Select(p => p.NormalizedValue).FirstOrDefault(),
            });
        }

        // The quiet-hours, sender-line and cap switches are inlined (EF.Constant) so that SQL without them has no
        // subquery for them to run.
        var quiet = q.Quiet;
        var hasLine = line is not null;
        var hasCap = q.Cap is not null;
        return people.Select(x => new Answer
        {
            ContactId = x.ContactId,
            Reason = x.Deleted ? ReachReason.Deleted
                : x.Facts == null || (x.Facts.Kinds & mask) == 0 ? ReachReason.NoAddress
                : (x.Facts.ConsentOut & consent) != 0 ? ReachReason.OptedOut
                : (x.Facts.ConsentIn & consent) == 0 ? ReachReason.NoConsent
                : (x.Facts.OpenKinds & mask) == 0
                  || (EF.Constant(hasLine) && x.Facts.LineBlocks
                      && !contacts.Where(c => c.Id == x.ContactId).SelectMany(c => c.Points).Any(p => kinds.Contains(p.Kind) && !blocked.Any(b => b.Address == p.NormalizedValue))) ? ReachReason.Blocked
                : EF.Constant(quiet) ? ReachReason.QuietHours
                : (x.Facts.BestDays != ContactDays.None && (x.Facts.BestDays & day) == ContactDays.None)
                  || (x.Facts.BestFrom != null && x.Facts.BestTo != null && x.Facts.BestFrom > x.Facts.BestTo
                      ? time < x.Facts.BestFrom && time > x.Facts.BestTo
                      : time < x.Facts.BestFrom || time > x.Facts.BestTo) ? ReachReason.OutsideBestTime
                : EF.Constant(hasCap) && capped.Contains(x.ContactId) ? ReachReason.FrequencyCap
                : ReachReason.Eligible,
            Address = contacts.Where(c => c.Id == x.ContactId).SelectMany(c => c.Points).Where(p => kinds.Contains(p.Kind) && !blocked.Any(b => b.Address == p.NormalizedValue))
                .OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Id).Select(p => p.NormalizedValue).FirstOrDefault(),
        });
    }

    // The number of people per reason (one query); every reason is listed, with 0 when nobody has it.
    public Task<ReachSummary> Count(PayvandDb db, IQueryable<int> people, ReachQuestion question, CancellationToken ct) =>
        Count(db, q => Rows(db, people, q), question, ct);

    public Task<ReachSummary> Count(PayvandDb db, IQueryable<Contact> people, ReachQuestion question, CancellationToken ct) =>
        Count(db, q => Rows(db, people, q), question, ct);

    // Everyone (not deleted) in the given branches (null: every branch): the people list without a filter.
    public Task<ReachSummary> CountEveryone(PayvandDb db, IReadOnlyCollection<int>? branches, ReachQuestion question, CancellationToken ct) =>
        Count(db, q => Everyone(db, branches, q), question, ct);

    private async Task<ReachSummary> Count(PayvandDb db, Func<Resolved, IQueryable<Answer>> rows, ReachQuestion question, CancellationToken ct)
    {
        var q = await Resolve(db, question, ct);
        // On PostgreSQL, for this statement only: no JIT (its compilation was about a sixth of a count of 1,000,000 people,
        // switched on by the estimated cost of a per-line test that never runs) and memory enough to group a million
        // reasons without spilling a sort to disk (docs/benchmarks-log.md, eligibility).
        await using var tx = db.Database.IsNpgsql() && db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        if (tx is not null) await db.Database.ExecuteSqlRawAsync("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'", ct);
        var counts = await rows(q).Select(r => r.Reason).GroupBy(r => r).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        if (tx is not null) await tx.CommitAsync(ct);
        var byReason = counts.ToDictionary(c => c.Key, c => c.Count);
        var reasons = Enum.GetValues<ReachReason>().Select(r => new ReachCount(r, byReason.GetValueOrDefault(r))).ToList();
        return new ReachSummary(counts.Sum(c => c.Count), byReason.GetValueOrDefault(ReachReason.Eligible), reasons);
    }

    // A page of the eligible people (eligible: true) or of the refused ones, in id order after the given id: a sender
    // walks a million people a page at a time, each page one query.
    public async Task<List<ReachRow>> Page(PayvandDb db, IQueryable<int> people, ReachQuestion question, bool eligible, int afterId, int size, CancellationToken ct)
    {
        var q = await Resolve(db, question, ct);
        var rows = Rows(db, people.Where(id => id > afterId), q);
        rows = eligible ? rows.Where(r => r.Reason == ReachReason.Eligible) : rows.Where(r => r.Reason != ReachReason.Eligible);
        return await rows.OrderBy(r => r.ContactId).Take(Math.Clamp(size, 1, MaxPageSize))
            .Select(r => new ReachRow(r.ContactId, r.Reason, r.Address)).ToListAsync(ct);
    }

    // The answer for one person, by the same rules (a set of one); null when there is no such person.
    public async Task<ReachRow?> One(PayvandDb db, int contactId, ReachQuestion question, CancellationToken ct)
    {
        var q = await Resolve(db, question, ct);
        return await Rows(db, db.Contacts.IgnoreQueryFilters().AsNoTracking().Where(c => c.Id == contactId), q)
            .Select(r => new ReachRow(r.ContactId, r.Reason, r.Address)).SingleOrDefaultAsync(ct);
    }

    // Messaging calls this for every promotional message it sends, in the transaction that records the send, so the
    // weekly cap counts it.
    public static void RecordPromotional(PayvandDb db, int contactId, string channel, DateTime sentAt) =>
        db.PromotionalContacts.Add(new PromotionalContact { ContactId = contactId, Channel = channel, SentAt = sentAt });

    // Blocks an address (normalized like ContactPoint.NormalizedValue) on one sender line, or on all when line is null.
    public static void Block(PayvandDb db, string address, string? senderLine, string source, DateTime at) =>
        db.BlockedAddresses.Add(new BlockedAddress { Address = address, SenderLine = senderLine, Source = source, BlockedAt = at });

    public static ContactDays DayFlag(DayOfWeek d) => d switch
    {
        DayOfWeek.Saturday => ContactDays.Saturday,
        DayOfWeek.Sunday => ContactDays.Sunday,
        DayOfWeek.Monday => ContactDays.Monday,
        DayOfWeek.Tuesday => ContactDays.Tuesday,
        DayOfWeek.Wednesday => ContactDays.Wednesday,
        DayOfWeek.Thursday => ContactDays.Thursday,
        _ => ContactDays.Friday,
    };
}
