using Payvand.Platform.Auth;

namespace Payvand.Platform.Jobs;

// Exports of list views too large to download at once run as background jobs (Modules/Imports' ExportJob). List pages
// of any module queue them through this, so they need not know the Imports module; the files wait on the Exports page.
public interface IBackgroundExports
{
    // A view with more rows than this, or whose count is only a lower bound, is exported in the background.
    int DirectLimit { get; }

    // Queues the export of a list (an IListExport's name: "contacts", "companies", "purchases") with the list's query (filters, sort, format); returns its id.
    Task<int> Queue(string list, IQueryCollection query, UserScope user, CancellationToken ct);
}
