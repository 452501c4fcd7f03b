using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Data;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Purchases.PurchaseTestData;

namespace Payvand.Tests.Platform.Data;

// The statements marked PreparedStatements.Tag are prepared on the connection that runs them, and only those: a list
// keeps being planned for its own values. The test database has one connection (TestDatabase), so the session the
// app's requests used is the one the test looks into.
[Trait("Category", "Integration")]
public sealed class PreparedStatementsTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [PostgresFact]
    public async Task The_token_check_and_the_person_read_are_prepared_and_a_list_is_not()
    {
        var client = await app.ClientAs("Sales");
        var id = await Person(client);
        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync($"/api/contacts/{id}")).EnsureSuccessStatusCode();
            (await client.GetAsync("/api/contacts?city=" + Uri.EscapeDataString("تهران"))).EnsureSuccessStatusCode();
        }

        await using var db = await app.Db();
        var prepared = await db.Database.SqlQuery<string>($"SELECT statement AS \"Value\" FROM pg_prepared_statements").ToListAsync();

        Assert.Contains(prepared, s => s.StartsWith(PreparedStatements.Marker, StringComparison.Ordinal) && s.Contains("\"AccessTokens\"", StringComparison.Ordinal));
        Assert.Contains(prepared, s => s.StartsWith(PreparedStatements.Marker, StringComparison.Ordinal) && s.Contains("\"CustomFieldValues\"", StringComparison.Ordinal));
        Assert.DoesNotContain(prepared, s => s.Contains("\"City\" =", StringComparison.Ordinal));
        Assert.All(prepared, s => Assert.StartsWith(PreparedStatements.Marker, s, StringComparison.Ordinal));
    }
}
