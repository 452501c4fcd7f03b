using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using SQLitePCL;

namespace Payvand.Platform.Data;

// Writes many new rows of one table with a few multi-row INSERT statements instead of one tracked entity and
// statement per row (imports). The columns come from the EF model: the entity's properties, those of owned types
// stored in its table (a person's preferences) and, for the rows of an owned collection (a person's phones), the
// owner's key; so a model change cannot silently leave a column out, and a column the database must fill in
// (other than the key) is refused loudly. Values are bound through each property's type mapping, converters
// included, as SaveChanges binds them. It writes what it is given: timestamps, versions and the audit rows
// (NewRecordAudit) are the caller's, inside the caller's transaction.
public sealed class BulkInsert
{
    private static readonly ConcurrentDictionary<(IModel Model, Type Owner, string? Navigation), BulkInsert> Tables = new();

    private readonly string table;
    private readonly Column[] columns;
    private readonly Column? key;
    private readonly string? keyColumn; // the key column's name undelimited, for pg_get_serial_sequence
    private readonly bool sqliteDirect; // every column's stored type is one WriteSqlite binds itself

    private BulkInsert(string table, Column[] columns, Column? key, string? keyColumn)
    {
        (this.table, this.columns, this.key, this.keyColumn) = (table, columns, key, keyColumn);
        sqliteDirect = columns.All(c => SqliteBinds(c.Mapping.Converter?.ProviderClrType ?? c.Mapping.ClrType));
    }

    // Reads a column's value from a row (and, for an owned collection's rows, the owner's key). Name is delimited.
    private sealed record Column(string Name, RelationalTypeMapping Mapping, bool Nullable, Func<object, object?, object?> Read)
    {
        // The value as the database stores it (enums as numbers, instants as UTC), for PostgreSQL's binary COPY.
        public object? Stored(object row, object? owner) => Read(row, owner) is { } value ? Mapping.Converter?.ConvertToProvider(value) ?? value : null;
    }

    // The table of an entity, e.g. people: its columns and those of its owned references that share the table.
    public static BulkInsert Of<T>(DbContext db) where T : class =>
        Tables.GetOrAdd((db.Model, typeof(T), null), k => Build(db, k.Model.FindEntityType(k.Owner) ?? throw new InvalidOperationException($"{k.Owner.Name} is not in the model.")));

    // The table of an owned collection, e.g. a person's phones: the item's columns and the owner's key.
    public static BulkInsert OfOwned<TOwner>(DbContext db, string navigation) where TOwner : class =>
        Tables.GetOrAdd((db.Model, typeof(TOwner), navigation), k =>
        {
            var owner = k.Model.FindEntityType(k.Owner) ?? throw new InvalidOperationException($"{k.Owner.Name} is not in the model.");
            var target = owner.FindNavigation(k.Navigation!)?.TargetEntityType;
            return target is not null && target.IsOwned()
                ? Build(db, target)
                : throw new InvalidOperationException($"{k.Owner.Name}.{k.Navigation} is not an owned collection.");
        });

    private static BulkInsert Build(DbContext db, IEntityType type)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var name = type.GetTableName() ?? throw new InvalidOperationException($"{type.DisplayName()} has no table.");
        var store = StoreObjectIdentifier.Table(name, type.GetSchema());
        var ownerKey = type.FindOwnership()?.Properties;
        var columns = new List<Column>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        Column? key = null;
        string? keyColumn = null;

        void Add(IEntityType part, Func<object, object?> reach)
        {
            foreach (var property in part.GetProperties())
            {
                var column = property.GetColumnName(store);
                if (column is null || !names.Add(column)) continue; // an owned reference's key is its owner's key column
                if (property.IsPrimaryKey() && property.ValueGenerated == ValueGenerated.OnAdd && part == type)
                {
                    (key, keyColumn) = (new Column(sql.DelimitIdentifier(column), property.GetRelationalTypeMapping(), false, (_, id) => id), column);
                    continue;
                }

                // Columns the database fills in for a new row and saving never writes (a person's purchase summary).
                if (property.GetBeforeSaveBehavior() == PropertySaveBehavior.Ignore) continue;
                if (property.ValueGenerated != ValueGenerated.Never)
                {
                    throw new NotSupportedException($"{part.DisplayName()}.{property.Name} is generated by the database; BulkInsert cannot write it.");
                }

                Func<object, object?, object?> read;
                if (!property.IsShadowProperty())
                {
                    var getter = property.GetGetter();
                    read = (row, _) => reach(row) is { } value ? getter.GetClrValue(value) : null;
                }
                else if (ownerKey is not null && ownerKey.Contains(property) && part == type)
                {
                    read = (_, owner) => owner;
                }
                else
                {
                    throw new NotSupportedException($"{part.DisplayName()}.{property.Name} is a shadow property BulkInsert cannot fill.");
                }

                columns.Add(new Column(sql.DelimitIdentifier(column), property.GetRelationalTypeMapping(), property.IsNullable, read));
            }

            foreach (var navigation in part.GetNavigations())
            {
                var target = navigation.TargetEntityType;
                if (navigation.IsCollection || !target.IsOwned() || target.GetTableName() != name || target.GetSchema() != type.GetSchema()) continue;
                var getter = navigation.GetGetter();
                Add(target, row => reach(row) is { } value ? getter.GetClrValue(value) : null);
            }
        }

        Add(type, row => row);
        return new BulkInsert(sql.DelimitIdentifier(name, type.GetSchema()), [.. columns], key, keyColumn);
    }

    // Inserts the rows of an entity table; returns their generated keys in the order of the rows (none when the
    // table has no generated key or returnKeys is false).
    public Task<long[]> Insert(DbContext db, IReadOnlyList<object> rows, bool returnKeys, CancellationToken ct) =>
        Write(db, rows.Count, i => (rows[i], null), returnKeys, ct);

    // Inserts the rows of an owned collection, each with its owner's key.
    public Task Insert(DbContext db, IReadOnlyList<(object OwnerKey, object Item)> rows, CancellationToken ct) =>
        Write(db, rows.Count, i => (rows[i].Item, rows[i].OwnerKey), returnKeys: false, ct);

    private async Task<long[]> Write(DbContext db, int count, Func<int, (object Row, object? Owner)> at, bool returnKeys, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("BulkInsert writes inside the caller's transaction.");
        returnKeys &= key is not null;
        var keys = new long[returnKeys ? count : 0];
        var postgres = db.Database.IsNpgsql();
        if (postgres) return await Copy(db, (NpgsqlConnection)transaction.Connection!, count, at, returnKeys, ct);
        if (sqliteDirect && transaction.Connection is SqliteConnection { Handle: { } handle }) return WriteSqlite(handle, count, at, returnKeys, ct);
        var perStatement = Math.Max(1, (postgres ? PostgresParameters : SqliteParameters) / columns.Length);
        DbCommand? full = null; // the statement of perStatement rows, prepared once and executed for every full chunk
        try
        {
            for (var first = 0; first < count; first += perStatement)
            {
                var rows = Math.Min(perStatement, count - first);
                DbCommand command;
                if (rows < perStatement) command = Command(transaction, db, rows, returnKeys, postgres);
                else command = full ??= Command(transaction, db, rows, returnKeys, postgres);
                try
                {
                    command.Parameters.Clear();
                    var n = 0;
                    for (var i = 0; i < rows; i++)
                    {
                        var (row, owner) = at(first + i);
                        foreach (var column in columns)
                        {
                            var name = postgres ? "" : SqliteName(n++);
                            command.Parameters.Add(column.Mapping.CreateParameter(command, name, StoredText.CleanValue(column.Read(row, owner)), column.Nullable));
                        }
                    }

                    if (returnKeys) (await ReadKeys(command, rows, ct)).CopyTo(keys, first);
                    else await command.ExecuteNonQueryAsync(ct);
                }
                catch (DbException e)
                {
                    // As SaveChanges reports it, so callers (and UniqueViolation) treat both ways of writing alike.
                    throw new DbUpdateException($"Inserting {rows} rows into {table} failed: {e.Message}", e);
                }
                finally
                {
                    if (command != full) await command.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null) await full.DisposeAsync();
        }

        return keys;
    }

    // PostgreSQL: one binary COPY per table and batch, the fastest way in for both sides. New keys are taken from the
    // key column's own sequence first (nextval, as its default would), so each row's key is known without relying
    // on the order of returned rows.
    private async Task<long[]> Copy(DbContext db, NpgsqlConnection connection, int count, Func<int, (object Row, object? Owner)> at, bool returnKeys, CancellationToken ct)
    {
        var keys = returnKeys ? await NextKeys(connection, count, ct) : [];
        var copied = returnKeys ? [key!, .. columns] : columns;
        var types = copied.Select(c => c.Mapping.StoreTypeNameBase).ToArray();
        try
        {
            await using var import = await connection.BeginBinaryImportAsync(
                $"COPY {table} ({string.Join(", ", copied.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct);
            if (db.Database.GetCommandTimeout() is { } timeout) import.Timeout = TimeSpan.FromSeconds(timeout);
            for (var i = 0; i < count; i++)
            {
                var (row, owner) = at(i);
                await import.StartRowAsync(ct);
                for (var c = 0; c < copied.Length; c++)
                {
                    var value = returnKeys && c == 0 ? Convert.ChangeType(keys[i], key!.Mapping.ClrType, CultureInfo.InvariantCulture) : copied[c].Stored(row, owner);
                    if (value is null) await import.WriteNullAsync(ct);
                    else await import.WriteAsync(value, types[c], ct);
                }
            }

            await import.CompleteAsync(ct);
        }
        catch (PostgresException e)
        {
            throw new DbUpdateException($"Copying {count} rows into {table} failed: {e.Message}", e);
        }

        return keys;
    }

    private async Task<long[]> NextKeys(NpgsqlConnection connection, int count, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT nextval(pg_get_serial_sequence($1, $2)) FROM generate_series(1, $3)";
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        command.Parameters.Add(new NpgsqlParameter { Value = keyColumn });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        var keys = new List<long>(count);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) keys.Add(reader.GetInt64(0));
        }

        return keys.Count == count ? [.. keys] : throw new InvalidOperationException($"{table}: asked for {count} new keys, got {keys.Count}.");
    }

    // Parameters per statement. PostgreSQL takes 65,535 and each statement is a round trip, so few large ones, with
    // positional parameters ($1) that Npgsql sends without parsing the text. SQLite takes 32,766, but
    // Microsoft.Data.Sqlite binds each parameter by name and SQLite finds a name by a linear scan, so binding costs
    // the square of a statement's parameters: small statements, prepared once and run again for each chunk.
    private const int PostgresParameters = 65_535;
    private const int SqliteParameters = 100;

    // The most parameters one statement should bind, for other set-based writers (SetUpdate) as for this one.
    public static int MaxParameters(bool postgres) => postgres ? PostgresParameters : SqliteParameters;

    private static string SqliteName(int n) => "@p" + n.ToString(CultureInfo.InvariantCulture);

    private DbCommand Command(DbTransaction transaction, DbContext db, int rows, bool returnKeys, bool postgres)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        if (db.Database.GetCommandTimeout() is { } timeout) command.CommandTimeout = timeout;
        command.CommandText = Sql(rows, returnKeys, postgres);
        return command;
    }

    // INSERT INTO table (columns) VALUES (@p0, @p1, ...), (...) [RETURNING key]; $1, $2 ... on PostgreSQL.
    private string Sql(int rows, bool returnKeys, bool postgres)
    {
        var text = new StringBuilder("INSERT INTO ").Append(table).Append(" (").AppendJoin(", ", columns.Select(c => c.Name)).Append(") VALUES ");
        var n = 0;
        for (var i = 0; i < rows; i++)
        {
            text.Append(i == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++)
            {
                text.Append(c == 0 ? "" : ", ");
                if (postgres) text.Append('$').Append(++n);
                else text.Append(SqliteName(n++));
            }
            text.Append(')');
        }

        if (returnKeys) text.Append(" RETURNING ").Append(key!.Name);
        return text.ToString();
    }

    // SQLite through the connection's own handle: the same statements, prepared once per size, their parameters bound
    // by position. Microsoft.Data.Sqlite binds each parameter by name (SQLite finds a name by a linear scan) through
    // a parameter object per value; binding by position does the same work for a fraction of the CPU, on the
    // import's writing thread where SQLite's own B-tree work already takes most of it. Values are bound as
    // Microsoft.Data.Sqlite binds them (SqliteValue; a test compares the two for every type it accepts).
    private long[] WriteSqlite(sqlite3 connection, int count, Func<int, (object Row, object? Owner)> at, bool returnKeys, CancellationToken ct)
    {
        var keys = new long[returnKeys ? count : 0];
        var perStatement = Math.Max(1, SqliteParameters / columns.Length);
        sqlite3_stmt? full = null;
        try
        {
            for (var first = 0; first < count; first += perStatement)
            {
                ct.ThrowIfCancellationRequested();
                var rows = Math.Min(perStatement, count - first);
                var statement = rows < perStatement ? Prepare(connection, rows, returnKeys) : full ??= Prepare(connection, rows, returnKeys);
                try
                {
                    var n = 0;
                    for (var i = 0; i < rows; i++)
                    {
                        var (row, owner) = at(first + i);
                        foreach (var column in columns) Check(connection, BindSqlite(statement, ++n, column.Stored(row, owner)), rows);
                    }

                    var returned = 0;
                    int result;
                    while ((result = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                    {
                        if (returnKeys && returned < rows) keys[first + returned] = raw.sqlite3_column_int64(statement, 0);
                        returned++;
                    }

                    Check(connection, result == raw.SQLITE_DONE ? raw.SQLITE_OK : result, rows);
                    if (returnKeys) SortedKeys(keys.AsSpan(first, rows), returned);
                }
                finally
                {
                    if (statement == full) raw.sqlite3_reset(statement);
                    else statement.Dispose();
                }
            }
        }
        finally
        {
            full?.Dispose();
        }

        return keys;
    }

    private sqlite3_stmt Prepare(sqlite3 connection, int rows, bool returnKeys)
    {
        Check(connection, raw.sqlite3_prepare_v2(connection, Sql(rows, returnKeys, postgres: false), out var statement), rows);
        return statement;
    }

    // A failed call raised as SaveChanges raises it (a DbUpdateException around the SqliteException), so callers
    // (and UniqueViolation) treat both ways of writing alike.
    private void Check(sqlite3 connection, int result, int rows)
    {
        if (result == raw.SQLITE_OK) return;
        var message = raw.sqlite3_errmsg(connection).utf8_to_string();
        throw new DbUpdateException($"Inserting {rows} rows into {table} failed: {message}",
            new SqliteException($"SQLite Error {result}: '{message}'.", result, raw.sqlite3_extended_errcode(connection)));
    }

    // The stored types WriteSqlite binds: those a person, his phones, tags, search terms and audit entries hold.
    private static bool SqliteBinds(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsEnum || type == typeof(string) || type == typeof(bool) || type == typeof(long) || type == typeof(int) || type == typeof(short)
            || type == typeof(byte) || type == typeof(double) || type == typeof(DateTime) || type == typeof(DateOnly) || type == typeof(TimeOnly);
    }

    // Binds a stored value the way Microsoft.Data.Sqlite binds a parameter holding it.
    internal static int BindSqlite(sqlite3_stmt statement, int index, object? value) => value switch
    {
        null => raw.sqlite3_bind_null(statement, index),
        string s => raw.sqlite3_bind_text(statement, index, s),
        bool b => raw.sqlite3_bind_int64(statement, index, b ? 1 : 0),
        long or int or short or byte or Enum => raw.sqlite3_bind_int64(statement, index, Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        double d => raw.sqlite3_bind_double(statement, index, d),
        DateTime d => raw.sqlite3_bind_text(statement, index, d.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture)),
        DateOnly d => raw.sqlite3_bind_text(statement, index, d.ToString(@"yyyy\-MM\-dd", CultureInfo.InvariantCulture)),
        TimeOnly t => raw.sqlite3_bind_text(statement, index, t.ToTimeSpan().ToString("c", CultureInfo.InvariantCulture)),
        _ => throw new NotSupportedException($"BulkInsert does not bind {value.GetType().Name} values for SQLite."),
    };

    private async Task<long[]> ReadKeys(DbCommand command, int rows, CancellationToken ct)
    {
        var keys = new long[rows];
        var returned = 0;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (returned < rows) keys[returned] = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
                returned++;
            }
        }

        SortedKeys(keys, returned);
        return keys;
    }

    // RETURNING promises no order, but both databases number the rows of one INSERT ... VALUES in the order they are
    // inserted (SQLite's AUTOINCREMENT, a PostgreSQL identity sequence: each new key is above every earlier one),
    // and VALUES rows are inserted in their order: the n-th smallest key is the n-th row's.
    private void SortedKeys(Span<long> keys, int returned)
    {
        keys.Sort();
        var distinct = returned == keys.Length;
        for (var i = 1; distinct && i < keys.Length; i++) distinct = keys[i] != keys[i - 1];
        if (!distinct) throw new InvalidOperationException($"Inserted {keys.Length} rows into {table} but got {returned} rows, not as many distinct keys, back.");
    }

    // The audit trail's entry for a record created without the change tracker: the same content
    // PayvandSaveChangesInterceptor writes when it is saved as a new tracked entity (every set field from nothing,
    // then the owned rows' fields), so a bulk-created record's history reads like any other. Records with secret
    // fields (users, tokens) are never created this way. EntityId is the caller's once the key is known.
    public static AuditEntry NewRecordAudit(DbContext db, object record, DateTime at, UserScope? user, string? ipAddress) =>
        NewRecordAudit(db.Model, record, at, user, ipAddress);

    // The same from the model alone, so it can be made on another thread than the DbContext's (an import's reading stage).
    public static AuditEntry NewRecordAudit(IModel model, object record, DateTime at, UserScope? user, string? ipAddress)
    {
        var type = model.FindEntityType(record.GetType()) ?? throw new InvalidOperationException($"{record.GetType().Name} is not in the model.");
        var changes = new List<FieldChange>();
        foreach (var property in type.GetProperties())
        {
            if (!PayvandSaveChangesInterceptor.IsAudited(property)) continue;
            if (AuditValue.Text(property.GetGetter().GetClrValue(record)) is { } value) changes.Add(new FieldChange(property.Name, null, value));
        }

        foreach (var navigation in type.GetNavigations())
        {
            if (!navigation.TargetEntityType.IsOwned()) continue;
            var items = navigation.GetGetter().GetClrValue(record) switch
            {
                null => [],
                System.Collections.IEnumerable list => list.Cast<object>(),
                var single => [single],
            };
            foreach (var item in items)
            {
                foreach (var property in navigation.TargetEntityType.GetProperties())
                {
                    if (property.IsShadowProperty() || property.IsPrimaryKey()) continue;
                    var value = property.GetGetter().GetClrValue(item);
                    if (value is null || (value is Enum e && Convert.ToInt32(e, CultureInfo.InvariantCulture) == 0)) continue;
                    changes.Add(new FieldChange($"{navigation.Name}.{property.Name}", null, AuditValue.Text(value)));
                }
            }
        }

        return new AuditEntry
        {
            At = at,
            UserId = user is { UserId: > 0 } ? user.UserId : null,
            UserName = user?.UserName,
            Action = AuditAction.Create,
            EntityType = type.ClrType.Name,
            Changes = JsonSerializer.Serialize(changes, AuditJson.Options),
            IpAddress = ipAddress,
        };
    }
}
