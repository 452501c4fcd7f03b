using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Imports;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Imports;

// Sets which column goes to which field, the duplicate rule, branch, owner and tags of an import that has not
// started, and shows the first rows as they would be read, each problem beside its cell.
public sealed class MapImport(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text, ImportKinds kinds)
{
    public const int PreviewRows = 20;

    public async Task<ImportPreview?> Handle(int id, ImportSettings settings, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var import = await db.Imports.VisibleTo(user).SingleOrDefaultAsync(i => i.Id == id, ct);
        if (import is null) return null;
        if (import.JobId is not null) throw new DomainRuleException(text["This import has already started; its settings can no longer change."]);
        if (import.FileId is null) throw FileGone();
        var kind = kinds.Get(import.Kind);
        var headers = JsonSerializer.Deserialize<List<string>>(import.Headers) ?? [];
        var clean = await Validate(db, kind, headers.Count, settings, user, ct);
        import.Settings = JsonSerializer.Serialize(clean);
        import.BranchId = user.ChooseBranch(clean.BranchId, text);
        await db.SaveChangesAsync(ct);
        return await Preview(id, user, ct);
    }

    public async Task<ImportSettings> Validate(PayvandDb db, IImportKind kind, int columns, ImportSettings settings, UserScope user, CancellationToken ct)
    {
        var v = new Validator(text);
        if (settings.Mapping.Count != columns) v.Add("mapping", "Give one field (or none) for each of the {0} columns.", columns);
        var mapped = settings.Mapping.OfType<string>().ToList();
        foreach (var unknown in mapped.Where(k => kind.Fields.All(f => f.Key != k)).Distinct()) v.Add("mapping", "There is no field named {0}.", unknown);
        foreach (var twice in mapped.GroupBy(k => k).Where(g => g.Count() > 1)) v.Add("mapping", "{0} is chosen for more than one column.", text[kind.Fields.FirstOrDefault(f => f.Key == twice.Key)?.Label ?? twice.Key]);
        if (kind.MissingMapping(mapped) is { } missing) v.Add("mapping", missing);
        if (settings.BranchId is { } branch && !user.CanSeeBranch(branch)) v.Add("branchId", "You cannot put records in that branch.");
        if (settings.OwnerId is { } owner && !await db.Users.AnyAsync(u => u.Id == owner && u.IsActive, ct)) v.Add("ownerId", "The owner was not found.");
        v.MaxCount("tags", settings.Tags, ContactInput.MaxTags);
        var tags = settings.Tags.Select(t => PersianText.Normalize(t)).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (tags.Any(t => t.Length > 50)) v.Add("tags", "A tag must be at most {0} characters.", 50);
        if (settings.BranchId is { } named && !v.Errors.ContainsKey("branchId") && !await db.Branches.AnyAsync(b => b.Id == named, ct))
        {
            v.Add("branchId", "The branch was not found.");
        }

        v.ThrowIfAny();
        user.ChooseBranch(settings.BranchId, text); // a user without a branch must name one
        return settings with { Tags = tags };
    }

    public async Task<ImportPreview?> Preview(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var import = await db.Imports.AsNoTracking().Include(i => i.Job).VisibleTo(user).SingleOrDefaultAsync(i => i.Id == id, ct);
        if (import is null) return null;
        var kind = kinds.Get(import.Kind);
        var details = ImportAccess.Details(import, null);
        var rows = new List<PreviewRow>();
        // Only the start of the file is read: the first chunks hold the first rows.
        IEnumerable<(int Number, string[] Cells)> sheet = import.FileId is not { } fileId ? []
            : new SheetReader(() => StoredFileContent.Open(dbFactory, fileId), import.Format, import.Encoding).Rows(out _).Take(PreviewRows);
        foreach (var (number, cells) in sheet)
        {
            var row = ImportJob.Map(number, cells, details.Settings.Mapping);
            var cellProblems = new Dictionary<int, string>();
            var rowProblems = new List<string>();
            foreach (var (field, problem) in kind.Check(row))
            {
                var column = details.Settings.Mapping.IndexOf(field);
                if (column >= 0) cellProblems[column] = problem;
                else rowProblems.Add($"{text[kind.Fields.FirstOrDefault(f => f.Key == field)?.Label ?? field]}: {problem}");
            }

            // A byte that is not UTF-8 in a UTF-8 file reads as U+FFFD (SheetReader): its cell is marked.
            for (var i = 0; i < cells.Length; i++)
            {
                if (cells[i].Contains('\uFFFD', StringComparison.Ordinal)) cellProblems.TryAdd(i, text["This cell holds bytes that are not UTF-8 (shown as �)."]);
            }

            rows.Add(new PreviewRow(number, cells, cellProblems, rowProblems));
        }

        var warnings = (JsonSerializer.Deserialize<List<SheetWarning>>(import.Warnings) ?? [])
            .Select(w => text[w.Text, [.. w.Values.Cast<object>()]].Value).ToList();
        return new ImportPreview(details, [.. kind.Fields.Select(f => new FieldChoice(f.Key, text[f.Label]))], rows, warnings);
    }

    // The uploaded file was deleted when its retention period ended (FileRetention).
    public DomainRuleException FileGone() => new(text["The original file of this import is no longer kept (files are deleted after the retention period). Upload it again."]);
}
