using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Api;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Organization;

// One audit entry with its field changes parsed and described in the caller's language (AuditText). IpAddress is shown
// to administrators only. Summary: the detail as a sentence (sign-ins, merges); Link: the page of the person a merge is about.
public sealed record AuditRow(
    long Id, DateTime At, int? UserId, string? UserName, AuditAction Action, string? EntityType, string? EntityId,
    IReadOnlyList<AuditChange> Changes, string? Detail, string? IpAddress, string? Summary = null, string? Link = null);

public sealed record AuditFilter
{
    public int? UserId { get; init; }

    // The record type as audited (Contact, Company, AppUser, Branch, ...); any letter case.
    public string? EntityType { get; init; }

    public string? EntityId { get; init; }

    public AuditAction? Action { get; init; }

    public DateTime? From { get; init; }

    // Exclusive upper bound (a date-only "to" from the API is turned into the start of the next day).
    public DateTime? Before { get; init; }

    // Text in the detail, the field changes or the user name.
    public string? Q { get; init; }
}

// The whole audit trail for administrators: who did what, when, to which record, newest first.
public sealed class SearchAudit(IDbContextFactory<PayvandDb> dbFactory, AuditText describe, IStringLocalizer<SharedResource> text)
{
    public static readonly string[] SortFields = ["at"];

    public async Task<PagedResult<AuditRow>> Handle(AuditFilter filter, PageRequest page, UserScope user, CancellationToken ct)
    {
        UserRules.Require(user, OrganizationPermissions.Audit, text);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Audit.AsNoTracking();
        if (filter.UserId is { } userId) query = query.Where(a => a.UserId == userId);
        if (!string.IsNullOrWhiteSpace(filter.EntityType))
        {
            var type = EntityTypeName(db, filter.EntityType);
            query = query.Where(a => a.EntityType == type);
        }

        if (!string.IsNullOrWhiteSpace(filter.EntityId))
        {
            var id = PersianText.ToLatinDigits(filter.EntityId).Trim();
            query = query.Where(a => a.EntityId == id);
        }

        if (filter.Action is { } action) query = query.Where(a => a.Action == action);
        if (filter.From is { } from) query = query.Where(a => a.At >= from);
        if (filter.Before is { } before) query = query.Where(a => a.At < before);
        if (!string.IsNullOrWhiteSpace(filter.Q))
        {
            var q = PersianText.PersianLetters(PersianText.ToLatinDigits(filter.Q).Trim());
            query = query.Where(a => a.Detail!.Contains(q) || a.Changes!.Contains(q) || a.UserName!.Contains(q));
        }

        var total = await query.CountAsync(ct);
        var ordered = page.Sort is null || page.Desc
            ? query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            : query.OrderBy(a => a.At).ThenBy(a => a.Id);
        var entries = await ordered.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<AuditRow>(await describe.Rows(db, entries, showIp: true, user, ct), total, page.SafePage, page.SafePageSize);
    }

    public static IReadOnlyList<FieldChange> ParseChanges(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<FieldChange>>(json, AuditJson.Options) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    // The audited name of an entity type ("contact" -> "Contact"); unknown names are returned as given.
    internal static string EntityTypeName(PayvandDb db, string name)
    {
        var trimmed = name.Trim();
        return db.Model.GetEntityTypes().Where(t => !t.IsOwned()).Select(t => t.ClrType.Name)
            .FirstOrDefault(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase)) ?? trimmed;
    }
}
