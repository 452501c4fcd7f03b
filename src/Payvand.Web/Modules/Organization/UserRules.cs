using System.Globalization;
using System.Net.Mail;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Organization;

// The checks shared by the user and account use cases: who may administer, what a valid email, time zone,
// culture and role list are, and Identity's errors turned into field errors in the user's language.
internal static class UserRules
{
    public const string DefaultTimeZone = "Asia/Tehran";

    public static void Require(UserScope user, string permission, IStringLocalizer<SharedResource> text)
    {
        if (!user.Has(permission)) throw new DomainRuleException(text["Only administrators can do this."]);
    }

    // Lower-case address, or null (with a field error) when missing or not an email.
    public static string? Email(Validator v, string? value, string field = "email")
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            v.Add(field, "{0} is required.", v.Text["Email"]);
            return null;
        }

        var email = PersianText.ToLatinDigits(value).Trim().ToLowerInvariant();
        if (email.Length <= 256 && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && email.Contains('.', StringComparison.Ordinal))
        {
            return email;
        }

        v.Add(field, "The email address is not valid.");
        return null;
    }

    public static string? DisplayName(Validator v, string? value)
    {
        var name = CleanText(value);
        v.Required("displayName", name, "Display name").MaxLength("displayName", name, 100, "Display name");
        return name;
    }

    // An IANA (or Windows) time zone id this server knows; empty means the default, Asia/Tehran.
    public static string TimeZone(Validator v, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return DefaultTimeZone;
        var id = value.Trim();
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return id;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            v.Add("timeZone", "The time zone {0} is not known.", id);
            return DefaultTimeZone;
        }
    }

    // "fa" or "en" (fa-IR and en-US are accepted too); empty means "follow the browser".
    public static string? Culture(Validator v, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var culture = value.Trim().ToLowerInvariant();
        if (culture is "fa" or "fa-ir") return "fa";
        if (culture is "en" or "en-us") return "en";
        v.Add("culture", "{0} must be one of: {1}.", v.Text["Language"], "fa, en");
        return null;
    }

    // The roles by their canonical names (any letter case accepted), at least one.
    public static List<string> RoleNames(Validator v, IEnumerable<string>? requested)
    {
        var roles = new List<string>();
        foreach (var name in requested ?? [])
        {
            var role = Roles.All.FirstOrDefault(r => string.Equals(r, name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (role is null) v.Add("roles", "{0} must be one of: {1}.", v.Text["Role"], string.Join(", ", Roles.All));
            else if (!roles.Contains(role)) roles.Add(role);
        }

        if (roles.Count == 0 && !v.Errors.ContainsKey("roles")) v.Add("roles", "Choose at least one role.");
        return roles.OrderBy(r => Array.IndexOf(Roles.All, r)).ToList();
    }

    // Branch ids that exist; newly given ones must be active. Everyone but an administrator needs at least one.
    public static async Task<List<int>> BranchIds(
        Validator v, PayvandDb db, IEnumerable<int>? requested, IReadOnlyCollection<string> roles, IReadOnlyCollection<int> current, CancellationToken ct)
    {
        var ids = (requested ?? []).Distinct().ToList();
        var known = await db.Branches.Where(b => ids.Contains(b.Id)).Select(b => new { b.Id, b.IsActive }).ToListAsync(ct);
        if (known.Count != ids.Count || known.Any(b => !b.IsActive && !current.Contains(b.Id))) v.Add("branchIds", "The branch was not found.");
        if (ids.Count == 0 && !roles.Contains(Roles.Admin)) v.Add("branchIds", "Choose at least one branch.");
        return ids.Order().ToList();
    }

    // Runs Identity's password validators (length, common passwords) so their messages join the other field errors.
    public static async Task Password(Validator v, UserManager<AppUser> users, AppUser user, string? password, string field)
    {
        if (string.IsNullOrEmpty(password))
        {
            v.Add(field, "{0} is required.", v.Text["Password"]);
            return;
        }

        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            AddIdentityErrors(v, result, users, field);
        }
    }

    // Identity's English descriptions become field errors in the user's language; a stale user row is a 409.
    public static void AddIdentityErrors(Validator v, IdentityResult result, UserManager<AppUser> users, string passwordField = "password")
    {
        foreach (var error in result.Errors)
        {
            switch (error.Code)
            {
                case nameof(IdentityErrorDescriber.ConcurrencyFailure):
                    throw new DbUpdateConcurrencyException(error.Description);
                case nameof(IdentityErrorDescriber.PasswordTooShort):
                    v.Add(passwordField, "The password must be at least {0} characters.", users.Options.Password.RequiredLength);
                    break;
                case nameof(IdentityErrorDescriber.PasswordRequiresUniqueChars):
                    v.Add(passwordField, "The password must use at least {0} different characters.", users.Options.Password.RequiredUniqueChars);
                    break;
                case nameof(IdentityErrorDescriber.PasswordRequiresDigit) or nameof(IdentityErrorDescriber.PasswordRequiresLower)
                    or nameof(IdentityErrorDescriber.PasswordRequiresUpper) or nameof(IdentityErrorDescriber.PasswordRequiresNonAlphanumeric)
                    or "CommonPassword":
                    v.Add(passwordField, "This password is too common or too easy to guess.");
                    break;
                case nameof(IdentityErrorDescriber.PasswordMismatch):
                    v.Add("currentPassword", "The current password is not correct.");
                    break;
                case nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName):
                    v.Add("email", "Another user already has this email address.");
                    break;
                case nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.InvalidUserName):
                    v.Add("email", "The email address is not valid.");
                    break;
                default:
                    v.Add("", "{0}", error.Description);
                    break;
            }
        }
    }

    public static void ThrowIfFailed(IdentityResult result, UserManager<AppUser> users, IStringLocalizer<SharedResource> text, string passwordField = "password")
    {
        if (result.Succeeded) return;
        var v = new Validator(text);
        AddIdentityErrors(v, result, users, passwordField);
        v.ThrowIfAny();
    }

    // An audit row for changes the change tracker cannot see (roles, branches, settings), written with the caller's save.
    public static AuditEntry AuditChanges(UserScope user, string? ipAddress, DateTime at, string entityType, string entityId, IEnumerable<FieldChange> changes) => new()
    {
        At = at,
        UserId = user.UserId > 0 ? user.UserId : null,
        UserName = user.UserName,
        Action = AuditAction.Update,
        EntityType = entityType,
        EntityId = entityId,
        Changes = JsonSerializer.Serialize(changes.ToList(), AuditJson.Options),
        IpAddress = ipAddress,
    };

    public static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    // Display text: trimmed, single spaces, Arabic ي/ك stored as Persian ی/ک (ZWNJ kept, it is part of the spelling).
    public static string? CleanText(string? s)
    {
        s = StoredText.CleanOrNull(s); // control characters are not stored (StoredText): text of only them is none
        if (string.IsNullOrWhiteSpace(s)) return null;
        return PersianText.PersianLetters(string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    }
}
