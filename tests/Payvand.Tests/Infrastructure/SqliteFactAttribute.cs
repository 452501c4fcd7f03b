namespace Payvand.Tests.Infrastructure;

// A test about SQLite itself (locking, WAL): skipped when the suite runs against PostgreSQL.
public sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute()
    {
        if (TestDatabase.IsPostgres) Skip = "SQLite only: this test is about SQLite's single-writer locking.";
    }
}
