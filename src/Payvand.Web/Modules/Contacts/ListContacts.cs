using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Search;
using Payvand.Platform.Segments;

namespace Payvand.Modules.Contacts;

// The filters of the people list: those of every customer list (CustomerFilter) and the person's own.
public sealed record ContactFilter : CustomerFilter
{
    public int? CompanyId { get; init; }

    // The first or last name is (or starts with) this, compared Persian-normalized (Contact.NameKey).
    public string? FirstName { get; init; }

    public string? FirstNameStartsWith { get; init; }

    public string? LastName { get; init; }

    public string? LastNameStartsWith { get; init; }

    public Gender? Gender { get; init; }

    public ConsentStatus? SmsConsent { get; init; }

    public ConsentStatus? EmailConsent { get; init; }

    public DateOnly? BornFrom { get; init; }

    public DateOnly? BornTo { get; init; }

    public DateTime? CreatedFrom { get; init; }

    public DateTime? CreatedTo { get; init; }

    // The purchase summary (rials after refunds; counts; UTC instants).
    public long? MinSpent { get; init; }

    public long? MaxSpent { get; init; }

    public int? MinPurchases { get; init; }

    public int? MaxPurchases { get; init; }

    public DateTime? LastPurchaseFrom { get; init; }

    public DateTime? LastPurchaseTo { get; init; }

    // The people of a saved segment (ISegmentFilter, owned by the Segments module).
    public int? Segment { get; init; }
}

public sealed record ContactRow(
    int Id, string DisplayName, string? Mobile, string? Email, string? City, LifecycleStage Lifecycle, int? OwnerId, string? OwnerName,
    int BranchId, string? BranchName, IReadOnlyList<string> Tags, DateTime CreatedAt, int Version);

public sealed class ListContacts(IDbContextFactory<PayvandDb> dbFactory, ISegmentFilter segments, IStringLocalizer<SharedResource> text)
{
    public static readonly string[] SortFields = ["name", "city", "createdAt", "updatedAt", "lifecycle", "birthDate", "spent", "lastPurchase"];

    public async Task<PagedResult<ContactRow>> Handle(ContactFilter filter, PageRequest page, UserScope user, CancellationToken ct)
    {
        if (filter.Deleted) user.Require(ContactsPermissions.Delete, text["Only managers can see deleted records."]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var nameOrder = page.Sort is null || page.Sort.Equals("name", StringComparison.OrdinalIgnoreCase);
        var plan = string.IsNullOrWhiteSpace(filter.Q) || filter.Deleted ? null : await SearchIndex.Plan(db, SaveContact.SearchEntity, filter.Q, nameOrder, ct);
        var query = Query(db, filter, user, plan, segments);
        List<int> ids;
        int total;
        bool moreThanTotal;
        if (plan?.Ordered is { } ordered)
        {
            var afterName = page.After is { } after ? (await AfterName(db, after, user, ct), after) : ((string, int)?)null;
            ids = [.. (await InNameOrder(db, query, ordered, page.Desc, afterName, page.Skip + page.ReadSize, ct)).Skip(page.Skip)];
            (total, moreThanTotal) = await PagedCount.Total(page, ids.Count,
                async (take, token) => (await InNameOrder(db, query, ordered, page.Desc, null, take, token)).Count, ct, PagedCount.SearchCountCap);
        }
        else
        {
            var paged = page.After is { } after ? await After(db, query, after, page.Desc, user, ct) : query;
            var sorted = nameOrder && plan is null && string.IsNullOrWhiteSpace(filter.LastName) && !string.IsNullOrWhiteSpace(filter.LastNameStartsWith)
                ? InNameOrderFromKeys(paged, page.Desc)
                : Sort(paged, filter, page.Sort, page.Desc);
            ids = await sorted.Skip(page.Skip).Take(page.ReadSize).Select(c => c.Id).ToListAsync(ct);
            (total, moreThanTotal) = await PagedCount.Total(query, page, ids.Count, ct, string.IsNullOrWhiteSpace(filter.Q) ? PagedCount.CountCap : PagedCount.SearchCountCap);
        }

        var rows = await Rows(db, ids.Take(page.SafePageSize).ToList(), ct);
        return new PagedResult<ContactRow>(rows, total, page.SafePage, page.SafePageSize, moreThanTotal);
    }

    // People whose last name starts with a prefix sit together in name order (SortName starts with the last name), so
    // walking the name index tests everyone before them: "S" read 740,000 people for its first page (issue 11). Ordered
    // by an expression no index holds, the database reads the prefix's range of IX_Contacts_LastNameKey_SortName_Id
    // (SortName, Id included) and sorts it: 60,000 entries in 20 ms. The order is SortName's own, as Sort's.
    private static IQueryable<Contact> InNameOrderFromKeys(IQueryable<Contact> query, bool desc) => desc
        ? query.OrderByDescending(c => c.SortName + "").ThenByDescending(c => c.Id)
        : query.OrderBy(c => c.SortName + "").ThenBy(c => c.Id);

    // The first `take` people, in name order, holding a searched word (TextPlan.Ordered) whom the list's other filters let
    // through: each of the word's terms read from the term index in SortKey order, stopping at `take` (a person found
    // through several terms once), or the word's whole range when it is small. The database orders the few rows the
    // terms give, in the collation of SortName. after: the page starts after this person (their SortName and id).
    public static async Task<List<int>> InNameOrder(PayvandDb db, IQueryable<Contact> query, OrderedTerms ordered, bool desc, (string Name, int Id)? after, int take, CancellationToken ct)
    {
        var branches = ordered.Terms is { } terms
            ? terms.Select(term => db.SearchTerms.Where(t => t.Entity == SaveContact.SearchEntity && t.Term == term))
            : [SearchIndex.InRange(db, SaveContact.SearchEntity, ordered.Word)];
        IQueryable<NamedId>? union = null;
        foreach (var branch in branches)
        {
            var holders = branch.Where(t => query.Any(c => c.Id == t.RecordId)).Select(t => new NamedId { SortKey = t.SortKey, Id = t.RecordId });
            if (ordered.Terms is null) holders = holders.Distinct();
            if (after is { } a) holders = After(holders, a.Name, a.Id, desc);
            var first = Ordered(holders, desc).Take(take);
            union = union is null ? first : union.Concat(first);
        }

        if (union is null) return [];
        var rows = await Ordered(union, desc).Select(h => h.Id).ToListAsync(ct);
        return [.. rows.Distinct().Take(take)];
    }

    public static IQueryable<NamedId> Ordered(IQueryable<NamedId> holders, bool desc) => desc
        ? holders.OrderByDescending(h => h.SortKey).ThenByDescending(h => h.Id)
        : holders.OrderBy(h => h.SortKey).ThenBy(h => h.Id);

#pragma warning disable CA1309 // as After below: SQL comparisons in the column's collation
    private static IQueryable<NamedId> After(IQueryable<NamedId> holders, string name, int id, bool desc) => desc
        ? holders.Where(h => string.Compare(h.SortKey, name) <= 0 && (string.Compare(h.SortKey, name) < 0 || h.Id < id))
        : holders.Where(h => string.Compare(h.SortKey, name) >= 0 && (string.Compare(h.SortKey, name) > 0 || h.Id > id));
#pragma warning restore CA1309

    // A holder of a searched word: the person's SortName (SearchTerm.SortKey) and id, the list's name order.
    public sealed class NamedId
    {
        public string? SortKey { get; init; }

        public int Id { get; init; }
    }

    // The people after the given one in name order (before it when descending): SortName, then Id, as Sort orders them.
    // The person may since have been deleted; one the user cannot see is refused like one that does not exist.
    private async Task<IQueryable<Contact>> After(PayvandDb db, IQueryable<Contact> query, int after, bool desc, UserScope user, CancellationToken ct)
    {
        var name = await AfterName(db, after, user, ct);
#pragma warning disable CA1309 // EF translates string.Compare to SQL comparisons in the column's own collation, the one ORDER BY uses
        return desc
            ? query.Where(c => string.Compare(c.SortName, name) <= 0 && (string.Compare(c.SortName, name) < 0 || c.Id < after))
            : query.Where(c => string.Compare(c.SortName, name) >= 0 && (string.Compare(c.SortName, name) > 0 || c.Id > after));
#pragma warning restore CA1309
    }

    private async Task<string> AfterName(PayvandDb db, int after, UserScope user, CancellationToken ct)
    {
        var name = await db.Contacts.IgnoreQueryFilters().VisibleTo(user).Where(c => c.Id == after).Select(c => c.SortName).FirstOrDefaultAsync(ct);
        if (name is null) new Validator(text).Add("after", "No person with id {0}.", after).ThrowIfAny();
        return name!;
    }

    public static async Task<List<ContactRow>> Rows(PayvandDb db, List<int> ids, CancellationToken ct)
    {
        var data = await db.Contacts.IgnoreQueryFilters().AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new
            {
                c.Id,
                c.FirstName,
                c.LastName,
                c.City,
                c.Lifecycle,
                c.OwnerId,
                c.BranchId,
                c.CreatedAt,
                c.Version,
                Mobile = c.Points.Where(p => p.Kind == ContactPointKind.Mobile).OrderByDescending(p => p.IsPrimary).Select(p => p.NormalizedValue).FirstOrDefault(),
                Email = c.Points.Where(p => p.Kind == ContactPointKind.Email).OrderByDescending(p => p.IsPrimary).Select(p => p.NormalizedValue).FirstOrDefault(),
                Tags = c.Tags.Select(t => t.Name).ToList(),
                Owner = db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
                Branch = db.Branches.Where(b => b.Id == c.BranchId).Select(b => b.Name).FirstOrDefault(),
            }).ToListAsync(ct);
        var byId = data.ToDictionary(d => d.Id);
        return ids.Where(byId.ContainsKey).Select(id => byId[id]).Select(c => new ContactRow(
            c.Id, string.IsNullOrWhiteSpace(c.FirstName) ? c.LastName : $"{c.FirstName} {c.LastName}", c.Mobile, c.Email, c.City,
            c.Lifecycle, c.OwnerId, c.Owner, c.BranchId, c.Branch, c.Tags, c.CreatedAt, c.Version)).ToList();
    }

    // How q is answered. Without a plan (exports, bulk changes, deleted people) the search terms decide
    // (SearchIndex.Matching). With one (SearchIndex.Plan, the list's pages): when a word of q is held by few enough people
    // their ids are read from its terms and the other words tested on each one's SearchText, so the cost follows the
    // narrowest word (issue 11: 20,000 people named Smith sort after 780,000 others, whom reading the list in name order
    // and testing each one took 1.9 s); when every word is common, the database reads people in list order testing
    // SearchText (PostgreSQL inside the name index) and stops at the page. Every way gives the same people: a person
    // whose SearchText was too long to keep is tested against the terms.
    // segments: who answers segment= (the Segments module); needed only when the filter names a segment.
    public static IQueryable<Contact> Query(PayvandDb db, ContactFilter f, UserScope user, TextPlan? plan = null, ISegmentFilter? segments = null)
    {
        var query = (f.Deleted ? db.Contacts.IgnoreQueryFilters().Where(c => c.DeletedAt != null) : db.Contacts).VisibleTo(user);
        // Deleted people keep their SearchText but not their terms (DeleteContact), so they are never tested by it.
        if (!string.IsNullOrWhiteSpace(f.Q) && (plan is null || f.Deleted))
        {
            var ids = SearchIndex.Matching(db, SaveContact.SearchEntity, f.Q);
            query = query.Where(c => ids.Contains(c.Id));
        }
        else if (plan?.Holders is { } holders)
        {
            query = WithAllWords(query.Where(c => holders.Contains(c.Id)), db, plan.Words);
        }
        else if (plan is not null)
        {
            // With Ordered, Handle reads the word's holders from the term index; tested here too, so the query says alone
            // who matches (a row test on the few people a page probes).
            query = WithAllWords(query, db, plan.Ordered is { } ordered ? [.. plan.Words, ordered.Word] : plan.Words);
        }

        query = query.Filter<Contact, ContactTag>(f, db, CustomFieldTarget.Contact);
        query = WithName(query, c => c.FirstNameKey, f.FirstName, f.FirstNameStartsWith);
        query = WithName(query, c => c.LastNameKey, f.LastName, f.LastNameStartsWith);
        if (f.CompanyId is { } company) query = query.Where(c => c.CompanyId == company);
        if (f.Gender is { } gender) query = query.Where(c => c.Gender == gender);
        if (f.SmsConsent is { } sms) query = WithConsent(query, db, ConsentChannel.Sms, sms);
        if (f.EmailConsent is { } email) query = WithConsent(query, db, ConsentChannel.Email, email);
        if (f.BornFrom is { } bornFrom) query = query.Where(c => c.BirthDate >= bornFrom);
        if (f.BornTo is { } bornTo) query = query.Where(c => c.BirthDate <= bornTo);
        if (f.CreatedFrom is { } createdFrom) query = query.Where(c => c.CreatedAt >= createdFrom);
        if (f.CreatedTo is { } createdTo) query = query.Where(c => c.CreatedAt <= createdTo);
        if (f.MinSpent is { } minSpent) query = query.Where(c => c.NetSpent >= minSpent);
        if (f.MaxSpent is { } maxSpent) query = query.Where(c => c.NetSpent <= maxSpent);
        if (f.MinPurchases is { } minPurchases) query = query.Where(c => c.PurchaseCount >= minPurchases);
        if (f.MaxPurchases is { } maxPurchases) query = query.Where(c => c.PurchaseCount <= maxPurchases);
        if (f.LastPurchaseFrom is { } lastFrom) query = query.Where(c => c.LastPurchaseAt >= lastFrom);
        if (f.LastPurchaseTo is { } lastTo) query = query.Where(c => c.LastPurchaseAt <= lastTo);
        if (f.Segment is { } segment)
        {
            var members = (segments ?? throw new InvalidOperationException("A segment filter needs ISegmentFilter.")).People(db, segment, user);
            query = query.Where(c => members.Contains(c.Id));
        }

        return query;
    }

    // People whose first or last name key (`key`) equals the key of `equals` and starts with that of `startsWith`: an
    // equality or one range of the key's index. A value that normalizes to nothing (spaces, marks) matches no one.
    public static IQueryable<Contact> WithName(IQueryable<Contact> query, Expression<Func<Contact, string?>> key, string? equals, string? startsWith)
    {
        if (!string.IsNullOrWhiteSpace(equals)) query = query.Where(SegmentField.KeyIs(key, SegmentOperator.Equals, equals, ContactConfiguration.NameLength));
        if (!string.IsNullOrWhiteSpace(startsWith)) query = query.Where(SegmentField.KeyIs(key, SegmentOperator.StartsWith, startsWith, ContactConfiguration.NameLength));
        return query;
    }

    // People whose promotional consent on a channel is this status; Unknown also matches people with no row.
    private static IQueryable<Contact> WithConsent(IQueryable<Contact> query, PayvandDb db, string channel, ConsentStatus status)
    {
        var decided = db.ContactConsents.Where(x => x.Channel == channel && x.Purpose == ContactPurpose.Promotional);
        return status == ConsentStatus.Unknown
            ? query.Where(c => !decided.Any(x => x.ContactId == c.Id && x.Status != ConsentStatus.Unknown))
            : query.Where(c => decided.Any(x => x.ContactId == c.Id && x.Status == status));
    }

    // People with a term starting with each word, tested on the person's own row (SearchText), by the terms for a person
    // whose SearchText was too long to keep. Deleted people keep SearchText but lose their terms: callers exclude them.
    public static IQueryable<Contact> WithAllWords(IQueryable<Contact> query, PayvandDb db, IEnumerable<string> words)
    {
        foreach (var word in words)
        {
            var needle = SearchIndex.TextNeedle(word);
            var terms = SearchIndex.InRange(db, SaveContact.SearchEntity, word);
            query = query.Where(c => c.SearchText != null ? c.SearchText.Contains(needle) : terms.Any(t => t.RecordId == c.Id));
        }

        return query;
    }

    // Only people who bought match: their last purchase is known, so the last-purchase order needs no "never bought
    // last" key, and (LastPurchaseAt, Id) serves it (PurchaseCount >= 1 and NetSpent > 0 both mean a purchase exists).
    private static bool OnlyBuyers(ContactFilter f) =>
        f.MinPurchases >= 1 || f.MinSpent > 0 || f.LastPurchaseFrom is not null || f.LastPurchaseTo is not null;

    public static IQueryable<Contact> Sort(IQueryable<Contact> query, ContactFilter filter, string? sort, bool desc) => (sort?.ToLowerInvariant(), desc) switch
    {
        // "LastPurchaseAt IS NOT NULL" changes no result here, but lets the index walk start past the people who never
        // bought, whom PostgreSQL sorts first when descending (450,000 of them read for nothing: 364 ms -> 0.6 ms).
        ("lastpurchase", false) when OnlyBuyers(filter) => query.Where(c => c.LastPurchaseAt != null).OrderBy(c => c.LastPurchaseAt).ThenBy(c => c.Id),
        ("lastpurchase", true) when OnlyBuyers(filter) => query.Where(c => c.LastPurchaseAt != null).OrderByDescending(c => c.LastPurchaseAt).ThenByDescending(c => c.Id),
        ("lifecycle", _) => query.OrderByThenId(c => c.Lifecycle, desc),
        ("birthdate", _) => query.OrderByThenId(c => c.BirthDate, desc),
        ("spent", _) => query.OrderByThenId(c => c.NetSpent, desc),
        // People who never bought come last either way; SQLite and PostgreSQL disagree on where NULLs sort.
        ("lastpurchase", false) => query.OrderBy(c => c.LastPurchaseAt == null).ThenBy(c => c.LastPurchaseAt).ThenBy(c => c.Id),
        ("lastpurchase", true) => query.OrderBy(c => c.LastPurchaseAt == null).ThenByDescending(c => c.LastPurchaseAt).ThenByDescending(c => c.Id),
        _ => query.Sort<Contact, ContactTag>(sort, desc), // name, city, created, updated: as every customer list
    };
}
