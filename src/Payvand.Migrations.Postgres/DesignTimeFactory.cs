using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Payvand.Platform.Data;

namespace Payvand.Migrations.Postgres;

// Lets `dotnet ef migrations add <Name> --project src/Payvand.Migrations.Postgres` build the PostgreSQL model
// (no server is contacted to add a migration).
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PayvandDb>
{
    public PayvandDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PayvandDb>();
        DataSetup.Configure(options, DatabaseProvider.Postgres, "Host=localhost;Database=payvand_design");
        return new PayvandDb(options.Options);
    }
}
