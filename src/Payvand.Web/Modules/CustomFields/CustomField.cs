using Payvand.Platform.Data;

namespace Payvand.Modules.CustomFields;

public enum CustomFieldType
{
    Text,
    Number,
    Date,
    Choice,
}

public enum CustomFieldTarget
{
    Contact,
    Company,
}

// An admin-defined field on people or companies. Values live in CustomFieldValue, one row per record and field,
// typed columns so that filters and sorting use indexes.
public sealed class CustomFieldDefinition : IAudited, IVersioned, ITimestamped
{
    public int Id { get; set; }

    public CustomFieldTarget Target { get; set; }

    // Stable identifier used in the API and filters (e.g. "shoe_size").
    public required string Key { get; set; }

    public required string LabelFa { get; set; }

    public required string LabelEn { get; set; }

    public CustomFieldType Type { get; set; }

    public List<string> Choices { get; set; } = [];

    public int Order { get; set; }

    public bool IsActive { get; set; } = true;

    public int Version { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string Label(bool persian) => persian ? LabelFa : LabelEn;
}

public sealed class CustomFieldValue
{
    public long Id { get; set; }

    public int FieldId { get; set; }

    public CustomFieldTarget Target { get; set; }

    public int RecordId { get; set; }

    public string? Text { get; set; }

    public decimal? Number { get; set; }

    public DateOnly? Date { get; set; }
}
