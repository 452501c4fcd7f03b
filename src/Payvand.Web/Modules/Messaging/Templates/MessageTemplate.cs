using Payvand.Modules.Contacts;
using Payvand.Platform.Data;

namespace Payvand.Modules.Messaging.Templates;

// The language a template is written in; Both: one text rendered in either (dates, digits and money follow the culture).
public enum TemplateLanguage
{
    Fa,
    En,
    Both,
}

// A message template (قالب پیام) of one channel: the Liquid text a message is made of for each person (MessageTemplates
// renders it). Never deleted once written, as messages will point at it: archived instead.
public sealed class MessageTemplate : IAudited, IVersioned, ITimestamped
{
    public const int NameLength = 100;
    public const int SubjectLength = 500;
    public const int BodyLength = 20_000;
    public const int HtmlLength = 200_000;

    public int Id { get; set; }

    public required string Name { get; set; }

    // A key of Channels ("sms", "email", ...).
    public required string Channel { get; set; }

    public ContactPurpose Purpose { get; set; }

    public TemplateLanguage Language { get; set; }

    // Email only: the subject line, a Liquid template too.
    public string? Subject { get; set; }

    // The text (SMS) or the plain-text part (email).
    public required string Body { get; set; }

    // Email only: the HTML part; values put into it are HTML-encoded.
    public string? HtmlBody { get; set; }

    // Counts every saved change; also the concurrency token a stale edit is refused by (409).
    public int Version { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? ArchivedAt { get; set; }
}
