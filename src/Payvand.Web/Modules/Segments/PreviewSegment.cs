using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Segments;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Segments;

// A field as the rule builder offers it: names in the caller's language.
public sealed record SegmentFieldInfo(string Key, string Label, string Group, SegmentValueType Type, IReadOnlyList<SegmentOperator> Operators, IReadOnlyList<SegmentChoice> Choices);

public sealed record SegmentPerson(int Id, string Name);

// How many people the rule selects among those the caller may see, and the first few (newest first), as a rule is edited.
public sealed record SegmentPreview(int Count, IReadOnlyList<SegmentPerson> Sample);

// The fields people can be selected by (contributed by the modules that own the data) and the live count of a rule.
// The marketing module's segments and campaign audiences are built on the same compiler.
public sealed class PreviewSegment(
    IDbContextFactory<PayvandDb> dbFactory, SegmentCompiler compiler, PayvandSettings settings, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public const int SampleSize = 10;

    public IReadOnlyList<SegmentFieldInfo> Fields() => compiler.Fields
        .OrderBy(f => f.Group, StringComparer.Ordinal).ThenBy(f => f.Key, StringComparer.Ordinal)
        .Select(f => new SegmentFieldInfo(f.Key, text[f.Label], text[f.Group], f.Type, f.Operators,
            [.. f.Choices.Select(c => c with { Label = text[c.Label] })]))
        .ToList();

    public async Task<SegmentPreview> Handle(SegmentRule rule, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = new SegmentContext(clock.GetUtcNow().UtcDateTime, await settings.TimeZone(ct));
        var ids = compiler.Compile(db, rule, context);
        var people = db.Contacts.VisibleTo(user);
        if (ids is not null) people = people.Where(c => ids.Contains(c.Id));
        var count = await people.CountAsync(ct);
        var sample = await people.OrderByDescending(c => c.Id).Take(SampleSize)
            .Select(c => new SegmentPerson(c.Id, string.IsNullOrWhiteSpace(c.FirstName) ? c.LastName : c.FirstName + " " + c.LastName)).ToListAsync(ct);
        return new SegmentPreview(count, sample);
    }
}
