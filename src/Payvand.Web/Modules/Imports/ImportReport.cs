using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Imports;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Imports;

// The row-by-row outcome of an import (row, outcome, messages, record id) as CSV or XLSX. Messages are in the
// language of the user who started the import; the column names and outcomes in the reader's.
public sealed class ImportReport(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text)
{
    // "Created" already names the creation-time column of exports, so a new record's outcome reads "Added".
    public static string OutcomeText(RowOutcome outcome) => outcome == RowOutcome.Created ? "Added" : outcome.ToString();

    public async Task<bool> Exists(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Imports.VisibleTo(user).AnyAsync(i => i.Id == id, ct);
    }

    public async Task Write(int id, Stream output, ExportFormat format, CancellationToken ct)
    {
        var persian = Cultures.IsPersian(CultureInfo.CurrentUICulture);
        string[] header = [text["Row"], text["Outcome"], text["Messages"], text["Record id"]];
        await TableExport.Write(output, format, header, Rows(id, ct), persian, ct);
    }

    public async IAsyncEnumerable<ReportRow> Read(int id, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await foreach (var chunk in db.ImportReportChunks.AsNoTracking().Where(c => c.ImportId == id).OrderBy(c => c.FirstRow).Select(c => c.Rows).AsAsyncEnumerable().WithCancellation(ct))
        {
            foreach (var row in JsonSerializer.Deserialize<List<ReportRow>>(chunk) ?? []) yield return row;
        }
    }

    private async IAsyncEnumerable<string?[]> Rows(int id, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in Read(id, ct))
        {
            yield return [row.Row.ToString(CultureInfo.InvariantCulture), text[OutcomeText(row.Outcome)], row.Messages, row.RecordId?.ToString(CultureInfo.InvariantCulture)];
        }
    }
}
