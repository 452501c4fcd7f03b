using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Activities;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Events;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Purchases;

// Gives money back on a purchase (مرجوعی): the refund, the purchase's refunded sum, the person's summary and the
// timeline entry in one transaction, then PurchaseRefunded. More than what is left of the purchase is refused (409);
// two refunds racing on one purchase conflict on its version (409) instead of both passing that check.
public sealed class RefundPurchase(
    IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text, TimelineWriter timeline, EventOutbox events)
{
    public sealed record LineInput(long PurchaseLineId, decimal Quantity);

    public sealed record Request
    {
        public long Amount { get; init; }

        public string? Reason { get; init; }

        // UTC; now when left out.
        public DateTime? RefundedAt { get; init; }

        public List<LineInput> Lines { get; init; } = [];
    }

    // The refund's id, or null when the purchase does not exist for the caller.
    public async Task<int?> Handle(int purchaseId, Request request, UserScope user, CancellationToken ct)
    {
        var v = new Validator(text);
        if (request.Amount <= 0) v.Add("amount", "{0} must be more than zero.", text["Amount"]);
        v.MaxLength("reason", request.Reason, 500, "Reason");
        if (request.Lines.Count > Purchase.MaxLines) v.Add("lines", "At most {0} items are accepted.", Purchase.MaxLines);
        var now = clock.GetUtcNow().UtcDateTime;
        var at = request.RefundedAt is { } r ? (r.Kind == DateTimeKind.Utc ? r : DateTime.SpecifyKind(r.ToUniversalTime(), DateTimeKind.Utc)) : now;
        if (at > now.AddMinutes(10)) v.Add("refundedAt", "The refund date cannot be in the future.");
        v.ThrowIfAny();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var purchase = await db.Purchases.VisibleTo(user).Include(p => p.Lines).Include(p => p.Refunds).ThenInclude(x => x.Lines)
            .AsSplitQuery().SingleOrDefaultAsync(p => p.Id == purchaseId, ct);
        if (purchase is null) return null;
        if (at < purchase.OccurredAt) throw new DomainRuleException(text["A refund cannot be dated before its purchase."]);

        var reason = RecordPurchase.Clean(request.Reason) is { } clean ? PersianText.PersianLetters(clean) : null;
        var lines = request.Lines.Select(l => new RefundLine { PurchaseLineId = l.PurchaseLineId, Quantity = l.Quantity }).ToList();
        var refund = purchase.AddRefund(request.Amount, reason, at, lines, key => text[key]);

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SaveChangesAsync(ct); // the version check: a concurrent refund makes this one fail with 409
            await PurchaseSummaries.Refunded(db, purchase, refund.Amount, ct);
            if (purchase.ContactId is { } contactId)
            {
                await timeline.Write(db, new TimelineEntry
                {
                    ContactId = contactId,
                    Type = RefundEntryType.Name,
                    OccurredAt = at,
                    Data = new RefundEntryData(refund.Amount, purchase.Currency),
                    Body = reason,
                    SourceType = "Refund",
                    SourceId = refund.Id.ToString(CultureInfo.InvariantCulture),
                }, ct);
            }

            events.Add(db, new PurchaseRefunded(purchase.Id, refund.Id, purchase.ContactId, purchase.BranchId, refund.Amount, at));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return refund.Id;
    }
}
