using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Platform;

// Runs before the web server starts listening: migrate the database, make sure roles, a branch and an
// administrator exist, give permissions never seeded to their default roles, and fill demo data when asked (--demo or Payvand:Demo=true).
public sealed class StartupTasks(IServiceProvider services, IConfiguration configuration, DatabaseOptions options, ILogger<StartupTasks> log)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.MigrateOnStartup) await services.MigrateAsync(cancellationToken);
        await FirstRun.EnsureBasics(services, configuration, log, cancellationToken);
        await RolePermissions.SeedDefaults(services, cancellationToken);
        await services.GetRequiredService<Settings.PayvandSettings>().Get(cancellationToken); // so CurrentTimeZone is the business's
        if (configuration.GetValue<bool>("Payvand:Demo"))
        {
            await DemoData.FillIfEmpty(services, log, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
