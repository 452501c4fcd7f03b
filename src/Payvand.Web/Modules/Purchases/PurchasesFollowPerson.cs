using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Extensions;

namespace Payvand.Modules.Purchases;

// A person's purchases are in the person's branch (RecordPurchase): when the person moves to another branch, they move
// with them, in the transaction of the move.
public sealed class PurchasesFollowPerson : IPersonBranchFollower
{
    public Task Moved(PayvandDb db, IReadOnlyCollection<int> contactIds, int branchId, CancellationToken ct) =>
        db.Purchases.Where(p => p.ContactId != null && contactIds.Contains(p.ContactId.Value) && p.BranchId != branchId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.BranchId, branchId), ct);
}
