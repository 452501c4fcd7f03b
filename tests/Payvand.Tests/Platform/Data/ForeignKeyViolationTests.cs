using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform.Data;

// The net under the id checks (ProblemMapping answers it with 400): each database's own error is recognised.
[Trait("Category", "Integration")]
public sealed class ForeignKeyViolationTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [Fact]
    public async Task A_row_pointing_at_a_missing_branch_is_a_foreign_key_violation_and_not_a_unique_one()
    {
        await using var db = await app.Db();
        db.Contacts.Add(new Contact { LastName = "Orphan", BranchId = 99999 });
        var e = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(ForeignKeyViolation.Is(e), e.InnerException?.Message);
        Assert.False(UniqueViolation.Is(e));
    }
}
