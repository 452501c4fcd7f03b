using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Organization;

// One field change as stored (Field, From, To: invariant text, ids as numbers) and as read in the caller's language:
// the field's label, and the values with names for ids, Jalali dates in Persian, labels for choices, yes or no.
public sealed record AuditChange(string Field, string Label, string? From, string? To, string? FromText, string? ToText);

// Turns audit entries into what a reader understands: internal columns (sort and search keys, normalized copies) are
// left out, fields get their labels, ids the names of the branch, user, company or person, and the details of
// sign-ins and merges become sentences (Summary) with a link to the person a merge is about (Link).
public sealed partial class AuditText(IStringLocalizer<SharedResource> text)
{
    // Derived or internal columns: their changes are those of fields shown beside them.
    private static readonly HashSet<string> Hidden = new(StringComparer.Ordinal)
    {
        "SortName", "SearchText", "NormalizedValue", "NormalizedName", "NormalizedEmail", "NormalizedUserName",
    };

    // Labels that are not the field's name in words (BirthDate -> "Birth date" is found without help).
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Lifecycle"] = "Lifecycle stage",
        ["Points.Value"] = "Phone or email",
        ["Points.Kind"] = "Phone or email type",
        ["Points.Label"] = "Phone or email label",
        ["Points.IsPrimary"] = "Primary phone or email",
        ["Tags.Name"] = "Tag",
        ["Preferences.PreferredChannel"] = "Preferred channel",
        ["Preferences.BestDays"] = "Best days to contact",
        ["Preferences.BestFrom"] = "Best time to contact from",
        ["Preferences.BestTo"] = "Best time to contact until",
        ["Preferences.Language"] = "Language",
        ["DeletedAt"] = "Deleted",
        ["MergedIntoId"] = "Merged into",
        ["MustChangePassword"] = "Must choose a new password",
        ["IsActive"] = "Active",
        ["UserName"] = "User name",
        ["PhoneNumber"] = "Phone",
        ["TwoFactorEnabled"] = "Two-step sign-in",
        ["LockoutEnd"] = "Locked until",
        ["LockoutEnabled"] = "Can be locked out",
        ["EmailConfirmed"] = "Email confirmed",
        ["PhoneNumberConfirmed"] = "Phone confirmed",
        ["TimeZone"] = "Time zone",
        ["Culture"] = "Language",
        ["NationalId"] = "National ID",
        ["FollowUpDoneAt"] = "Follow-up done",
        ["Roles"] = "Roles",
    };

    // Enum types whose value labels are keyed by another prefix than the type's name (Source.Manual, Consent.OptedIn).
    private static readonly Dictionary<string, string> EnumPrefixes = new(StringComparer.Ordinal)
    {
        ["RecordSource"] = "Source",
        ["ConsentStatus"] = "Consent",
        ["ContactPurpose"] = "Purpose",
    };

    private enum Names
    {
        None,
        Branch,
        User,
        Company,
        Person,
    }

    public async Task<List<AuditRow>> Rows(PayvandDb db, IReadOnlyList<AuditEntry> entries, bool showIp, UserScope user, CancellationToken ct)
    {
        var parsed = entries.Select(e => (Entry: e, Changes: SearchAudit.ParseChanges(e.Changes).Where(c => !IsHidden(c.Field)).ToList(), Merge: MergeOf(e))).ToList();
        var wanted = new Dictionary<Names, HashSet<int>>();
        foreach (var (entry, changes, merge) in parsed)
        {
            foreach (var change in changes)
            {
                var kind = NamesOf(db, entry.EntityType, change.Field);
                if (kind == Names.None) continue;
                foreach (var value in new[] { change.From, change.To })
                {
                    if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)) Ids(wanted, kind).Add(id);
                }
            }

            if (merge is { } m) Ids(wanted, Names.Person).Add(m.OtherId);
        }

        var names = await Load(db, wanted, user, ct);
        return parsed.Select(p => new AuditRow(
                p.Entry.Id, p.Entry.At, p.Entry.UserId, p.Entry.UserName, p.Entry.Action, p.Entry.EntityType, p.Entry.EntityId,
                p.Changes.Select(c => Describe(db, p.Entry.EntityType, c, names)).ToList(), p.Entry.Detail, showIp ? p.Entry.IpAddress : null,
                Summary(p.Entry, p.Merge, names), p.Merge is { } m ? $"/contacts/{m.OtherId.ToString(CultureInfo.InvariantCulture)}" : null))
            .ToList();
    }

    public static bool IsHidden(string field) => Hidden.Contains(field[(field.LastIndexOf('.') + 1)..]);

    // The field's label in the caller's language: a known label, else the name in words ("BirthDate" -> "Birth date",
    // "BranchId" -> "Branch"), else the name itself.
    public string Label(string field)
    {
        if (Labels.TryGetValue(field, out var key)) return text[key];
        var name = field[(field.LastIndexOf('.') + 1)..];
        if (name.Length > 2 && name.EndsWith("Id", StringComparison.Ordinal)) name = name[..^2];
        var words = Words().Replace(name, " $1").Trim();
        words = words.Length == 0 ? field : char.ToUpperInvariant(words[0]) + words[1..].ToLowerInvariant();
        return text[words] is { ResourceNotFound: false } found ? found : field;
    }

    private AuditChange Describe(PayvandDb db, string? entityType, FieldChange change, Dictionary<(Names, int), string> names)
    {
        var property = PropertyOf(db, entityType, change.Field);
        var kind = NamesOf(db, entityType, change.Field);
        return new AuditChange(change.Field, Label(change.Field), change.From, change.To,
            Value(change.From, property, kind, names), Value(change.To, property, kind, names));
    }

    private string? Value(string? raw, IReadOnlyProperty? property, Names kind, Dictionary<(Names, int), string> names)
    {
        if (raw is null) return null;
        var persian = Cultures.IsPersian(CultureInfo.CurrentUICulture);
        if (kind != Names.None && int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
        {
            return names.TryGetValue((kind, id), out var name) ? name : "#" + Digits(raw, persian);
        }

        var type = property is null ? null : Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        if (type == typeof(DateOnly) && DateOnly.TryParse(raw, CultureInfo.InvariantCulture, out var date))
        {
            return persian ? Jalali.Format(date) : date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        // Entries store ISO dates (AuditValue); older ones hold the invariant culture's 08/05/1993, which parses the same.
        if ((type == typeof(DateTime) || type == typeof(DateTimeOffset))
            && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var instant))
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(instant.UtcDateTime, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tehran"));
            var time = local.ToString("HH:mm", CultureInfo.InvariantCulture);
            return persian ? $"{Jalali.Format(DateOnly.FromDateTime(local))} {PersianText.ToPersianDigits(time)}" : $"{local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} {time}";
        }

        if (type == typeof(bool) && bool.TryParse(raw, out var yes)) return yes ? text["Yes"] : text["No"];
        if (type is { IsEnum: true }) return string.Join(persian ? "، " : ", ", raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => EnumLabel(type, v)));
        if (type is not null && (type == typeof(int) || type == typeof(long) || type == typeof(decimal) || type == typeof(TimeOnly))) return Digits(raw, persian);
        return raw;
    }

    private string EnumLabel(Type type, string value)
    {
        var prefix = EnumPrefixes.GetValueOrDefault(type.Name, type.Name);
        foreach (var key in new[] { $"{prefix}.{value}", value })
        {
            if (text[key] is { ResourceNotFound: false } label) return label;
        }

        return value;
    }

    private static string Digits(string s, bool persian) => persian ? PersianText.ToPersianDigits(s) : s;

    // Sign-ins and merges in words; other details as written.
    private string? Summary(AuditEntry entry, Merge? merge, Dictionary<(Names, int), string> names)
    {
        if (merge is { } m)
        {
            var who = names.GetValueOrDefault((Names.Person, m.OtherId)) ?? "#" + m.OtherId.ToString(CultureInfo.InvariantCulture);
            return text[m.Sentence, who];
        }

        var detail = entry.Detail;
        var key = (entry.Action, detail) switch
        {
            (AuditAction.SignInFailed, "bad credentials") => "Sign-in failed: wrong email or password.",
            (AuditAction.SignInFailed, "locked out") => "Sign-in refused: the account is locked after too many failed attempts.",
            (AuditAction.SignInFailed, "bad two-factor code") => "Sign-in failed: wrong code from the authenticator app.",
            (AuditAction.SignInFailed, "api-token: locked-out") => "Access token refused: the account is locked after too many failed attempts.",
            (AuditAction.SignInFailed, "api-token: must-change-password") => "Access token refused: the user must choose a new password first.",
            (AuditAction.SignInFailed, "api-token: two-factor-not-set-up") => "Access token refused: the user's role needs two-step sign-in, not set up yet.",
            (AuditAction.SignInFailed, "api-token: unknown-email" or "api-token: wrong-password") => "Access token refused: wrong email or password.",
            (AuditAction.SignInFailed, "api-token: inactive") => "Access token refused: the account is inactive.",
            (AuditAction.SignInFailed, "api-token: no-code") => "Access token refused: the code from the authenticator app is missing.",
            (AuditAction.SignInFailed, "api-token: wrong-code") => "Access token refused: wrong code from the authenticator app.",
            (AuditAction.SignIn, "password") => "Signed in with a password.",
            (AuditAction.SignIn, "two-factor") => "Signed in with a password and an authenticator code.",
            (AuditAction.SignIn, { } d) when d.StartsWith("api-token:", StringComparison.Ordinal) => "Created an access token with email and password.",
            (AuditAction.SignOut, _) => "Signed out.",
            _ => null,
        };
        return key is null ? detail : text[key];
    }

    // Another person an entry is about, and the sentence (a resource with the person's name as {0}) it reads as.
    private sealed record Merge(int OtherId, string Sentence);

    // MergeContacts writes "#12 merged into this person" on the survivor and "Merged into #12" on the other;
    // NotDuplicates "Not the same person as #12" and "Possibly the same person as #12 again" on both.
    private static Merge? MergeOf(AuditEntry entry)
    {
        if (entry.Detail is null || entry.EntityType != "Contact") return null;
        foreach (var (pattern, sentence) in new[]
                 {
                     (MergedIntoThis(), "{0} was merged into this person."), (MergedAway(), "Merged into {0}."),
                     (NotSame(), "Marked as not the same person as {0}."), (SameAgain(), "Marked as possibly the same person as {0} again."),
                 })
        {
            var match = pattern.Match(entry.Detail);
            if (match.Success) return new Merge(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), sentence);
        }

        return null;
    }

    private static IReadOnlyProperty? PropertyOf(PayvandDb db, string? entityType, string field)
    {
        var entity = db.Model.GetEntityTypes().FirstOrDefault(t => !t.IsOwned() && t.ClrType.Name == entityType);
        if (entity is null) return null;
        var parts = field.Split('.');
        IReadOnlyEntityType current = entity;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (current.FindNavigation(parts[i]) is not { } navigation) return null;
            current = navigation.TargetEntityType;
        }

        return current.FindProperty(parts[^1]);
    }

    // Which names an id field holds: ownership and branches of records, who did something, links between people.
    private static Names NamesOf(PayvandDb db, string? entityType, string field)
    {
        if (PropertyOf(db, entityType, field) is not { } property) return Names.None;
        var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        if (type != typeof(int)) return Names.None;
        return property.Name switch
        {
            "BranchId" => Names.Branch,
            "OwnerId" or "UserId" or "CreatedById" or "RecordedById" or "AssigneeId" => Names.User,
            "CompanyId" => Names.Company,
            "ContactId" or "MergedIntoId" => Names.Person,
            _ => Names.None,
        };
    }

    private static HashSet<int> Ids(Dictionary<Names, HashSet<int>> wanted, Names kind) =>
        wanted.TryGetValue(kind, out var ids) ? ids : wanted[kind] = [];

    // The names of the ids the page shows. Companies and people the caller cannot see keep their number.
    private static async Task<Dictionary<(Names, int), string>> Load(PayvandDb db, Dictionary<Names, HashSet<int>> wanted, UserScope user, CancellationToken ct)
    {
        var names = new Dictionary<(Names, int), string>();
        foreach (var (kind, set) in wanted)
        {
            var ids = set.ToList();
            var found = kind switch
            {
                Names.Branch => await db.Branches.Where(b => ids.Contains(b.Id)).Select(b => new { b.Id, b.Name }).ToDictionaryAsync(x => x.Id, x => x.Name, ct),
                Names.User => await db.Users.Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(x => x.Id, x => x.DisplayName, ct),
                Names.Company => await db.Companies.IgnoreQueryFilters().VisibleTo(user).Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Name })
                    .ToDictionaryAsync(x => x.Id, x => x.Name, ct),
                _ => await db.Contacts.IgnoreQueryFilters().VisibleTo(user).Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.FirstName, c.LastName })
                    .ToDictionaryAsync(x => x.Id, x => string.IsNullOrWhiteSpace(x.FirstName) ? x.LastName : x.FirstName + " " + x.LastName, ct),
            };
            foreach (var (id, name) in found) names[(kind, id)] = name;
        }

        return names;
    }

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex Words();

    [GeneratedRegex(@"^#(\d+) merged into this person$")]
    private static partial Regex MergedIntoThis();

    [GeneratedRegex(@"^Merged into #(\d+)$")]
    private static partial Regex MergedAway();

    [GeneratedRegex(@"^Not the same person as #(\d+)$")]
    private static partial Regex NotSame();

    [GeneratedRegex(@"^Possibly the same person as #(\d+) again$")]
    private static partial Regex SameAgain();
}
