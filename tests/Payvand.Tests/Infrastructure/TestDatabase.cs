using Npgsql;

namespace Payvand.Tests.Infrastructure;

// The database a test class runs against: a temporary SQLite file, or a fresh database in the throwaway
// PostgreSQL cluster that test.sh starts (PAYVAND_TEST_DB=postgres, PAYVAND_TEST_POSTGRES=connection string).
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? sqliteFolder;
    private readonly string? adminConnection;
    private readonly string? databaseName;

    private TestDatabase(string provider, string connectionString, string? sqliteFolder, string? adminConnection, string? databaseName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        this.sqliteFolder = sqliteFolder;
        this.adminConnection = adminConnection;
        this.databaseName = databaseName;
    }

    public static bool IsPostgres => string.Equals(Environment.GetEnvironmentVariable("PAYVAND_TEST_DB"), "postgres", StringComparison.OrdinalIgnoreCase);

    public string Provider { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> Create()
    {
        if (!IsPostgres)
        {
            var folder = Directory.CreateTempSubdirectory("payvand-test-").FullName;
            return new TestDatabase("Sqlite", $"Data Source={Path.Combine(folder, "payvand.db")}", folder, null, null);
        }

        var admin = Environment.GetEnvironmentVariable("PAYVAND_TEST_POSTGRES")
            ?? throw new InvalidOperationException("PAYVAND_TEST_DB=postgres needs PAYVAND_TEST_POSTGRES (a connection string to the test cluster).");
        var name = "payvand_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        // One connection per test database: the app runs with a small pool (DataSetup.DefaultPoolSize), where code that
        // opened a second connection while holding one (a nested DbContext inside a transaction) could wait on itself
        // under load. With one connection such code fails here at once, after the wait for a connection (Timeout).
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 1, Timeout = 10 };
        return new TestDatabase("Postgres", builder.ToString(), null, admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (sqliteFolder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(sqliteFolder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a closing connection; the temp folder is cleaned by the OS.
            }
        }

        if (adminConnection is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(adminConnection);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
