using Payvand.Platform.Data;

namespace Payvand.Platform.Extensions;

// Rows another module keeps in a person's branch (a person's purchases, their timeline): who may see the person sees
// them. When people move to another branch (the person form or PUT, a merge taking the other person's branch) each
// module moves its own rows, in the caller's context and transaction, so the new branch never sees a person without
// their rows (purchases once stayed in the old branch: the new one saw the summary but not the purchases).
// Registered with services.AddPersonBranchFollower<T>().
public interface IPersonBranchFollower
{
    Task Moved(PayvandDb db, IReadOnlyCollection<int> contactIds, int branchId, CancellationToken ct);
}

public static class PersonBranchFollowerRegistration
{
    // Every registered follower, called by the code that moves people between branches.
    public static async Task Moved(this IEnumerable<IPersonBranchFollower> followers, PayvandDb db, IReadOnlyCollection<int> contactIds, int branchId, CancellationToken ct)
    {
        if (contactIds.Count == 0) return;
        foreach (var follower in followers) await follower.Moved(db, contactIds, branchId, ct);
    }

    public static IServiceCollection AddPersonBranchFollower<T>(this IServiceCollection services) where T : class, IPersonBranchFollower =>
        services.AddSingleton<IPersonBranchFollower, T>();
}
