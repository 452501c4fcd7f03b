using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Modules.Activities;

// The filters of a timeline: kinds of entries logged by hand and types of entries other modules wrote (an entry of either
// matches), a period (From inclusive, Until exclusive) and words of the subject or text.
public sealed record TimelineFilter
{
    public IReadOnlyList<ActivityKind> Kinds { get; init; } = [];

    public IReadOnlyList<string> Types { get; init; } = [];

    public DateTime? From { get; init; }

    public DateTime? Until { get; init; }

    public string? Q { get; init; }
}

// One entry of a timeline as the profile page and the API show it. CanEdit: the caller may change or delete it.
// TypeLabel: the name of a registered entry type, and Subject its text, in the caller's language; Data: its facts.
public sealed record TimelineItem(
    long Id, ActivityKind Kind, string? Type, DateTime OccurredAt, string? Subject, string? Body, CallDirection? Direction,
    string? PhoneNumber, int? DurationSeconds, CallOutcome? Outcome, DateTime? FollowUpAt, DateTime? EndsAt, string? Location,
    int? ContactId, string? ContactName, int? CompanyId, string? CompanyName, string? SourceType, string? SourceId,
    int? CreatedById, string? CreatedByName, DateTime CreatedAt, bool CanEdit, string? EmailAddress = null, string? TypeLabel = null,
    JsonElement? Data = null);

// The timeline (تاریخچه ارتباطات), newest first: of a person (their own entries), or of a company (its own entries
// and those of its people the caller may see). Null when the person or company is not visible to the caller.
public sealed class ListTimeline(IDbContextFactory<PayvandDb> dbFactory, TimelineTypes types)
{
    public async Task<PagedResult<TimelineItem>?> ForContact(int contactId, TimelineFilter filter, PageRequest page, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Contacts.VisibleTo(user).AnyAsync(c => c.Id == contactId, ct)) return null;
        return await Page(db, Filter(db.Activities.Where(a => a.ContactId == contactId), filter), page, user, ct);
    }

    public async Task<PagedResult<TimelineItem>?> ForCompany(int companyId, TimelineFilter filter, PageRequest page, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Companies.VisibleTo(user).AnyAsync(c => c.Id == companyId, ct)) return null;
        var people = db.Contacts.VisibleTo(user).Where(c => c.CompanyId == companyId).Select(c => c.Id);
        var query = db.Activities.Where(a => a.CompanyId == companyId || (a.ContactId != null && people.Contains(a.ContactId.Value)));
        return await Page(db, Filter(query, filter), page, user, ct);
    }

    // Entries the caller may see: those of a person or company visible to them.
    public static IQueryable<Activity> Visible(PayvandDb db, UserScope user)
    {
        var contacts = db.Contacts.VisibleTo(user);
        var companies = db.Companies.VisibleTo(user);
        return db.Activities.Where(a => contacts.Any(c => c.Id == a.ContactId) || companies.Any(c => c.Id == a.CompanyId));
    }

    // Holders of activities.manage (managers and admins) may change anyone's entries in the records they see; others only their own.
    public static bool CanEdit(UserScope user, ActivityKind kind, int? createdById) =>
        Activity.IsLoggedByHand(kind) && (user.Has(ActivitiesPermissions.Manage) || (user.UserId > 0 && createdById == user.UserId));

    public static async Task<TimelineItem?> Item(PayvandDb db, long id, UserScope user, CancellationToken ct) =>
        (await Items(db, db.Activities.Where(a => a.Id == id), user, ct)).SingleOrDefault();

    private static IQueryable<Activity> Filter(IQueryable<Activity> query, TimelineFilter f)
    {
        if (f.Kinds.Count > 0 || f.Types.Count > 0)
        {
            var kinds = f.Kinds.Distinct().ToList();
            var entryTypes = f.Types.Distinct().ToList();
            query = query.Where(a => kinds.Contains(a.Kind) || (a.Kind == ActivityKind.External && entryTypes.Contains(a.Type!)));
        }

        if (f.From is { } from) query = query.Where(a => a.OccurredAt >= from);
        if (f.Until is { } until) query = query.Where(a => a.OccurredAt < until);
        if (ActivityInput.CleanText(f.Q)?.ToLowerInvariant() is { } q)
        {
#pragma warning disable CA1862 // EF translates ToLower and Contains to SQL; the StringComparison overloads are not translatable
            query = query.Where(a => (a.Subject != null && a.Subject.ToLower().Contains(q)) || (a.Body != null && a.Body.ToLower().Contains(q)));
#pragma warning restore CA1862
        }

        return query;
    }

    private async Task<PagedResult<TimelineItem>> Page(PayvandDb db, IQueryable<Activity> query, PageRequest page, UserScope user, CancellationToken ct)
    {
        var total = await query.CountAsync(ct);
        var pageQuery = query.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id).Skip(page.Skip).Take(page.SafePageSize);
        var reader = await types.Reader(ct);
        var items = (await Items(db, pageQuery, user, ct)).Select(item =>
        {
            var (label, subject) = types.Describe(item.Type, item.Data, item.Subject, reader);
            return item with { TypeLabel = label, Subject = subject };
        }).ToList();
        return new PagedResult<TimelineItem>(items, total, page.SafePage, page.SafePageSize);
    }

    // The person or company an entry is linked to is named only when the caller may see it: an entry on a company's
    // timeline about a person of another branch shows neither that person's name nor their id.
    private static async Task<List<TimelineItem>> Items(PayvandDb db, IQueryable<Activity> query, UserScope user, CancellationToken ct)
    {
        var people = db.Contacts.IgnoreQueryFilters().VisibleTo(user);
        var companies = db.Companies.IgnoreQueryFilters().VisibleTo(user);
        var rows = await query.AsNoTracking().Select(a => new
        {
            Activity = a,
            FirstName = people.Where(c => c.Id == a.ContactId).Select(c => c.FirstName).FirstOrDefault(),
            LastName = people.Where(c => c.Id == a.ContactId).Select(c => c.LastName).FirstOrDefault(),
            Company = companies.Where(c => c.Id == a.CompanyId).Select(c => c.Name).FirstOrDefault(),
            CreatedBy = db.Users.Where(u => u.Id == a.CreatedById).Select(u => u.DisplayName).FirstOrDefault(),
        }).ToListAsync(ct);
        return rows.Select(r =>
        {
            var a = r.Activity;
            var contactName = r.LastName is null ? null : string.IsNullOrWhiteSpace(r.FirstName) ? r.LastName : $"{r.FirstName} {r.LastName}";
            return new TimelineItem(
                a.Id, a.Kind, a.Type, a.OccurredAt, a.Subject, a.Body, a.Direction, a.PhoneNumber, a.DurationSeconds, a.Outcome,
                a.FollowUpAt, a.EndsAt, a.Location, contactName is null ? null : a.ContactId, contactName, r.Company is null ? null : a.CompanyId, r.Company, a.SourceType, a.SourceId,
                a.CreatedById, r.CreatedBy, a.CreatedAt, CanEdit(user, a.Kind, a.CreatedById), a.EmailAddress,
                Data: a.Data is null ? null : JsonDocument.Parse(a.Data).RootElement.Clone());
        }).ToList();
    }
}
