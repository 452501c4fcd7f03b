using Payvand.Modules.CustomFields;
using Payvand.Platform.Api;
using Payvand.Platform.Data;
using Payvand.Platform.Persian;
using Payvand.Platform.Search;

namespace Payvand.Modules.Contacts;

// What people and companies have in common as customer records: where they are, their stage and source, and a name
// to sort by. Their lists filter on it the same way (CustomerRecords.Filter).
public interface ICustomerRecord<TTag> : ITaggedRecord<TTag>, ITimestamped, ISortedRecord
    where TTag : RecordTag, new()
{
    string? City { get; }

    string? Province { get; }

    LifecycleStage Lifecycle { get; }

    RecordSource Source { get; }
}

// The filters every customer list has (people, companies), shared by the list page, GET /api/{list}, saved views, bulk
// actions and export. Custom fields filter as cf.<key>=value (text/choice equal, number and date also as min..max).
public abstract record CustomerFilter
{
    public string? Q { get; init; }

    public string? Tag { get; init; }

    public string? City { get; init; }

    public string? Province { get; init; }

    public int? OwnerId { get; init; }

    public int? BranchId { get; init; }

    public LifecycleStage? Lifecycle { get; init; }

    public RecordSource? Source { get; init; }

    public bool Deleted { get; init; }

    public Dictionary<string, string> CustomFields { get; init; } = [];
}

// What the form of every customer record (a person, a company) sends besides the record's own fields, or an API
// client to create or change one. Text may use Persian or Arabic letters and digits in any script; the record's input
// normalizes it once, for storage.
public abstract record CustomerInput
{
    public string? Address { get; init; }

    public string? City { get; init; }

    public string? Province { get; init; }

    public RecordSource? Source { get; init; }

    public LifecycleStage Lifecycle { get; init; } = LifecycleStage.Lead;

    public int? OwnerId { get; init; }

    public int? BranchId { get; init; }

    public List<ContactPointInput> Points { get; init; } = [];

    public List<string> Tags { get; init; } = [];

    // Custom field values by key; text for every type (numbers and ISO dates as text, choices by value).
    public Dictionary<string, string?> CustomFields { get; init; } = [];

    // Required on update: the version the client read. A different current version means someone else changed it (409).
    public int? Version { get; init; }
}

public static class CustomerRecords
{
    // The list's own filters (filter) with the shared ones read from the query.
    public static T ReadFilter<T>(QueryReader q, T filter) where T : CustomerFilter => (T)(filter with
    {
        Q = q.Text("q"),
        Tag = q.Text("tag"),
        City = q.Text("city"),
        Province = q.Text("province"),
        OwnerId = q.Number("ownerId"),
        BranchId = q.Number("branchId"),
        Lifecycle = q.Enum<LifecycleStage>("lifecycle"),
        Source = q.Enum<RecordSource>("source"),
        Deleted = q.Bool("deleted"),
        CustomFields = q.Prefixed("cf."),
    });

    // The shared filters but the search (q), which each list answers from its own index. Text is compared as it is
    // stored (ContactInput.Clean).
    public static IQueryable<T> Filter<T, TTag>(this IQueryable<T> query, CustomerFilter f, PayvandDb db, CustomFieldTarget target)
        where T : class, ICustomerRecord<TTag>
        where TTag : RecordTag, new()
    {
        if (!string.IsNullOrWhiteSpace(f.Tag))
        {
            var tag = PersianText.Normalize(f.Tag);
            query = query.Where(c => c.Tags.Any(t => t.Name == tag));
        }

        if (ContactInput.Clean(f.City) is { } city) query = query.Where(c => c.City == city);
        if (ContactInput.Clean(f.Province) is { } province) query = query.Where(c => c.Province == province);
        if (f.OwnerId is { } owner) query = query.Where(c => c.OwnerId == owner);
        if (f.BranchId is { } branch) query = query.Where(c => c.BranchId == branch);
        if (f.Lifecycle is { } stage) query = query.Where(c => c.Lifecycle == stage);
        if (f.Source is { } source) query = query.Where(c => c.Source == source);
        foreach (var (key, raw) in f.CustomFields)
        {
            var ids = CustomFieldFilter.Records(db, target, key, raw);
            query = query.Where(c => ids.Contains(c.Id));
        }

        return query;
    }

    // The sorts every customer list offers: city, created, updated, and by name otherwise; each then by id, so pages
    // never overlap.
    public static IQueryable<T> Sort<T, TTag>(this IQueryable<T> query, string? sort, bool desc)
        where T : class, ICustomerRecord<TTag>
        where TTag : RecordTag, new() => sort?.ToLowerInvariant() switch
        {
            "city" => query.OrderByThenId(c => c.City, desc),
            "createdat" => query.OrderByThenId(c => c.CreatedAt, desc),
            "updatedat" => query.OrderByThenId(c => c.UpdatedAt, desc),
            _ => query.OrderByThenId(c => c.SortName, desc),
        };
}
