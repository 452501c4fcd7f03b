using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Payvand.Platform.Data;

namespace Payvand.Migrations.Sqlite;

// Lets `dotnet ef migrations add <Name> --project src/Payvand.Migrations.Sqlite` build the SQLite model.
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PayvandDb>
{
    public PayvandDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PayvandDb>();
        DataSetup.Configure(options, DatabaseProvider.Sqlite, "Data Source=design-time.db");
        return new PayvandDb(options.Options);
    }
}
