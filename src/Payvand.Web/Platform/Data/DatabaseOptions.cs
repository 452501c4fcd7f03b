namespace Payvand.Platform.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

// Configuration section Payvand:Database.
public sealed class DatabaseOptions
{
    public const string Section = "Payvand:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    // For SQLite a file path or full connection string; for PostgreSQL an Npgsql connection string.
    public string? ConnectionString { get; set; }

    // Apply pending migrations at start-up (default on: the single-binary experience).
    public bool MigrateOnStartup { get; set; } = true;
}
