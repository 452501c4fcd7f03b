using System.Data.Common;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Payvand.Platform.Data;

// Chooses the database provider from configuration and registers the PayvandDb factory (pooled contexts).
public static class DataSetup
{
    public const string SqliteMigrations = "Payvand.Migrations.Sqlite";
    public const string PostgresMigrations = "Payvand.Migrations.Postgres";

    public static IServiceCollection AddPayvandData(this IServiceCollection services, IConfiguration configuration, IHostEnvironment env)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(options);
        services.AddSingleton<PayvandSaveChangesInterceptor>();
        LoadMigrationsFromAppFolder();

        var connectionString = ConnectionString(options, env);
        // Pooled: a context is reset and reused rather than built anew (a purchase POST uses three). PayvandDb keeps
        // no state of its own beyond EF Core's, which the pool resets.
        services.AddPooledDbContextFactory<PayvandDb>((sp, db) =>
        {
            Configure(db, options.Provider, connectionString);
            db.AddInterceptors(sp.GetRequiredService<PayvandSaveChangesInterceptor>(), CommitHooks.Interceptor.Instance);
            // Interceptors other parts register (the outbox wakes its dispatcher on commit).
            foreach (var interceptor in sp.GetServices<IInterceptor>()) db.AddInterceptors(interceptor);
        });
        services.AddHealthChecks().AddDbContextCheck<PayvandDb>("database");
        return services;
    }

    public static void Configure(DbContextOptionsBuilder db, DatabaseProvider provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Postgres:
                db.UseNpgsql(connectionString, o => o.MigrationsAssembly(PostgresMigrations))
                    .AddInterceptors(PreparedStatements.Interceptor);
                break;
            default:
                db.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrations))
                    .AddInterceptors(SqlitePragmas.Instance);
                break;
        }
    }

    public static string ConnectionString(DatabaseOptions options, IHostEnvironment env)
    {
        if (options.Provider == DatabaseProvider.Postgres)
        {
            var postgres = new NpgsqlConnectionStringBuilder(options.ConnectionString
                ?? throw new InvalidOperationException("Payvand:Database:ConnectionString is required for PostgreSQL."));
            // A small pool queues requests in the app, first come first served, instead of letting a hundred queries
            // share a few cores in the database: with 50 connections every list's p99 was 5-9 times its median, with
            // 4 the same throughput had 1.7-2 times (docs/benchmarks-log.md, finding 10). An explicit size wins.
            if (!Has(options.ConnectionString, "Maximum Pool Size", "MaxPoolSize")) postgres.MaxPoolSize = DefaultPoolSize;
            return postgres.ConnectionString;
        }

        var value = string.IsNullOrWhiteSpace(options.ConnectionString) ? "data/payvand.db" : options.ConnectionString;
        var sqlite = value.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(value)
            : new SqliteConnectionStringBuilder { DataSource = value };
        if (!Path.IsPathRooted(sqlite.DataSource) && sqlite.DataSource != ":memory:")
        {
            sqlite.DataSource = Path.GetFullPath(Path.Combine(env.ContentRootPath, sqlite.DataSource));
        }

        if (sqlite.DataSource != ":memory:")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(sqlite.DataSource)!);
        }

        sqlite.Pooling = true;
        sqlite.DefaultTimeout = 30; // seconds a command (and its wait for the write lock) may take
        return sqlite.ToString();
    }

    // Twice the cores, as for a database server beside the app; set Maximum Pool Size to twice the database's cores.
    public static int DefaultPoolSize => Math.Max(4, 2 * Environment.ProcessorCount);

    // Whether the connection string sets a keyword, in any case and spacing.
    private static bool Has(string connectionString, params string[] keywords) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(k => keywords.Any(w => Squeeze(w).Equals(Squeeze(k), StringComparison.OrdinalIgnoreCase)));

    private static string Squeeze(string keyword) => keyword.Replace(" ", "", StringComparison.Ordinal);

    // The migrations assemblies reference this one, so they are copied beside it rather than referenced by it;
    // EF asks for them by name, and this resolves that name from the application folder.
    private static void LoadMigrationsFromAppFolder()
    {
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            if (name.Name is not (SqliteMigrations or PostgresMigrations)) return null;
            var path = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
            return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
        };
    }

    public static async Task MigrateAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<PayvandDb>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers work while one writer writes; it is a property of the file, so set once.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        // A migration may fill a new table from big ones (ContactReachFacts: about 50 s for 1,000,000 people on a busy
        // machine), far longer than a request's command timeout.
        db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
        await db.Database.MigrateAsync(ct);
    }

    public static Assembly? MigrationsAssembly(DatabaseProvider provider) =>
        AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(provider == DatabaseProvider.Postgres ? PostgresMigrations : SqliteMigrations));

    // Per-connection SQLite settings: wait for the write lock instead of failing with "database is locked",
    // keep foreign keys on, and a durable-enough sync level for WAL.
    // Write transactions are immediate without more code: Microsoft.Data.Sqlite begins every transaction (EF's
    // SaveChanges and BeginTransactionAsync alike) with BEGIN IMMEDIATE unless asked for a deferred one, so a
    // read-then-write takes the write lock first and waits on busy_timeout, instead of failing when it upgrades.
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";
            command.ExecuteNonQuery();
        }
    }
}
