using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Persian;

namespace Payvand.Platform.Imports;

public enum DedupeMode
{
    // A row that matches an existing person (mobile, email or national code) is left out.
    Skip,

    // The matching person gets the row's non-empty values; phones, emails and tags are added, nothing is erased.
    Update,

    // Every row becomes a new person, even when a similar one exists.
    Create,
}

public enum RowOutcome
{
    Created,
    Updated,
    Skipped,
    Invalid,
}

// What the user chose on the mapping screen: column -> target field, and where the records go.
public sealed record ImportSettings
{
    // One entry per file column, in file order: a target field key, or null to ignore the column.
    public List<string?> Mapping { get; init; } = [];

    public DedupeMode Dedupe { get; init; } = DedupeMode.Skip;

    public int? BranchId { get; init; }

    public int? OwnerId { get; init; }

    public List<string> Tags { get; init; } = [];
}

public sealed record ReportRow(int Row, RowOutcome Outcome, int? RecordId, string? Messages);

// One run of an import, as its writer sees it: which import, the user's choices, who started it, and two ways back into
// the import for a writer whose records span rows of several batches (an order of many lines).
public sealed record ImportRun(int ImportId, ImportSettings Settings, UserScope User)
{
    // All the file's rows from the start, mapped as the job maps them, read anew from the stored file a chunk at a time
    // through the given context (the writer's: a reading during a batch uses the batch's connection). The context must
    // outlive the reading.
    public required Func<PayvandDb, IEnumerable<MappedRow>> ReadRows { get; init; }

    // What the report says of an earlier row, when it was written (after a restart that is the only trace of it).
    public required Func<PayvandDb, int, CancellationToken, Task<ReportRow?>> Reported { get; init; }
}

// A target field of an import: its key (also the API name), its English label (localized for display) and the
// header names it is recognised by, in Persian and English.
public sealed record ImportField(string Key, string Label, params string[] Headers)
{
    // Header text compared without spaces, half-spaces, dashes or underscores, with Arabic letters folded to Persian.
    public static string HeaderKey(string? header) =>
        new(PersianText.NormalizeKey(header).Where(c => c is not ('-' or '_' or '.' or ':' or '*')).ToArray());
}

// One data row of the file with its spreadsheet row number and its cells by target field key (mapped columns only).
public sealed record MappedRow(int Row, IReadOnlyDictionary<string, string> Values);

// What is imported (people, purchases; each kind lives in the module that owns its records): the fields a column can map to, the cell checks shown in the
// preview and the writer that puts batches of rows into the database. The import pipeline (upload, mapping,
// background job, batches, report: the Imports module) is shared; a new kind is one class implementing this,
// registered by its module with AddImportKind<T>().
// The choices of the mapping screen a kind offers beyond the branch of rows without one.
[Flags]
public enum ImportOptions
{
    None = 0,

    // What to do with a row that matches an existing record (DedupeMode).
    Dedupe = 1,

    // The owner of every imported record.
    Owner = 2,

    // Tags for every imported record.
    Tags = 4,
}

public interface IImportKind
{
    string Name { get; }

    // The imports page: the kind's name and the page's title (English resource keys), a help text (null: none), the
    // options of the mapping screen, where the imported records are listed, and the kinds' order.
    string Label { get; }

    string Title { get; }

    string? Help => null;

    ImportOptions Options => ImportOptions.None;

    string ResultsHref { get; }

    int Position => 100;

    IReadOnlyList<ImportField> Fields { get; }

    // The problems of one row, by field key, in the user's language; empty when the row can be imported.
    IReadOnlyDictionary<string, string> Check(MappedRow row);

    // Why the chosen columns are not enough (e.g. no name), in the user's language; null when they are.
    string? MissingMapping(IReadOnlyCollection<string> mapped);

    // Starts a run of an import. The writer may keep state between batches (e.g. the keys seen earlier in the file).
    IImportWriter Begin(ImportRun run);
}

// The job runs a writer in two stages on two threads: Prepare for the next batch while the previous one is written.
public interface IImportWriter
{
    // The work on a batch that needs neither the database nor the batches before it (reading cells, validation,
    // normalization, building rows). It runs while the batch before is being written, so it must not touch state
    // that Write keeps between batches.
    PreparedBatch Prepare(IReadOnlyList<MappedRow> rows) => new(rows);

    // Writes one prepared batch inside the caller's transaction (the caller commits it with the report and the
    // progress) and returns one report row per input row. Batches come in file order, one at a time.
    Task<List<ReportRow>> Write(PayvandDb db, PreparedBatch batch, CancellationToken ct);
}

// A batch of rows with whatever its kind's Prepare made of them.
public class PreparedBatch(IReadOnlyList<MappedRow> rows)
{
    public IReadOnlyList<MappedRow> Rows { get; } = rows;
}

// The registered import kinds, by name.
public sealed class ImportKinds(IEnumerable<IImportKind> kinds)
{
    public IReadOnlyList<IImportKind> All { get; } = [.. kinds.OrderBy(k => k.Position).ThenBy(k => k.Name, StringComparer.Ordinal)];

    public IImportKind? Find(string name) => kinds.FirstOrDefault(k => k.Name == name);

    public IImportKind Get(string name) => Find(name) ?? throw new InvalidOperationException($"No import kind '{name}'.");
}

public static class ImportKindRegistration
{
    public static IServiceCollection AddImportKind<T>(this IServiceCollection services) where T : class, IImportKind =>
        services.AddSingleton<IImportKind, T>();
}
