namespace Payvand.Tests.Infrastructure;

// A test about PostgreSQL itself (prepared statements): skipped when the suite runs against SQLite.
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestDatabase.IsPostgres) Skip = "PostgreSQL only: this test is about PostgreSQL's prepared statements.";
    }
}
