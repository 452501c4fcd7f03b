using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Platform.Segments;

// A saved segment as a filter of lists owned by modules that come before Segments: the people list's segment=12, and
// with it the export, bulk changes and reach counts of that list. The Segments module, which owns saved segments,
// implements it (AddSegments); the list composes the ids into its own query, so nobody is loaded into memory.
public interface ISegmentFilter
{
    // The ids of the segment's people (a static list's members, a dynamic segment's rule compiled now). A segment the
    // user may not use, or none, is a field error on "segment".
    IQueryable<int> People(PayvandDb db, int segmentId, UserScope user);

    // The segments the user may filter by, by name, for a list page's picker.
    Task<IReadOnlyList<SegmentChoice>> Choices(UserScope user, CancellationToken ct);
}
