namespace Payvand.Modules.Contacts;

// A named list filter a user saved (e.g. "Gold customers in Tehran") with the columns shown; shared views are visible to
// everyone. Its changes are audited (a shared view is what a team works from).
public sealed class SavedView : Payvand.Platform.Data.IAudited
{
    public int Id { get; set; }

    public int UserId { get; set; }

    // "contacts" or "companies".
    public required string List { get; set; }

    public required string Name { get; set; }

    // The list query as JSON (filters, sort).
    public required string Query { get; set; }

    // Shared with the team: everyone sees and uses it; only its owner (or an administrator) changes it.
    public bool IsShared { get; set; }

    // The list's columns in the order shown, comma-separated keys (e.g. "name,mobile,city"); null: the list's own.
    public string? Columns { get; set; }

    public DateTime CreatedAt { get; set; }
}
