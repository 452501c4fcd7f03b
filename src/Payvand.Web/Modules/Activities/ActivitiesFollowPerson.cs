using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Platform.Extensions;

namespace Payvand.Modules.Activities;

// A person's timeline is in the person's branch (LogActivity, TimelineWriter): when the person moves to another branch,
// it moves with them, in the transaction of the move.
public sealed class ActivitiesFollowPerson : IPersonBranchFollower
{
    public Task Moved(PayvandDb db, IReadOnlyCollection<int> contactIds, int branchId, CancellationToken ct) =>
        db.Activities.IgnoreQueryFilters().Where(a => a.ContactId != null && contactIds.Contains(a.ContactId.Value) && a.BranchId != branchId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.BranchId, branchId), ct);
}
