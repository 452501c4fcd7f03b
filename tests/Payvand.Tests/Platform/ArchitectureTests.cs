using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using NetArchTest.Rules;
using Payvand.Platform.Data;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform;

// The dependency rules of the one web assembly, checked on its compiled code (NetArchTest reads the IL, so a
// dependency through a method body or a generic argument counts as much as a using).
//
// What holds today and is worth keeping:
// - Platform is cross-cutting and knows no module. The exceptions are PayvandDb, which lists every module's
//   DbSet (one context, one transaction), and the demo data filler, which is a composition job like Program.cs
//   (it fills every module) and only lives under Platform for want of a better home.
// - Platform and the modules' handlers know no UI: pages inject the handlers, never the other way round.
// - Modules are layered. CustomFields is the base; people and companies (Contacts, Companies) use it and each
//   other (a person belongs to a company, both share points, lifecycle and sources, so they are one layer);
//   Activities (timeline) and Organization (branch deletion counts records) build on them; Purchases uses people and
//   the timeline; Imports (spreadsheets into people, later purchases; exports as background jobs) comes after them;
//   Messaging (templates filled from people and custom fields) after them; Search and Dashboard
//   read everything and nothing reads them. A module never references a module of a later layer, nor one of its
//   own layer unless listed as its partner.
// - "Modules do not depend on UI components of other modules" is not true as such, and should not be: the
//   person and company pages embed the timeline and the change history. What holds is narrower: a module's UI
//   uses another module's UI only through components made to be embedded, named *Panel (they take a record id
//   and load their own data through their own module's handlers), never its pages, dialogs or editors.
// - Generic UI pieces (Components/Shared) know no module; no module reaches into the app shell (Layout, Account).
public sealed class ArchitectureTests
{
    private static readonly Assembly Web = typeof(Program).Assembly;

    // Modules by layer: a module may use modules of earlier layers, and of its own layer only if partnered.
    private static readonly string[][] Layers =
    [
        ["CustomFields"],
        ["Contacts", "Companies"],
        ["Activities", "Organization"],
        ["Purchases"],
        ["Imports", "Segments"],
        ["Messaging"],
        ["Search", "Dashboard"],
    ];

    private static readonly (string, string)[] Partners = [("Contacts", "Companies"), ("Companies", "Contacts")];

    private static IEnumerable<string> Namespaces() => Web.GetTypes().Select(t => t.Namespace).OfType<string>().Distinct();

    public static TheoryData<string> ModuleNames()
    {
        var data = new TheoryData<string>();
        foreach (var module in Namespaces().Where(n => n.StartsWith("Payvand.Modules.", StringComparison.Ordinal))
                     .Select(n => n.Split('.')[2]).Distinct().Order(StringComparer.Ordinal))
        {
            data.Add(module);
        }

        return data;
    }

    private static string[] UiNamespaces() => Namespaces()
        .Where(n => n.StartsWith("Payvand.Components", StringComparison.Ordinal) || Regex.IsMatch(n, @"^Payvand\.Modules\.\w+\.UI(\.|$)"))
        .Order(StringComparer.Ordinal)
        .ToArray();

    private static List<string> Offenders(string namespacePattern, IEnumerable<string> forbidden, Func<string, bool>? allowed = null)
    {
        var forbiddenList = forbidden.ToArray();
        if (forbiddenList.Length == 0) return [];
        var result = Types.InAssembly(Web).That().ResideInNamespaceMatching(namespacePattern).Should().NotHaveDependencyOnAny(forbiddenList).GetResult();
        return (result.FailingTypeNames ?? []).Where(t => allowed is null || !allowed(t)).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void The_rules_see_the_types_they_are_about()
    {
        // Guards the rules below against passing because a pattern matches nothing.
        Assert.NotEmpty(Types.InAssembly(Web).That().ResideInNamespaceMatching(@"^Payvand\.Platform(\..*)?$").GetTypes());
        Assert.NotEmpty(Types.InAssembly(Web).That().ResideInNamespaceMatching(@"^Payvand\.Modules\.Contacts$").GetTypes());
        Assert.NotEmpty(Types.InAssembly(Web).That().ResideInNamespaceMatching(@"^Payvand\.Modules\.Contacts\.UI$").GetTypes());
        Assert.Contains(Offenders(@"^Payvand\.Platform\.Data$", ["Payvand.Modules.Contacts"]), t => t.EndsWith("PayvandDb", StringComparison.Ordinal));
    }

    [Fact]
    public void Platform_knows_no_module_except_the_db_context_and_the_demo_data()
    {
        static bool Allowed(string type) =>
            type == "Payvand.Platform.Data.PayvandDb"
            || type.StartsWith("Payvand.Platform.DemoData", StringComparison.Ordinal)
            || type.StartsWith("Payvand.Platform.Demo.", StringComparison.Ordinal);

        var offenders = Offenders(@"^Payvand\.Platform(\..*)?$", ["Payvand.Modules"], Allowed);
        Assert.True(offenders.Count == 0, "Platform types that use a module: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Platform_knows_no_ui()
    {
        var offenders = Offenders(@"^Payvand\.Platform(\..*)?$", UiNamespaces());
        Assert.True(offenders.Count == 0, "Platform types that use UI components: " + string.Join(", ", offenders));
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void A_modules_handlers_know_no_ui(string module)
    {
        var offenders = Offenders($@"^Payvand\.Modules\.{module}$", UiNamespaces());
        Assert.True(offenders.Count == 0, $"{module} types outside UI that use UI components: " + string.Join(", ", offenders));
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Upstream_modules_never_reference_downstream_ones(string module)
    {
        var layer = Array.FindIndex(Layers, l => l.Contains(module));
        Assert.True(layer >= 0, $"Module {module} has no place in ArchitectureTests.Layers: add it to the layer it belongs to.");
        var forbidden = Layers.SelectMany((modules, i) => modules.Select(m => (Module: m, Layer: i)))
            .Where(x => x.Module != module && (x.Layer > layer || (x.Layer == layer && !Partners.Contains((module, x.Module)))))
            .Select(x => "Payvand.Modules." + x.Module);

        var offenders = Offenders($@"^Payvand\.Modules\.{module}$", forbidden);
        Assert.True(offenders.Count == 0, $"{module} (layer {layer}) uses a module of its own or a later layer: " + string.Join(", ", offenders));
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void A_modules_ui_embeds_only_panels_and_pickers_of_other_modules(string module)
    {
        var otherModulesUi = Web.GetTypes()
            .Where(t => t.Namespace is { } n && Regex.IsMatch(n, @"^Payvand\.Modules\.\w+\.UI(\.|$)") && n.Split('.')[2] != module)
            // Panels (a tab's content) and pickers (one input, e.g. choosing a person) are made to be embedded.
            .Where(t => !t.IsNested && typeof(IComponent).IsAssignableFrom(t) && !t.Name.EndsWith("Panel", StringComparison.Ordinal) && !t.Name.EndsWith("Picker", StringComparison.Ordinal))
            .Select(t => t.FullName!)
            .ToList();

        var offenders = Offenders($@"^Payvand\.Modules\.{module}\.UI(\..*)?$", otherModulesUi);
        Assert.True(offenders.Count == 0, $"{module} UI uses pages, dialogs or editors of another module: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Pages_are_never_embedded_in_other_modules()
    {
        var pages = Web.GetTypes().Where(t => t.GetCustomAttributes<RouteAttribute>().Any() && t.Namespace?.StartsWith("Payvand.Modules.", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(pages);
        foreach (var page in pages)
        {
            var module = page.Namespace!.Split('.')[2];
            var offenders = Offenders($@"^Payvand\.Modules\.(?!{module}(\.|$))\w+(\..*)?$", [page.FullName!]);
            Assert.True(offenders.Count == 0, $"{page.FullName} is used by another module (link to its URL instead): " + string.Join(", ", offenders));
        }
    }

    [Fact]
    public void Shared_ui_pieces_know_no_module()
    {
        var offenders = Offenders(@"^Payvand\.Components\.Shared$", ["Payvand.Modules"]);
        Assert.True(offenders.Count == 0, "Generic UI pieces that use a module: " + string.Join(", ", offenders));
    }

    [Fact]
    public void No_module_reaches_into_the_app_shell()
    {
        var offenders = Offenders(@"^Payvand\.Modules(\..*)?$", ["Payvand.Components.Layout", "Payvand.Components.Account", "Payvand.Components.App", "Payvand.Components.Routes"]);
        Assert.True(offenders.Count == 0, "Module types that use the app shell: " + string.Join(", ", offenders));
    }

    // Tables by the module whose entities they hold (Platform's tables under "Platform").
    private static Dictionary<string, string> TableOwners()
    {
        var options = new DbContextOptionsBuilder<PayvandDb>();
        DataSetup.Configure(options, DatabaseProvider.Sqlite, "Data Source=:memory:");
        using var db = new PayvandDb(options.Options);
        return db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null && !e.IsOwned())
            .GroupBy(e => e.GetTableName()!)
            .ToDictionary(g => g.Key, g => g.First().ClrType.Namespace!.Split('.') is ["Payvand", "Modules", var m, ..] ? m : "Platform");
    }

    // SQL names tables in double quotes (PostgreSQL needs them for mixed case): "Contacts" inside a raw string literal
    // or \"Contacts\" inside a regular one. Names passed as plain strings (the personal-data map) are not SQL.
    private static IEnumerable<string> QuotedNames(string source)
    {
        foreach (Match raw in Regex.Matches(source, "\"\"\"(.*?)\"\"\"", RegexOptions.Singleline))
        {
            foreach (Match name in Regex.Matches(raw.Groups[1].Value, "\"(\\w+)\"")) yield return name.Groups[1].Value;
        }

        foreach (Match name in Regex.Matches(source, @"\\""(\w+)\\""")) yield return name.Groups[1].Value;
    }

    [Fact]
    public void Raw_sql_names_only_its_own_modules_tables()
    {
        var owners = TableOwners();
        Assert.Equal("Contacts", owners["Contacts"]);
        Assert.Equal("Purchases", owners["Purchases"]);
        var offenders = new List<string>();
        var seen = 0;
        foreach (var dir in Directory.GetDirectories(Repository.PathOf("src", "Payvand.Web", "Modules")))
        {
            var module = Path.GetFileName(dir);
            foreach (var file in Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories))
            {
                foreach (var table in QuotedNames(File.ReadAllText(file)).Where(owners.ContainsKey))
                {
                    seen++;
                    if (owners[table] != module && owners[table] != "Platform") offenders.Add($"{Path.GetRelativePath(Repository.Root, file)} names {table} ({owners[table]})");
                }
            }
        }

        // The scan finds SQL at all: Contacts' own statements name its tables.
        Assert.True(seen > 0, "No quoted table name found in any module: the scan is broken.");
        Assert.True(offenders.Count == 0, "Raw SQL naming another module's table (call the owner's typed API instead): " + string.Join("; ", offenders.Distinct()));
    }
}
