using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Messaging.Templates;

// What the editor or an API client sends to write a template.
public sealed record TemplateInput
{
    public string? Name { get; init; }

    // A channel key: "sms", "email", ...
    public string? Channel { get; init; }

    public ContactPurpose Purpose { get; init; } = ContactPurpose.Promotional;

    public TemplateLanguage Language { get; init; } = TemplateLanguage.Fa;

    // Email only (required there).
    public string? Subject { get; init; }

    public string? Body { get; init; }

    // Email only, optional.
    public string? HtmlBody { get; init; }

    // Required on update: the version the client read (a stale one gets 409).
    public int? Version { get; init; }
}

// Writes, archives and restores templates. A template is saved only when it parses and renders for a sample person;
// its errors come back as field errors (with line and column for syntax errors). Changes are audited (IAudited).
public sealed class SaveTemplate(IDbContextFactory<PayvandDb> dbFactory, MessageTemplates templates, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public async Task<int> Create(TemplateInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clean = await Validate(db, input, ct);
        var template = new MessageTemplate { Name = clean.Name, Channel = clean.Channel, Body = clean.Body };
        Apply(template, input, clean);
        db.Add(template);
        await db.SaveChangesAsync(ct);
        return template.Id;
    }

    // False when there is no such template.
    public async Task<bool> Update(int id, TemplateInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var template = await db.MessageTemplates.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (template is null) return false;
        if (input.Version is null) throw new ValidationException(new Dictionary<string, string[]> { ["version"] = [text["{0} is required.", "version"]] });
        db.Entry(template).Property(t => t.Version).OriginalValue = input.Version.Value;
        var clean = await Validate(db, input, ct);
        Apply(template, input, clean);
        await db.SaveChangesAsync(ct);
        return true;
    }

    // Archived templates are kept (messages will point at them) but are not offered or rendered; false: no such template.
    public async Task<bool> Archive(int id, bool archived, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var template = await db.MessageTemplates.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (template is null) return false;
        if ((template.ArchivedAt is not null) == archived) return true;
        template.ArchivedAt = archived ? clock.GetUtcNow().UtcDateTime : null;
        await db.SaveChangesAsync(ct);
        return true;
    }

    private sealed record Clean(string Name, string Channel, string? Subject, string Body, string? HtmlBody);

    private static void Apply(MessageTemplate t, TemplateInput input, Clean clean)
    {
        t.Name = clean.Name;
        t.Channel = clean.Channel;
        t.Purpose = input.Purpose;
        t.Language = input.Language;
        t.Subject = clean.Subject;
        t.Body = clean.Body;
        t.HtmlBody = clean.HtmlBody;
    }

    private async Task<Clean> Validate(PayvandDb db, TemplateInput input, CancellationToken ct)
    {
        var v = new Validator(text);
        var name = StoredText.CleanOrNull(input.Name)?.Trim();
        v.Required("name", name, "Name").MaxLength("name", name, MessageTemplate.NameLength, "Name");
        var channel = input.Channel?.Trim().ToLowerInvariant() ?? "";
        if (channel.Length == 0) v.Add("channel", "{0} is required.", text["Sending channel"]);
        else if (!await db.Channels.AnyAsync(c => c.Key == channel, ct)) v.Add("channel", "There is no channel {0}.", channel);
        if (!Enum.IsDefined(input.Purpose)) v.Add("purpose", "{0} must be one of: {1}.", text["Purpose"], string.Join(", ", Enum.GetNames<ContactPurpose>()));
        if (!Enum.IsDefined(input.Language)) v.Add("language", "{0} must be one of: {1}.", text["Language"], string.Join(", ", Enum.GetNames<TemplateLanguage>()));

        var email = channel == ConsentChannel.Email;
        var subject = email ? StoredText.CleanOrNull(input.Subject) : null;
        var html = email ? StoredText.CleanOrNull(input.HtmlBody) : null;
        var body = StoredText.CleanOrNull(input.Body) ?? "";
        if (email) v.Required("subject", subject, "Subject").MaxLength("subject", subject, MessageTemplate.SubjectLength, "Subject");
        else if (!string.IsNullOrWhiteSpace(input.Subject) || !string.IsNullOrWhiteSpace(input.HtmlBody))
        {
            v.Add(string.IsNullOrWhiteSpace(input.Subject) ? "htmlBody" : "subject", "Only email templates have a subject and an HTML part.");
        }
        v.Required("body", body, "Text").MaxLength("body", body, MessageTemplate.BodyLength, "Text");
        v.MaxLength("htmlBody", html, MessageTemplate.HtmlLength, "HTML");
        v.ThrowIfAny();

        var errors = await templates.Validate(new TemplateText(channel, subject, body, string.IsNullOrWhiteSpace(html) ? null : html), ct);
        foreach (var e in errors) v.Add(e.Field, "{0}", e.Message);
        v.ThrowIfAny();
        return new Clean(name!, channel, subject, body, string.IsNullOrWhiteSpace(html) ? null : html);
    }
}
