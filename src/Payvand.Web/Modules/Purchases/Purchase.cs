using Payvand.Platform.Data;

namespace Payvand.Modules.Purchases;

public enum PurchaseChannel
{
    InStore,
    Online,
    Phone,
    Other,
}

// A purchase (خرید / سفارش) in a branch, by a known person or anonymous. Money is whole rials. Rows are never deleted:
// they are the accounts. Erasing a person keeps the purchase without a person (see PurchasesPersonalData).
public sealed class Purchase : IAudited, IVersioned, IBranchScoped, ITimestamped
{
    public const string DefaultCurrency = "IRR";

    // Sane bounds, far above any real order and far below a long's 9.2 × 10^18: a quadrillion rials for any one amount
    // (price, discount, line, purchase), a million of a thing on a line, 500 lines. Without them quantity × price
    // overflowed into a 500, and a person's net spent (the sum of their purchases) could reach a long's end.
    public const long MaxAmount = 1_000_000_000_000_000;
    public const decimal MaxQuantity = 1_000_000m;
    public const int MaxLines = 500;

    public int Id { get; set; }

    public int? ContactId { get; set; }

    public int BranchId { get; set; }

    // The user who recorded it (a cashier, a salesperson, an integration's API user).
    public int? OwnerId { get; set; }

    public PurchaseChannel Channel { get; set; }

    // The system it came from (a POS, a web shop) and its own order number: together they identify an order once.
    public string? SourceSystem { get; set; }

    public string? ExternalOrderId { get; set; }

    public DateTime OccurredAt { get; set; }

    public string Currency { get; set; } = DefaultCurrency;

    // The order-level discount, on top of the discounts of the lines.
    public long Discount { get; set; }

    // What was paid: the lines' totals less the order discount.
    public long Total { get; set; }

    // Sum of the refunds, kept on the order so the "never refund more than was paid" rule is one row's check.
    public long Refunded { get; set; }

    // Free text from the till or the clerk; may describe the person, so it is cleared on erasure.
    public string? Note { get; set; }

    public List<PurchaseLine> Lines { get; set; } = [];

    public List<Refund> Refunds { get; set; } = [];

    public int Version { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public long Net => Total - Refunded;

    // Adds a refund. The amount must be positive and, with earlier refunds, at most what was paid; refunded line
    // quantities at most what was bought. The version check makes two concurrent refunds of one order conflict (409)
    // instead of both passing the check.
    public Refund AddRefund(long amount, string? reason, DateTime at, IReadOnlyList<RefundLine> lines, Func<string, string> text)
    {
        if (amount <= 0) throw new Platform.Errors.DomainRuleException(text("A refund must be more than zero."));
        if (amount > Net) throw new Platform.Errors.DomainRuleException(text("A refund cannot be more than what is left of the purchase."));
        foreach (var line in lines)
        {
            var bought = Lines.SingleOrDefault(l => l.Id == line.PurchaseLineId)
                ?? throw new Platform.Errors.DomainRuleException(text("The refunded line is not part of this purchase."));
            var before = Refunds.SelectMany(r => r.Lines).Where(r => r.PurchaseLineId == bought.Id).Sum(r => r.Quantity);
            if (line.Quantity <= 0 || line.Quantity > bought.Quantity - before) // not before + quantity, which may overflow
            {
                throw new Platform.Errors.DomainRuleException(text("More of a line is refunded than was bought."));
            }
        }

        var refund = new Refund { Amount = amount, Reason = reason, RefundedAt = at, Lines = lines.ToList() };
        Refunds.Add(refund);
        Refunded += amount;
        return refund;
    }
}

// One line of a purchase. LineTotal = round(Quantity × UnitPrice) − Discount, in rials.
public sealed class PurchaseLine
{
    public long Id { get; set; }

    public int? ProductId { get; set; }

    public required string Description { get; set; }

    public decimal Quantity { get; set; }

    public long UnitPrice { get; set; }

    public long Discount { get; set; }

    public long LineTotal { get; set; }

    public static long TotalOf(decimal quantity, long unitPrice, long discount) =>
        (long)decimal.Round(quantity * unitPrice, MidpointRounding.AwayFromZero) - discount;
}

// Money given back on a purchase (مرجوعی), optionally naming the returned lines.
public sealed class Refund : IAudited
{
    public int Id { get; set; }

    public int PurchaseId { get; set; }

    public DateTime RefundedAt { get; set; }

    public long Amount { get; set; }

    // Free text; cleared on erasure like the purchase's note.
    public string? Reason { get; set; }

    public List<RefundLine> Lines { get; set; } = [];
}

public sealed class RefundLine
{
    public long Id { get; set; }

    public long PurchaseLineId { get; set; }

    public decimal Quantity { get; set; }
}

// What the Loyalty module (and others) react to; published after the purchase or refund committed.
public sealed record PurchaseRecorded(int PurchaseId, int? ContactId, int BranchId, long Total, string Currency, DateTime OccurredAt);

public sealed record PurchaseRefunded(int PurchaseId, int RefundId, int? ContactId, int BranchId, long Amount, DateTime RefundedAt);
