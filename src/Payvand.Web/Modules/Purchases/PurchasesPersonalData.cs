using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Privacy;

namespace Payvand.Modules.Purchases;

// A person's purchases in the privacy operations. Purchases are the accounts and outlive the person: erasure keeps
// them without the person and without free text; a merge moves them to the surviving person and counts both again.
public sealed class PurchasesPersonalData : IPersonalData
{
    private static readonly string[] TimelineSources = ["Purchase", "Refund"];

    public string Section => "purchases";

    public IReadOnlyList<PersonalDataField> Fields { get; } =
    [
        new("Purchases", "ContactId", PersonalDataTreatment.Anonymized, "Who bought; the purchase stays in the accounts without the person."),
        new("Purchases", "Note", PersonalDataTreatment.Anonymized, "Free text of the till or clerk, which may describe the person."),
        new("Refunds", "Reason", PersonalDataTreatment.Anonymized, "Free text of the refund, which may describe the person."),
        new("Contacts", "PurchaseCount", PersonalDataTreatment.Deleted, "The person's purchase summary, reset."),
        new("Contacts", "NetSpent", PersonalDataTreatment.Deleted, "The person's purchase summary, reset."),
        new("Contacts", "FirstPurchaseAt", PersonalDataTreatment.Deleted, "The person's purchase summary, reset."),
        new("Contacts", "LastPurchaseAt", PersonalDataTreatment.Deleted, "The person's purchase summary, reset."),
    ];

    public async Task<object?> Export(PayvandDb db, int contactId, CancellationToken ct)
    {
        var purchases = await db.Purchases.AsNoTracking().Where(p => p.ContactId == contactId)
            .Include(p => p.Lines).Include(p => p.Refunds).AsSplitQuery().OrderBy(p => p.OccurredAt).ThenBy(p => p.Id).ToListAsync(ct);
        if (purchases.Count == 0) return null;
        return purchases.Select(p => new
        {
            p.Id,
            p.OccurredAt,
            p.Channel,
            p.SourceSystem,
            p.ExternalOrderId,
            p.Currency,
            p.Discount,
            p.Total,
            p.Refunded,
            p.Note,
            Lines = p.Lines.Select(l => new { l.Description, l.Quantity, l.UnitPrice, l.Discount, l.LineTotal }),
            Refunds = p.Refunds.Select(r => new { r.RefundedAt, r.Amount, r.Reason }),
        }).ToList();
    }

    public async Task Erase(PayvandDb db, int contactId, CancellationToken ct)
    {
        var ids = db.Purchases.Where(p => p.ContactId == contactId).Select(p => p.Id);
        await db.Refunds.Where(r => ids.Contains(r.PurchaseId)).ExecuteUpdateAsync(s => s.SetProperty(r => r.Reason, (string?)null), ct);
        await db.Activities.Where(a => a.ContactId == contactId && TimelineSources.Contains(a.SourceType)).ExecuteDeleteAsync(ct);
        await db.Purchases.Where(p => p.ContactId == contactId).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.ContactId, (int?)null)
            .SetProperty(p => p.Note, (string?)null), ct);
        await PurchaseSummaries.Recompute(db, contactId, ct);
    }

    public async Task MoveTo(PayvandDb db, int fromContactId, int intoContactId, CancellationToken ct)
    {
        // A person's purchases are in the person's branch (RecordPurchase): those moved take the surviving person's.
        var branch = await db.Contacts.IgnoreQueryFilters().Where(c => c.Id == intoContactId).Select(c => c.BranchId).SingleAsync(ct);
        await db.Purchases.Where(p => p.ContactId == fromContactId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.ContactId, intoContactId).SetProperty(p => p.BranchId, branch), ct);
        await db.Activities.Where(a => a.ContactId == fromContactId && TimelineSources.Contains(a.SourceType))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ContactId, intoContactId), ct);
        await PurchaseSummaries.Recompute(db, fromContactId, ct);
        await PurchaseSummaries.Recompute(db, intoContactId, ct);
    }
}
