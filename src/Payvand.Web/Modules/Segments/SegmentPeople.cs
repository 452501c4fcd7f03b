using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Segments;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Segments;

// The people of a saved segment, always among those the caller may see: a static list's members, or a dynamic
// segment's rule compiled when it is used (never loaded into memory: one statement the database plans).
public sealed class SegmentPeople(IDbContextFactory<PayvandDb> dbFactory, SegmentCompiler compiler, PayvandSettings settings, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SegmentContext> Context(CancellationToken ct) => new(clock.GetUtcNow().UtcDateTime, await settings.TimeZone(ct));

    // Null for a rule without conditions: everyone. The rule was checked when saved; a field removed since is a 400.
    public IQueryable<int>? Ids(PayvandDb db, Segment segment, SegmentContext context) => Ids(db, segment, compiler, context);

    internal static IQueryable<int>? Ids(PayvandDb db, Segment segment, SegmentCompiler compiler, SegmentContext context) => segment.Kind == SegmentKind.Static
        ? db.Set<SegmentMember>().Where(m => m.SegmentId == segment.Id).Select(m => m.ContactId)
        : compiler.Compile(db, ReadRule(segment.Rule), context);

    public static SegmentRule ReadRule(string? json) => json is null ? new SegmentRule() : JsonSerializer.Deserialize<SegmentRule>(json, Json) ?? new SegmentRule();

    // The people of the segment the user sees; null when the user may not use the segment or there is none.
    public async Task<IQueryable<Contact>?> People(PayvandDb db, int id, UserScope user, CancellationToken ct)
    {
        var segment = await db.Set<Segment>().AsNoTracking().Where(ListSegments.Usable(user)).SingleOrDefaultAsync(s => s.Id == id, ct);
        if (segment is null) return null;
        var ids = Ids(db, segment, await Context(ct));
        var people = db.Contacts.VisibleTo(user);
        return ids is null ? people : people.Where(c => ids.Contains(c.Id));
    }

    public async Task<int?> Count(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await People(db, id, user, ct) is { } people ? await people.CountAsync(ct) : null;
    }

    // A page of the segment's people in id order, as rows of the people list.
    public async Task<PagedResult<ContactRow>?> Members(int id, PageRequest page, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await People(db, id, user, ct) is not { } people) return null;
        var paged = page.After is { } after ? people.Where(c => c.Id > after) : people;
        var ids = await paged.OrderBy(c => c.Id).Skip(page.Skip).Take(page.ReadSize).Select(c => c.Id).ToListAsync(ct);
        var (total, lowerBound) = await PagedCount.Total(people, page, ids.Count, ct);
        var rows = await ListContacts.Rows(db, ids.Take(page.SafePageSize).ToList(), ct);
        return new PagedResult<ContactRow>(rows, total, page.SafePage, page.SafePageSize, lowerBound);
    }
}
