using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;

namespace Payvand.Modules.Messaging.Templates;

// One template as the API and the editor see it; Sms counts the text as written (before values are put in).
public sealed record TemplateDto(
    int Id, string Name, string Channel, ContactPurpose Purpose, TemplateLanguage Language, string? Subject, string Body,
    string? HtmlBody, int Version, DateTime CreatedAt, DateTime UpdatedAt, DateTime? ArchivedAt, SmsParts? Sms);

// The templates, by channel and name; archived ones only when asked.
public sealed class ListTemplates(IDbContextFactory<PayvandDb> dbFactory)
{
    public async Task<List<TemplateDto>> Handle(string? channel, bool includeArchived, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.MessageTemplates.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(channel)) query = query.Where(t => t.Channel == channel);
        if (!includeArchived) query = query.Where(t => t.ArchivedAt == null);
        var rows = await query.OrderBy(t => t.Channel).ThenBy(t => t.Name).ThenBy(t => t.Id).ToListAsync(ct);
        return rows.Select(ToDto).ToList();
    }

    public async Task<TemplateDto?> Get(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        return row is null ? null : ToDto(row);
    }

    private static TemplateDto ToDto(MessageTemplate t) => new(
        t.Id, t.Name, t.Channel, t.Purpose, t.Language, t.Subject, t.Body, t.HtmlBody, t.Version, t.CreatedAt, t.UpdatedAt,
        t.ArchivedAt, t.Channel == ConsentChannel.Sms ? SmsParts.Of(t.Body) : null);
}
