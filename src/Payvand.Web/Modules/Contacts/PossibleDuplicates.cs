using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Modules.Contacts;

// An existing person who shares a mobile, an email or a national code (Value, as stored) with a person being created or
// changed.
public sealed record PossibleDuplicate(int Id, string DisplayName, DuplicateReason Reason, string Value);

// The people the caller sees who share a mobile, an email or a national code with a person's input: the person's form
// warns with them before saving (saving anyway is allowed), POST and PUT /api/contacts answer them in `duplicates`, and
// POST /api/contacts/duplicates/check asks before saving. Two index lookups (ContactPoints.NormalizedValue, NationalCode).
public sealed class PossibleDuplicates(IDbContextFactory<PayvandDb> dbFactory)
{
    public const int Limit = 10;

    // exceptId: the person being changed, who matches themselves.
    public async Task<List<PossibleDuplicate>> Find(ContactInput input, int? exceptId, UserScope user, CancellationToken ct)
    {
        var points = input.Points.Where(p => p.Kind is ContactPointKind.Mobile or ContactPointKind.Email && !string.IsNullOrWhiteSpace(p.Value))
            .Select(p => ContactInput.NormalizePoint(p.Kind, p.Value)).OfType<string>().Distinct(StringComparer.Ordinal).Take(ContactInput.MaxPoints).ToList();
        var code = Payvand.Platform.Persian.NationalCode.Validate(input.NationalCode) is { IsValid: true, Normalized: { } normalized } ? normalized : null;
        if (points.Count == 0 && code is null) return [];

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var except = exceptId ?? 0;
        var people = db.Contacts.AsNoTracking().VisibleTo(user).Where(c => c.Id != except);
        var found = new List<PossibleDuplicate>();
        if (points.Count > 0)
        {
            var byPoint = await people.Where(c => c.Points.Any(p => points.Contains(p.NormalizedValue)))
                .OrderBy(c => c.Id).Take(Limit)
                .Select(c => new { c.Id, c.FirstName, c.LastName, Values = c.Points.Where(p => points.Contains(p.NormalizedValue)).Select(p => p.NormalizedValue).ToList() })
                .ToListAsync(ct);
            found.AddRange(byPoint.SelectMany(c => c.Values.Distinct(StringComparer.Ordinal).Select(v =>
                new PossibleDuplicate(c.Id, Name(c.FirstName, c.LastName), v.Contains('@', StringComparison.Ordinal) ? DuplicateReason.SameEmail : DuplicateReason.SameMobile, v))));
        }

        if (code is not null)
        {
            var byCode = await people.Where(c => c.NationalCode == code).OrderBy(c => c.Id).Take(Limit)
                .Select(c => new { c.Id, c.FirstName, c.LastName }).ToListAsync(ct);
            found.AddRange(byCode.Select(c => new PossibleDuplicate(c.Id, Name(c.FirstName, c.LastName), DuplicateReason.SameNationalCode, code)));
        }

        return found.OrderBy(d => d.Id).ThenBy(d => d.Reason).Take(Limit).ToList();
    }

    private static string Name(string? first, string last) => string.IsNullOrWhiteSpace(first) ? last : $"{first} {last}";
}
