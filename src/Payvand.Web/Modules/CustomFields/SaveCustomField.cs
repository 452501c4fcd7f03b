using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.CustomFields;

// What the admin page or an API client sends to define or change a custom field.
public sealed record CustomFieldInput
{
    public CustomFieldTarget Target { get; init; }

    // Lower-case a-z, 0-9 and _ (e.g. "shoe_size"); unique per target. Used in the API and in filters (cf.<key>).
    public string? Key { get; init; }

    public string? LabelFa { get; init; }

    public string? LabelEn { get; init; }

    public CustomFieldType Type { get; init; }

    // The allowed values of a Choice field (required, distinct); ignored for other types.
    public List<string> Choices { get; init; } = [];

    // Display position among the target's fields; a new field without one goes last.
    public int? Order { get; init; }

    public bool IsActive { get; init; } = true;

    // Required on update: the version the client read (a stale one gets 409).
    public int? Version { get; init; }
}

// Defines a custom field or changes one (Admin). A field that already has values keeps its type and key:
// changing them would strand or misread stored values (409).
public sealed partial class SaveCustomField(IDbContextFactory<PayvandDb> dbFactory, IStringLocalizer<SharedResource> text)
{
    public const int MaxChoices = 200;
    public const int MaxChoiceLength = 100;

    public async Task<int> Create(CustomFieldInput input, UserScope user, CancellationToken ct)
    {
        RequireAdmin(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clean = await Validate(db, input, null, ct);
        var order = input.Order ?? (await db.CustomFields.Where(f => f.Target == input.Target).MaxAsync(f => (int?)f.Order, ct) ?? 0) + 1;
        var field = new CustomFieldDefinition
        {
            Target = input.Target,
            Key = clean.Key,
            LabelFa = clean.LabelFa,
            LabelEn = clean.LabelEn,
            Type = input.Type,
            Choices = clean.Choices,
            Order = order,
            IsActive = input.IsActive,
        };
        db.CustomFields.Add(field);
        await db.SaveChangesAsync(ct);
        return field.Id;
    }

    public async Task<bool> Update(int id, CustomFieldInput input, UserScope user, CancellationToken ct)
    {
        RequireAdmin(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var field = await db.CustomFields.SingleOrDefaultAsync(f => f.Id == id, ct);
        if (field is null) return false;
        if (input.Version is null)
        {
            throw new ValidationException(new Dictionary<string, string[]> { ["version"] = [text["{0} is required.", "version"]] });
        }

        db.Entry(field).Property(f => f.Version).OriginalValue = input.Version.Value;
        var clean = await Validate(db, input, field, ct);
        if ((input.Type != field.Type || clean.Key != field.Key) && await db.CustomFieldValues.AnyAsync(v => v.FieldId == id, ct))
        {
            throw new DomainRuleException(input.Type != field.Type
                ? text["The type of a field that already has values cannot be changed."]
                : text["The key of a field that already has values cannot be changed."]);
        }

        field.Key = clean.Key;
        field.LabelFa = clean.LabelFa;
        field.LabelEn = clean.LabelEn;
        field.Type = input.Type;
        field.Choices = clean.Choices;
        field.Order = input.Order ?? field.Order;
        field.IsActive = input.IsActive;
        db.Entry(field).State = EntityState.Modified; // bumps the version even when only the choices changed
        await db.SaveChangesAsync(ct);
        return true;
    }

    private sealed record Clean(string Key, string LabelFa, string LabelEn, List<string> Choices);

    private async Task<Clean> Validate(PayvandDb db, CustomFieldInput input, CustomFieldDefinition? existing, CancellationToken ct)
    {
        var v = new Validator(text);
        var key = input.Key?.Trim() ?? "";
        var existingId = existing?.Id ?? 0;
        if (key.Length == 0) v.Add("key", "{0} is required.", text["Key"]);
        else if (key.Length > 50 || !KeyPattern().IsMatch(key)) v.Add("key", "The key may contain only lower-case English letters, digits and _ (at most 50).");
        else if (await db.CustomFields.AnyAsync(f => f.Target == input.Target && f.Key == key && f.Id != existingId, ct))
        {
            v.Add("key", "Another field already uses this key.");
        }

        if (!Enum.IsDefined(input.Target)) v.Add("target", "{0} must be one of: {1}.", text["Target"], string.Join(", ", Enum.GetNames<CustomFieldTarget>()));
        else if (existing is not null && input.Target != existing.Target) v.Add("target", "The target of a field cannot be changed.");
        if (!Enum.IsDefined(input.Type)) v.Add("type", "{0} must be one of: {1}.", text["Type"], string.Join(", ", Enum.GetNames<CustomFieldType>()));

        var labelFa = CleanText(input.LabelFa);
        var labelEn = CleanText(input.LabelEn);
        v.Required("labelFa", labelFa, "Persian label").MaxLength("labelFa", labelFa, 100, "Persian label");
        v.Required("labelEn", labelEn, "English label").MaxLength("labelEn", labelEn, 100, "English label");

        var choices = new List<string>();
        if (input.Type == CustomFieldType.Choice)
        {
            choices = input.Choices.Select(CleanText).OfType<string>().ToList();
            if (choices.Count == 0) v.Add("choices", "A choice field needs at least one choice.");
            else if (choices.Count != input.Choices.Count) v.Add("choices", "A choice cannot be empty.");
            else if (choices.Select(PersianText.Normalize).Distinct(StringComparer.Ordinal).Count() != choices.Count) v.Add("choices", "Each choice must be different.");
            if (choices.Count > MaxChoices) v.Add("choices", "A field can have at most {0} choices.", MaxChoices);
            if (choices.Any(c => c.Length > MaxChoiceLength)) v.Add("choices", "A choice must be at most {0} characters.", MaxChoiceLength);
        }

        v.ThrowIfAny();
        return new Clean(key, labelFa!, labelEn!, choices);
    }

    private void RequireAdmin(UserScope user)
    {
        if (!user.Has(CustomFieldsPermissions.Manage)) throw new DomainRuleException(text["Only administrators can do this."]);
    }

    // Display text: trimmed, single spaces, Arabic ي/ك stored as Persian ی/ک (ZWNJ kept, it is part of the spelling).
    internal static string? CleanText(string? s)
    {
        s = StoredText.CleanOrNull(s); // control characters are not stored (StoredText): text of only them is none
        if (string.IsNullOrWhiteSpace(s)) return null;
        return PersianText.PersianLetters(string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    }

    [GeneratedRegex("^[a-z0-9_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
