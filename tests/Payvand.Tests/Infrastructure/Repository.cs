namespace Payvand.Tests.Infrastructure;

// Paths in the source tree, for tests that check files (the committed OpenAPI document, the resource files).
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Payvand.slnx"))) return dir.FullName;
        }

        throw new InvalidOperationException("Payvand.slnx not found above " + AppContext.BaseDirectory);
    }
}
