using Payvand.Platform.Errors;
using Payvand.Platform.Persian;

namespace Payvand.Platform.Data;

// A record's tags as a form or an API client sends them: normalized (PersianText.Normalize), empty ones dropped, each
// once; then set on the record, keeping the rows of the tags it already had.
public static class RecordTags
{
    public static List<string> Read(IEnumerable<string> tags, Validator v)
    {
        var wanted = tags.Select(t => PersianText.Normalize(t)).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Any(t => t.Length > RecordTag.MaxLength)) v.Add("tags", "A tag must be at most {0} characters.", RecordTag.MaxLength);
        return wanted;
    }

    public static void Apply<TTag>(List<TTag> current, List<string> wanted) where TTag : RecordTag, new()
    {
        current.RemoveAll(t => !wanted.Contains(t.Name));
        foreach (var tag in wanted.Where(t => current.All(x => x.Name != t))) current.Add(new TTag { Name = tag });
    }
}
