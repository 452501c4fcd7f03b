using System.Text.RegularExpressions;
using System.Xml.Linq;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Modules.CustomFields;
using Payvand.Modules.Organization.UI;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform.Localization;

// Every UI string lives in one resource pair: SharedResource.resx (key = English text) and SharedResource.fa.resx.
// These tests read the files and the sources (like scripts/strings.py missing): nothing shown to a user may
// fall back to English in Persian, and no translation may break a format placeholder.
public sealed partial class LocalizationCompletenessTests
{
    private static readonly string ResourceFolder = Repository.PathOf("src", "Payvand.Web", "Platform", "Localization");
    private static readonly string SourceFolder = Repository.PathOf("src", "Payvand.Web");

    // Keys built as prefix + enum value (L["Gender." + g]) and keys that are enum names themselves (L[stage.ToString()]).
    // Prefixes of keys built from a value: enums, and the fixed lists of role names and audited record types.
    private static readonly Dictionary<string, string[]> PrefixedEnums = new(StringComparer.Ordinal)
    {
        ["Activity."] = Enum.GetNames<ActivityKind>(),
        ["Audit."] = Enum.GetNames<AuditAction>(),
        ["Channel."] = ConsentChannel.Seeded,
        ["Purpose."] = Enum.GetNames<ContactPurpose>(),
        ["Reach."] = Enum.GetNames<ReachReason>(),
        ["Consent."] = Enum.GetNames<ConsentStatus>(),
        ["Gender."] = Enum.GetNames<Gender>(),
        ["Outcome."] = Enum.GetNames<CallOutcome>(),
        ["PurchaseChannel."] = Enum.GetNames<Payvand.Modules.Purchases.PurchaseChannel>(),
        ["Source."] = Enum.GetNames<RecordSource>(),
        ["FieldType."] = Enum.GetNames<CustomFieldType>(),
        ["Duplicate."] = Enum.GetNames<DuplicateReason>(),
        ["Treatment."] = Enum.GetNames<Payvand.Platform.Privacy.PersonalDataTreatment>(),
        ["Role."] = Roles.All,
        ["Entity."] = AuditPage.EntityTypes,
        ["DeliveryStatus."] = Enum.GetNames<Payvand.Platform.Events.DeliveryStatus>(),
        ["SegmentOperator."] = Enum.GetNames<Payvand.Platform.Segments.SegmentOperator>(),

        // The merge page lists what it keeps by the sections of a person's data (IPersonalData.Section).
        ["MergeKeeps."] = ["person", "audit", "customFields", "timeline", "purchases"],
    };

    private static readonly Type[] EnumsUsedAsKeys = [typeof(LifecycleStage), typeof(ContactPointKind), typeof(Payvand.Modules.Segments.SegmentKind)];

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(ResourceFolder, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);

    private static readonly Lazy<Dictionary<string, string>> English = new(() => Read("SharedResource.resx"));
    private static readonly Lazy<Dictionary<string, string>> Persian = new(() => Read("SharedResource.fa.resx"));

    // Localizer lookups: L["..."] in Razor, text["..."] / Text["..."] in C#, a literal followed by ] or by , (format arguments).
    [GeneratedRegex("""\b(?:L|text|Text)\["((?:[^"\\]|\\.)*)"\s*[\],]""")]
    private static partial Regex Lookup();

    // A literal that is only the start of a key: L["Gender." + g].
    [GeneratedRegex("""\b(?:L|text|Text)\["((?:[^"\\]|\\.)*)"\s*\+""")]
    private static partial Regex PrefixLookup();

    // Validator messages and labels are keys too: v.Add(field, "key", ...), .Required(field, value, "Label"), .MaxLength(field, value, n, "Label").
    [GeneratedRegex("""\b(?:v|validator)\.Add\(\s*(?:"[^"]*"|\$"[^"]*"|[\w.]+)\s*,\s*"((?:[^"\\]|\\.)*)"\s*[,)]""")]
    private static partial Regex ValidatorMessage();

    [GeneratedRegex("""\.(?:Required|MaxLength)\([^;]*?,\s*"((?:[^"\\]|\\.)*)"\s*\)""")]
    private static partial Regex ValidatorLabel();

    [GeneratedRegex(@"^\w+\.\w+$")]
    private static partial Regex IdentifierKey();

    [GeneratedRegex(@"\{\d+(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();

    private static IEnumerable<string> SourceFiles() => Directory.EnumerateFiles(SourceFolder, "*.*", SearchOption.AllDirectories)
        .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string Unescape(string literal) => literal.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    // Keys used in the sources, each with the first file that uses it.
    private static Dictionary<string, string> UsedKeys()
    {
        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in SourceFiles())
        {
            var code = File.ReadAllText(file);
            foreach (var regex in new[] { Lookup(), ValidatorMessage(), ValidatorLabel() })
            {
                foreach (Match m in regex.Matches(code))
                {
                    var key = Unescape(m.Groups[1].Value);
                    if (key.Any(char.IsLetter)) used.TryAdd(key, Path.GetRelativePath(Repository.Root, file));
                }
            }
        }

        return used;
    }

    [Fact]
    public void The_scan_finds_the_strings_it_is_meant_to_find()
    {
        var used = UsedKeys();
        Assert.True(used.Count > 150, $"Only {used.Count} keys found: the patterns no longer match the code.");
        Assert.Contains("Some fields are not valid.", used.Keys);           // text["..."] in C#
        Assert.Contains("The national code is not valid.", used.Keys);     // v.Add(field, "...")
        Assert.Contains("Last name", used.Keys);                            // v.Required(field, value, "...")
    }

    [Fact]
    public void Every_key_has_a_persian_translation()
    {
        var missing = English.Value.Keys.Where(k => !Persian.Value.TryGetValue(k, out var fa) || string.IsNullOrWhiteSpace(fa)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "No Persian for: " + string.Join(" | ", missing));
    }

    [Fact]
    public void Every_persian_translation_has_its_english_key()
    {
        var orphans = Persian.Value.Keys.Where(k => !English.Value.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        Assert.True(orphans.Count == 0, "Persian strings without an English key (add them with scripts/strings.py): " + string.Join(" | ", orphans));
    }

    // Sentences are their own keys (scripts/strings.py writes them so); only identifier keys such as
    // "Audit.SignIn" or "Entity.AppSetting", and enum names used as keys ("FormerCustomer"), carry a different English text.
    [Fact]
    public void English_values_are_their_keys()
    {
        var enumNames = EnumsUsedAsKeys.SelectMany(Enum.GetNames).ToHashSet(StringComparer.Ordinal);
        var different = English.Value.Where(e => e.Key != e.Value && !IdentifierKey().IsMatch(e.Key) && !enumNames.Contains(e.Key)).Select(e => $"{e.Key} => {e.Value}").ToList();
        Assert.True(different.Count == 0, "English text differs from its key (the key is the English text): " + string.Join(" | ", different));
    }

    // An identifier key ("Gender.Female") or an enum name used as a key ("FormerCustomer") needs real English: the
    // English UI showed such keys as they are, because their English value was the key itself.
    [Fact]
    public void English_labels_of_identifier_keys_are_words_not_keys()
    {
        var keys = PrefixedEnums.SelectMany(p => p.Value.Select(n => p.Key + n)).Concat(EnumsUsedAsKeys.SelectMany(Enum.GetNames))
            .Concat(English.Value.Keys.Where(k => IdentifierKey().IsMatch(k)));
        var keyShaped = keys.Distinct(StringComparer.Ordinal)
            .Where(k => English.Value.TryGetValue(k, out var en) && (IdentifierKey().IsMatch(en) || PascalCase().IsMatch(en)))
            .Select(k => $"{k} => {English.Value[k]}").Order(StringComparer.Ordinal).ToList();
        Assert.True(keyShaped.Count == 0, "English labels that read as keys: " + string.Join(" | ", keyShaped));
    }

    [GeneratedRegex(@"^[A-Z][a-z]+(?:[A-Z][a-z]+)+$")]
    private static partial Regex PascalCase();

    [Fact]
    public void Translations_keep_the_format_placeholders()
    {
        var broken = new List<string>();
        foreach (var (key, fa) in Persian.Value)
        {
            var wanted = Placeholder().Matches(key).Select(m => m.Value).Order(StringComparer.Ordinal);
            var found = Placeholder().Matches(fa).Select(m => m.Value).Order(StringComparer.Ordinal);
            if (!wanted.SequenceEqual(found)) broken.Add($"{key} => {fa}");
        }

        Assert.True(broken.Count == 0, "Placeholders differ: " + string.Join(" | ", broken));
    }

    [Fact]
    public void Every_string_used_in_the_code_has_a_key()
    {
        var missing = UsedKeys().Where(u => !Persian.Value.ContainsKey(u.Key) || !English.Value.ContainsKey(u.Key))
            .Select(u => $"\"{u.Key}\" ({u.Value})").Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "Used but not in the resource files (scripts/strings.py add ...): " + string.Join(" | ", missing));
    }

    // A middle dot between the parts of a line reads as a Persian zero ("۷۵٬۰۰۰ تومان · ۲ قلم"): UI text puts
    // UiText.Separator between parts (PersianText.Separator holds the English dot, the one place it may be). Comments
    // may show it, and the duplicate groups' key is an API value, not UI text.
    [Fact]
    public void No_middle_dot_separates_text_outside_the_shared_separator()
    {
        string[] allowed = ["PersianText.cs", "FindDuplicates.cs"];
        var found = new List<string>();
        foreach (var file in SourceFiles().Where(f => !allowed.Contains(Path.GetFileName(f))))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith("@*", StringComparison.Ordinal)) continue;
                if (line.Contains('\u00B7', StringComparison.Ordinal) || line.Contains("\\u00B7", StringComparison.OrdinalIgnoreCase))
                    found.Add($"{Path.GetRelativePath(Repository.Root, file)}:{i + 1}: {line}");
            }
        }

        Assert.True(found.Count == 0, "Use UiText.Separator (or TimelineReader.Separator) instead of a middle dot:\n" + string.Join('\n', found));
    }

    [Fact]
    public void Keys_built_from_enums_exist_for_every_value()
    {
        var unknownPrefixes = new List<string>();
        foreach (var file in SourceFiles())
        {
            foreach (Match m in PrefixLookup().Matches(File.ReadAllText(file)))
            {
                if (!PrefixedEnums.ContainsKey(m.Groups[1].Value)) unknownPrefixes.Add($"{m.Groups[1].Value} ({Path.GetFileName(file)})");
            }
        }

        Assert.True(unknownPrefixes.Count == 0, "Keys built from a prefix this test does not know; add the prefix and its enum to PrefixedEnums: " + string.Join(", ", unknownPrefixes));

        var keys = PrefixedEnums.SelectMany(p => p.Value.Select(n => p.Key + n))
            .Concat(EnumsUsedAsKeys.SelectMany(Enum.GetNames));
        var missing = keys.Where(k => !Persian.Value.ContainsKey(k) || !English.Value.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, "Enum values without a translation: " + string.Join(", ", missing));
    }
}
