using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Payvand.Platform.Data;

// Tells a write refused by a unique index apart from other failures, on both providers. Code that claims
// something by inserting it (an idempotency key, an external order id) relies on this instead of a read-then-write.
public static class UniqueViolation
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    public static bool Is(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }) return true;
            if (x is SqliteException { SqliteErrorCode: SqliteConstraint } s
                && s.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey) return true;
        }

        return false;
    }

    public static bool IsUniqueViolation(this DbUpdateException e) => Is(e);
}
