using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Purchases;

public sealed record ProductInput(string? Sku, string? Name, int? CategoryId, long Price, string? Currency = null, bool IsActive = true);

public sealed record ProductDto(int Id, string Sku, string Name, int? CategoryId, string? CategoryName, long Price, string Currency, bool IsActive);

public sealed record CategoryInput(string? Name, int? ParentId);

public sealed record CategoryDto(int Id, string Name, int? ParentId);

// The product catalogue and its categories, shared by every branch: listing, adding and changing.
public sealed class Catalog(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text)
{
    public static readonly string[] SortFields = ["name", "sku", "price"];

    public async Task<PagedResult<ProductDto>> Products(string? q, int? categoryId, bool? active, PageRequest page, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Products.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = PersianText.PersianLetters(PersianText.ToLatinDigits(q.Trim()));
            query = query.Where(p => p.Sku.Contains(term) || p.Name.Contains(term));
        }

        if (categoryId is { } category) query = query.Where(p => p.CategoryId == category);
        if (active is { } isActive) query = query.Where(p => p.IsActive == isActive);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("sku", false) => query.OrderBy(p => p.Sku),
            ("sku", true) => query.OrderByDescending(p => p.Sku),
            ("price", false) => query.OrderBy(p => p.Price).ThenBy(p => p.Id),
            ("price", true) => query.OrderByDescending(p => p.Price).ThenByDescending(p => p.Id),
            (_, true) => query.OrderByDescending(p => p.Name).ThenByDescending(p => p.Id),
            _ => query.OrderBy(p => p.Name).ThenBy(p => p.Id),
        };
        var items = await Project(db, sorted.Skip(page.Skip).Take(page.ReadSize)).ToListAsync(ct);
        var (total, lowerBound) = await PagedCount.Total(query, page, items.Count, ct);
        return new PagedResult<ProductDto>(items.Take(page.SafePageSize).ToList(), total, page.SafePage, page.SafePageSize, lowerBound);
    }

    public async Task<ProductDto?> Product(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Project(db, db.Products.AsNoTracking().Where(p => p.Id == id)).SingleOrDefaultAsync(ct);
    }

    public async Task<int> CreateProduct(ProductInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var product = new Product { Sku = "", Name = "" };
        await Apply(db, product, input, ct);
        db.Products.Add(product);
        await Save(db, ct);
        return product.Id;
    }

    public async Task<bool> UpdateProduct(int id, ProductInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var product = await db.Products.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (product is null) return false;
        await Apply(db, product, input, ct);
        await Save(db, ct);
        return true;
    }

    public async Task<List<CategoryDto>> Categories(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ProductCategories.AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Select(c => new CategoryDto(c.Id, c.Name, c.ParentId)).ToListAsync(ct);
    }

    public async Task<CategoryDto?> Category(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ProductCategories.AsNoTracking().Where(c => c.Id == id).Select(c => new CategoryDto(c.Id, c.Name, c.ParentId)).SingleOrDefaultAsync(ct);
    }

    public async Task<int> CreateCategory(CategoryInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var category = new ProductCategory { Name = "" };
        await Apply(db, category, input, ct);
        db.ProductCategories.Add(category);
        await db.SaveChangesAsync(ct);
        return category.Id;
    }

    public async Task<bool> UpdateCategory(int id, CategoryInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var category = await db.ProductCategories.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (category is null) return false;
        await Apply(db, category, input, ct);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static IQueryable<ProductDto> Project(PayvandDb db, IQueryable<Product> query) => query.Select(p => new ProductDto(
        p.Id, p.Sku, p.Name, p.CategoryId, db.ProductCategories.Where(c => c.Id == p.CategoryId).Select(c => c.Name).FirstOrDefault(),
        p.Price, p.Currency, p.IsActive));

    private async Task Apply(PayvandDb db, Product product, ProductInput input, CancellationToken ct)
    {
        var v = new Validator(text);
        var sku = RecordPurchase.Clean(input.Sku);
        var name = RecordPurchase.Clean(input.Name) is { } n ? PersianText.PersianLetters(n) : null;
        v.Required("sku", sku, "SKU").MaxLength("sku", sku, 50, "SKU");
        v.Required("name", name, "Name").MaxLength("name", name, 200, "Name");
        if (input.Price < 0) v.Add("price", "{0} cannot be negative.", text["Price"]);
        else if (input.Price > Purchase.MaxAmount) v.Add("price", "{0} must be at most {1}.", text["Price"], Purchase.MaxAmount);
        var currency = (RecordPurchase.Clean(input.Currency) ?? Purchase.DefaultCurrency).ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)) v.Add("currency", "The currency must be a three-letter code such as IRR.");
        if (input.CategoryId is { } categoryId && !await db.ProductCategories.AnyAsync(c => c.Id == categoryId, ct)) v.Add("categoryId", "The category was not found.");
        if (sku is not null && await db.Products.AnyAsync(p => p.Sku == sku && p.Id != product.Id, ct)) v.Add("sku", "Another product already has this SKU.");
        v.ThrowIfAny();
        product.Sku = sku!;
        product.Name = name!;
        product.CategoryId = input.CategoryId;
        product.Price = input.Price;
        product.Currency = currency;
        product.IsActive = input.IsActive;
    }

    private async Task Apply(PayvandDb db, ProductCategory category, CategoryInput input, CancellationToken ct)
    {
        var v = new Validator(text);
        var name = RecordPurchase.Clean(input.Name) is { } n ? PersianText.PersianLetters(n) : null;
        v.Required("name", name, "Name").MaxLength("name", name, 100, "Name");
        if (input.ParentId is { } parentId)
        {
            if (!await db.ProductCategories.AnyAsync(c => c.Id == parentId, ct)) v.Add("parentId", "The category was not found.");
            else if (category.Id != 0 && await IsUnder(db, parentId, category.Id, ct)) v.Add("parentId", "A category cannot be placed under itself.");
        }

        if (name is not null && await db.ProductCategories.AnyAsync(c => c.Name == name && c.ParentId == input.ParentId && c.Id != category.Id, ct))
        {
            v.Add("name", "A category with this name already exists here.");
        }

        v.ThrowIfAny();
        category.Name = name!;
        category.ParentId = input.ParentId;
    }

    // Walks up from a category; categories are few, so a loop of single reads is fine.
    private static async Task<bool> IsUnder(PayvandDb db, int start, int ancestor, CancellationToken ct)
    {
        int? id = start;
        for (var steps = 0; id is { } current && steps < 100; steps++)
        {
            if (current == ancestor) return true;
            id = await db.ProductCategories.Where(c => c.Id == current).Select(c => c.ParentId).SingleOrDefaultAsync(ct);
        }

        return false;
    }

    // Two clerks adding the same SKU at once: the unique index decides, the loser gets the field error.
    private async Task Save(PayvandDb db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            throw new ValidationException(new Dictionary<string, string[]> { ["sku"] = [text["Another product already has this SKU."]] });
        }
    }
}
