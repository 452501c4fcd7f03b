using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Payvand.Platform.Data;

// Writes the changed tracked rows of one entity type with a few UPDATE ... FROM (VALUES ...) statements instead of
// one statement per row, as SaveChanges would (a dispatcher marking a thousand messages sent). Rows are grouped by the
// columns changed in them, so each row gets exactly the columns SaveChanges would write, bound through the same type
// mappings; concurrency tokens are checked as SaveChanges checks them: when a row's token changed meanwhile, nothing
// of the statement is kept and DbUpdateConcurrencyException is thrown (the caller's transaction is then rolled back).
// The written entries are unchanged in the tracker afterwards. It writes inside the caller's transaction. Saving an
// audited, versioned or timestamped record does more than writing it (PayvandSaveChangesInterceptor), so those are
// refused, as are types with owned parts in their table.
public static class SetUpdate
{
    // Writes the modified T entries; returns how many rows were written.
    public static async Task<int> Modified<T>(DbContext db, CancellationToken ct) where T : class
    {
        var entries = db.ChangeTracker.Entries<T>().Where(e => e.State == EntityState.Modified).ToList();
        if (entries.Count == 0) return 0;
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("SetUpdate writes inside the caller's transaction.");
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        if (typeof(IAudited).IsAssignableFrom(typeof(T)) || typeof(IVersioned).IsAssignableFrom(typeof(T)) || typeof(ITimestamped).IsAssignableFrom(typeof(T))
            || type.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
        {
            throw new NotSupportedException($"{typeof(T).Name} is saved with SaveChanges: it is audited, versioned, timestamped or has owned parts.");
        }

        var sql = db.GetService<ISqlGenerationHelper>();
        var name = type.GetTableName() ?? throw new InvalidOperationException($"{type.DisplayName()} has no table.");
        var table = new Table(sql.DelimitIdentifier(name, type.GetSchema()), StoreObjectIdentifier.Table(name, type.GetSchema()), sql, db.Database.IsNpgsql());
        var key = type.FindPrimaryKey()?.Properties is [var single] ? single : throw new NotSupportedException($"{typeof(T).Name} has no single-column key.");
        var tokens = type.GetProperties().Where(p => p.IsConcurrencyToken).ToArray();
        var written = 0;
        foreach (var group in entries.GroupBy(e => string.Join(',', e.Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name)), StringComparer.Ordinal))
        {
            var changed = group.First().Properties.Where(p => p.IsModified).Select(p => p.Metadata).ToArray();
            if (changed.Length == 0) continue;
            var width = 1 + changed.Length + tokens.Length;
            var perStatement = Math.Max(1, BulkInsert.MaxParameters(table.Postgres) / width); // few large statements on PostgreSQL, small ones on SQLite
            foreach (var chunk in group.Chunk(perStatement))
            {
                await using var command = transaction.Connection!.CreateCommand();
                command.Transaction = transaction;
                if (db.Database.GetCommandTimeout() is { } timeout) command.CommandTimeout = timeout;
                command.CommandText = table.Sql(key, changed, tokens, chunk.Length);
                var n = 0;
                foreach (var entry in chunk)
                {
                    table.Bind(command, ref n, key, entry.Property(key.Name).CurrentValue);
                    foreach (var p in changed) table.Bind(command, ref n, p, StoredText.CleanValue(entry.Property(p.Name).CurrentValue));
                    foreach (var p in tokens) table.Bind(command, ref n, p, entry.Property(p.Name).OriginalValue);
                }

                int rows;
                try
                {
                    rows = await command.ExecuteNonQueryAsync(ct);
                }
                catch (DbException e)
                {
                    throw new DbUpdateException($"Updating {chunk.Length} rows of {table.Name} failed: {e.Message}", e);
                }

                if (rows != chunk.Length)
                {
                    throw new DbUpdateConcurrencyException(
                        $"Updating {chunk.Length} rows of {table.Name} wrote {rows}: the others were changed or removed since they were read.");
                }

                written += rows;
            }
        }

        foreach (var entry in entries) Accept(entry);
        return written;
    }

    // What SaveChanges does with an entry it saved: its current values become the original ones.
    private static void Accept(EntityEntry entry)
    {
        entry.OriginalValues.SetValues(entry.CurrentValues);
        entry.State = EntityState.Unchanged;
    }

    private sealed record Table(string Name, StoreObjectIdentifier Store, ISqlGenerationHelper Helper, bool Postgres)
    {
        private string Column(IProperty p) => Helper.DelimitIdentifier(p.GetColumnName(Store) ?? throw new InvalidOperationException($"{p.Name} has no column in {Name}."));

        // UPDATE t AS t SET "A" = v.column2, ... FROM (VALUES (key, a, ..., token), ...) AS v
        // WHERE t."Id" = v.column1 AND t."Token" IS [NOT DISTINCT FROM] v.columnN. Both databases name the columns of
        // VALUES column1, column2...; PostgreSQL is told each value's type, SQLite needs none.
        public string Sql(IProperty key, IProperty[] changed, IProperty[] tokens, int rows)
        {
            var text = new StringBuilder("UPDATE ").Append(Name).Append(" AS t SET ");
            for (var i = 0; i < changed.Length; i++)
            {
                text.Append(i == 0 ? "" : ", ").Append(Column(changed[i])).Append(" = v.column").Append(i + 2);
            }

            text.Append(" FROM (VALUES ");
            var columns = new[] { key }.Concat(changed).Concat(tokens).ToArray();
            var n = 0;
            for (var r = 0; r < rows; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Length; c++)
                {
                    text.Append(c == 0 ? "" : ", ");
                    if (Postgres) text.Append("CAST($").Append(++n).Append(" AS ").Append(columns[c].GetRelationalTypeMapping().StoreType).Append(')');
                    else text.Append("@p").Append(n++);
                }

                text.Append(')');
            }

            text.Append(") AS v WHERE t.").Append(Column(key)).Append(" = v.column1");
            for (var i = 0; i < tokens.Length; i++)
            {
                text.Append(" AND t.").Append(Column(tokens[i])).Append(Postgres ? " IS NOT DISTINCT FROM v.column" : " IS v.column").Append(2 + changed.Length + i);
            }

            return text.ToString();
        }

        public void Bind(DbCommand command, ref int n, IProperty p, object? value)
        {
            var parameterName = Postgres ? "" : "@p" + (n++).ToString(CultureInfo.InvariantCulture);
            command.Parameters.Add(p.GetRelationalTypeMapping().CreateParameter(command, parameterName, value, p.IsNullable));
        }
    }
}
