using System.Net;
using System.Text.Json;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform.Api;

// docs/openapi/v1.json is the committed API contract: the served document must equal it, so every change of the
// API surface shows up in review. After an intended change, regenerate the file and commit it with the change:
//
//   PAYVAND_UPDATE_OPENAPI=1 dotnet test tests/Payvand.Tests --filter "FullyQualifiedName~OpenApiDocumentTests"
//
// With PAYVAND_UPDATE_OPENAPI=1 the test writes the file instead of comparing (and still passes).
public sealed class OpenApiDocumentTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static readonly string CommittedPath = Repository.PathOf("docs", "openapi", "v1.json");

    private async Task<string> Served()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json"); // anonymous: the document is public
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Normalize(await response.Content.ReadAsStringAsync());
    }

    private static string Normalize(string json) => json.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";

    [Fact]
    public async Task The_served_document_equals_the_committed_one()
    {
        var served = await Served();
        if (Environment.GetEnvironmentVariable("PAYVAND_UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CommittedPath)!);
            await File.WriteAllTextAsync(CommittedPath, served);
            return;
        }

        Assert.True(File.Exists(CommittedPath), $"{CommittedPath} is missing. Generate it with PAYVAND_UPDATE_OPENAPI=1 (see the comment of this test).");
        var committed = Normalize(await File.ReadAllTextAsync(CommittedPath));
        if (committed == served) return;

        var a = committed.Split('\n');
        var b = served.Split('\n');
        var line = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
        Assert.Fail($"The API differs from docs/openapi/v1.json from line {line + 1}:\n" +
            $"  committed: {(line < a.Length ? a[line].Trim() : "(end)")}\n  served:    {(line < b.Length ? b[line].Trim() : "(end)")}\n" +
            "If the change is intended, run the tests with PAYVAND_UPDATE_OPENAPI=1 and commit docs/openapi/v1.json.");
    }

    [Fact]
    public async Task Every_operation_has_a_summary_and_a_tag()
    {
        using var document = JsonDocument.Parse(await Served());
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch").Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value)))
            .ToList();
        Assert.Contains(operations, o => o.Path == "/api/contacts" && o.Method == "get");
        Assert.Contains(operations, o => o.Path == "/api/auth/token" && o.Method == "post");
        Assert.All(operations, o => Assert.True(o.Path.StartsWith("/api/", StringComparison.Ordinal), $"{o.Path} is documented but is not under /api"));
        var missing = operations.Where(o => !o.Operation.TryGetProperty("summary", out var s) || string.IsNullOrWhiteSpace(s.GetString())
            || !o.Operation.TryGetProperty("tags", out var t) || t.GetArrayLength() == 0).Select(o => $"{o.Method.ToUpperInvariant()} {o.Path}").ToList();
        Assert.True(missing.Count == 0, "Operations without a summary or tag: " + string.Join(", ", missing));
        Assert.Equal("Payvand API", document.RootElement.GetProperty("info").GetProperty("title").GetString());
    }
}
