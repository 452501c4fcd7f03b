using Microsoft.Extensions.Hosting;
using Npgsql;
using Payvand.Platform.Data;

namespace Payvand.Tests.Platform.Data;

public sealed class ConnectionStringTests
{
    private sealed class Env : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "Payvand";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }

    private static NpgsqlConnectionStringBuilder Postgres(string connectionString) =>
        new(DataSetup.ConnectionString(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString }, new Env()));

    [Fact]
    public void PostgreSQL_gets_a_small_pool_unless_the_connection_string_sets_one()
    {
        var plain = Postgres("Host=db;Database=payvand;Username=payvand;Password=secret");
        Assert.Equal((DataSetup.DefaultPoolSize, "db", "payvand", "secret"), (plain.MaxPoolSize, plain.Host, plain.Database, plain.Password));
        Assert.InRange(DataSetup.DefaultPoolSize, 4, 2 * Environment.ProcessorCount + 4);

        Assert.Equal(50, Postgres("Host=db;Database=payvand;Maximum Pool Size=50").MaxPoolSize);
        Assert.Equal(7, Postgres("Host=db;Database=payvand;MaxPoolSize=7").MaxPoolSize);
        Assert.Equal(9, Postgres("Host=db;Database=payvand;maximum pool size=9").MaxPoolSize);
    }

    [Fact]
    public void PostgreSQL_without_a_connection_string_is_refused_with_the_setting_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            DataSetup.ConnectionString(new DatabaseOptions { Provider = DatabaseProvider.Postgres }, new Env()));
        Assert.Contains("Payvand:Database:ConnectionString", error.Message, StringComparison.Ordinal);
    }
}
