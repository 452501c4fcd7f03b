using Microsoft.Extensions.Localization;
using Payvand.Platform.Localization;

namespace Payvand.Platform.Errors;

// A business rule was broken (e.g. deleting a branch that still has people): 409 Conflict.
public sealed class DomainRuleException(string message) : Exception(message);

// The record was not found or is not visible to the caller: 404.
public sealed class NotFoundException(string message) : Exception(message);

// The caller may see the record but not do this to it (e.g. a salesperson listing deleted people): 403,
// recorded in the audit trail like every refused authorization.
public sealed class AccessDeniedException(string message) : Exception(message);

// Input was invalid: 400 with the message of each field, already in the user's language.
public sealed class ValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("Validation failed: " + string.Join(", ", errors.Keys))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

// Collects field errors in the user's language, then throws them together.
// Field names are the camelCase JSON names so API clients and UI forms can place each message.
public sealed class Validator(IStringLocalizer<SharedResource> text)
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public IStringLocalizer<SharedResource> Text => text;

    public bool HasErrors => errors.Count > 0;

    public IReadOnlyDictionary<string, List<string>> Errors => errors;

    public Validator Add(string field, string messageKey, params object[] args)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        list.Add(text[messageKey, args]);
        return this;
    }

    public Validator Required(string field, string? value, string label)
    {
        // Control characters are not stored (StoredText): text made only of them is missing too.
        if (string.IsNullOrWhiteSpace(value) || string.IsNullOrWhiteSpace(Data.StoredText.Clean(value))) Add(field, "{0} is required.", text[label]);
        return this;
    }

    public Validator MaxLength(string field, string? value, int max, string label)
    {
        if (value is not null && value.Length > max) Add(field, "{0} must be at most {1} characters.", text[label], max);
        return this;
    }

    // A collection in a request holds at most max items (phones, tags, lines...): without a bound one request of
    // 10,000 phones was accepted after 20 seconds of work.
    public Validator MaxCount<T>(string field, IReadOnlyCollection<T>? items, int max)
    {
        if (items is not null && items.Count > max) Add(field, "At most {0} items are accepted.", max);
        return this;
    }

    public void ThrowIfAny()
    {
        if (errors.Count > 0) throw new ValidationException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}
