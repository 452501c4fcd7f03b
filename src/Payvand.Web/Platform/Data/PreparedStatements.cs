using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Payvand.Platform.Data;

// The few statements nearly every request runs (the token check, the person read, a recorded purchase's read, the
// Idempotency-Key claim) are prepared on PostgreSQL, once per pooled connection: the server then stops parsing and
// planning them, and after five runs keeps a generic plan. For these look-ups by key that plan is the right one, and
// planning cost more than running (0.3 ms against 0.06 ms for the person read; docs/benchmarks-log.md, finding 12).
// Only statements marked with the tag (TagWith(PreparedStatements.Tag), or SQL that starts with Marker) are: a list's best plan depends on its values (a spend threshold, a city),
// and a generic plan for it turned 57 ms at p99 into 3.8 s, so Npgsql's automatic preparation of every statement
// stays off unless the connection string asks for it (Max Auto Prepare).
public static class PreparedStatements
{
    public const string Tag = "prepared";

    // The SQL of a marked query starts with this comment (EF Core writes the tag as "-- prepared").
    public const string Marker = "-- " + Tag;

    public static readonly DbCommandInterceptor Interceptor = new PrepareMarked();

    private sealed class PrepareMarked : DbCommandInterceptor
    {
        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            if (IsMarked(command)) command.Prepare();
            return result;
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (IsMarked(command)) await command.PrepareAsync(cancellationToken);
            return result;
        }

        // Npgsql keeps a statement prepared on its physical connection, so preparing it again is a look-up.
        private static bool IsMarked(DbCommand command) =>
            command is NpgsqlCommand && command.CommandText.StartsWith(Marker, StringComparison.Ordinal);
    }
}
