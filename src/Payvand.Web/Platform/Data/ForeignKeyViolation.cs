using Microsoft.Data.Sqlite;
using Npgsql;

namespace Payvand.Platform.Data;

// Tells a write refused because it points at a row that does not exist (a foreign key) apart from other failures,
// on both providers. Handlers check the ids they are given first (with a field error); this is the net under them,
// so a check forgotten or raced (the branch deleted meanwhile) answers 400 rather than 500.
public static class ForeignKeyViolation
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintForeignKey = 787;

    public static bool Is(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation }) return true;
            if (x is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintForeignKey }) return true;
        }

        return false;
    }
}
