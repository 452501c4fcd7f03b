namespace Payvand.Platform.Data;

// Records people edit carry a version number: a stale edit is refused with 409 instead of silently overwriting.
public interface IVersioned
{
    int Version { get; set; }
}

// Records that belong to a branch and an owner; the branch decides who may see them (see RecordAccess).
public interface IBranchScoped
{
    int BranchId { get; }
    int? OwnerId { get; }
}

// Records whose changes are written to the audit log field by field.
public interface IAudited
{
    int Id { get; }
}

// Records that are hidden instead of removed, so they can be restored.
public interface ISoftDeletable
{
    // The filter of partial indexes over live rows only; both SQLite and PostgreSQL accept this text.
    const string LiveRows = "\"DeletedAt\" IS NULL";

    DateTime? DeletedAt { get; set; }
}

// Creation and modification instants (UTC), stamped by PayvandDb.
public interface ITimestamped
{
    DateTime CreatedAt { get; set; }
    DateTime UpdatedAt { get; set; }
}

// A tag on a record (each kind of record keeps its tags in a table of its own): the tag's normalized name.
public abstract class RecordTag
{
    // Tags are compared and stored normalized (PersianText.Normalize), at most this long.
    public const int MaxLength = 50;

    public int Id { get; set; }

    public string Name { get; set; } = "";
}

// A customer record of a list (people, companies; later leads, deals, tickets): tagged, assigned to an owner, deleted
// and restored, and changed many at a time from its list (BulkUpdate).
public interface ITaggedRecord<TTag> : IAudited, IBranchScoped, ISoftDeletable
    where TTag : RecordTag, new()
{
    new int? OwnerId { get; set; }

    List<TTag> Tags { get; }
}
