using Payvand.Platform.Data;

namespace Payvand.Modules.Purchases;

// A group of products (e.g. "Dairy" under "Groceries"); the catalogue is shared by every branch.
public sealed class ProductCategory : IAudited, ITimestamped
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public int? ParentId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

// Something sold. Price is the list price in whole rials; a purchase line keeps the price actually charged.
public sealed class Product : IAudited, ITimestamped
{
    public int Id { get; set; }

    // The shop's own code; unique, stored as typed (trimmed, Latin digits).
    public required string Sku { get; set; }

    public required string Name { get; set; }

    public int? CategoryId { get; set; }

    public long Price { get; set; }

    public string Currency { get; set; } = Purchase.DefaultCurrency;

    public bool IsActive { get; set; } = true;

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
