namespace Payvand.Modules.Contacts;

// A named list filter a user saved (e.g. "Gold customers in Tehran"); shared views are visible to everyone.
public sealed class SavedView
{
    public int Id { get; set; }

    public int UserId { get; set; }

    // "contacts" or "companies".
    public required string List { get; set; }

    public required string Name { get; set; }

    // The list query as JSON (filters, sort).
    public required string Query { get; set; }

    public bool IsShared { get; set; }

    public DateTime CreatedAt { get; set; }
}
