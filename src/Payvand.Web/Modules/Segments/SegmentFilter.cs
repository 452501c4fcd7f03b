using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Segments;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Segments;

// Saved segments as a filter of the people list (ISegmentFilter). The list builds its query synchronously, so the
// segment's row is read here as custom field filters read their definition: one small read by key.
public sealed class SegmentFilter(IDbContextFactory<PayvandDb> dbFactory, SegmentCompiler compiler, PayvandSettings settings, TimeProvider clock, IStringLocalizer<SharedResource> text)
    : ISegmentFilter
{
    public IQueryable<int> People(PayvandDb db, int segmentId, UserScope user)
    {
        var segment = db.Set<Segment>().AsNoTracking().Where(ListSegments.Usable(user)).FirstOrDefault(s => s.Id == segmentId);
        if (segment is null) new Validator(text).Add("segment", "No segment with id {0}.", segmentId).ThrowIfAny();
        var context = new SegmentContext(clock.GetUtcNow().UtcDateTime, settings.CurrentTimeZone);
        return SegmentPeople.Ids(db, segment!, compiler, context) ?? db.Contacts.Select(c => c.Id);
    }

    public async Task<IReadOnlyList<SegmentChoice>> Choices(UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Segment>().AsNoTracking().Where(ListSegments.Usable(user)).OrderBy(s => s.Name)
            .Select(s => new SegmentChoice(s.Id.ToString(CultureInfo.InvariantCulture), s.Name)).ToListAsync(ct);
    }
}
