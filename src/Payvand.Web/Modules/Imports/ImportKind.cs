using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Imports;

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

// What is imported (people now, purchases later): the fields a column can map to, the cell checks shown in the
// preview and the writer that puts batches of rows into the database. The import pipeline (upload, mapping,
// background job, batches, report) is shared; a new kind is one class implementing this, registered with
// AddImportKind<T>().
public interface IImportKind
{
    string Name { get; }

    IReadOnlyList<ImportField> Fields { get; }

    // The problems of one row, by field key, in the user's language; empty when the row can be imported.
    IReadOnlyDictionary<string, string> Check(MappedRow row);

    // Why the chosen columns are not enough (e.g. no name), in the user's language; null when they are.
    string? MissingMapping(IReadOnlyCollection<string> mapped);

    // Starts a run of the given import. The writer may keep state between batches (e.g. the keys seen earlier in the file).
    IImportWriter Begin(int importId, ImportSettings settings, UserScope user);
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
    public IImportKind? Find(string name) => kinds.FirstOrDefault(k => k.Name == name);

    public IImportKind Get(string name) => Find(name) ?? throw new InvalidOperationException($"No import kind '{name}'.");
}
