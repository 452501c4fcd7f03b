using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Contacts;

// The columns every customer record (a person, a company) ends its export with, before its custom fields.
public static class RecordColumns
{
    public static IEnumerable<string> Header(IStringLocalizer<SharedResource> text) =>
        [text["Lifecycle stage"], text["Tags"], text["Owner"], text["Branch"], text["Created"]];

    public static IEnumerable<string?> Cells(
        IStringLocalizer<SharedResource> text, ExportNames names, LifecycleStage lifecycle, IEnumerable<string> tags, int? ownerId, int branchId, DateTime createdAt) =>
        [text[lifecycle.ToString()], string.Join("، ", tags), names.User(ownerId), names.Branch(branchId), TableExport.Instant(createdAt)];
}
