using System.Data;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Segments;

namespace Payvand.Modules.Segments;

// What the editor or an API client sends to save a segment. A static segment made this way is frozen from its rule at once.
public sealed record SegmentInput
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public SegmentKind Kind { get; init; } = SegmentKind.Dynamic;

    // Required for a dynamic segment (no conditions: everyone); a static list keeps its members and ignores a new rule.
    public SegmentRule? Rule { get; init; }

    public bool IsShared { get; init; }
}

// A static list of the people of a people-list view: Query is the list's query string ("city=تهران&tag=vip").
public sealed record ListFreezeInput(string? Name, string? Query, string? Description = null, bool IsShared = false);

// Naming the static list a segment is frozen into; no name: the segment's, with today's date.
public sealed record FreezeInput(string? Name = null, string? Description = null, bool IsShared = false);

public enum SegmentOutcome
{
    Changed,
    NotFound,
    NotYours,
}

// Creates, changes, deletes and freezes segments. Names are unique; rules are checked by the compiler and their errors
// named after their place ("rule.conditions[1].values"). A static list is filled by one INSERT ... SELECT from the
// query of its source, so no person passes through the application. Changes are audited (Segment is IAudited).
public sealed class SaveSegment(
    IDbContextFactory<PayvandDb> dbFactory, SegmentCompiler compiler, SegmentPeople segments, ISegmentFilter filters, IStringLocalizer<SharedResource> text)
{
    public async Task<int> Create(SegmentInput input, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var v = Check(input.Name, input.Description);
        if (!Enum.IsDefined(input.Kind)) v.Add("kind", "{0} must be one of: {1}.", text["Kind"], string.Join(", ", Enum.GetNames<SegmentKind>()));
        var rule = input.Rule ?? new SegmentRule();
        var context = await segments.Context(ct);
        var ids = CompileInto(v, db, rule, context);
        v.ThrowIfAny();
        var segment = New(input.Name!, input.Description, input.Kind, rule, input.IsShared, user);
        if (input.Kind == SegmentKind.Dynamic) return await Add(db, segment, null, ct);
        var people = db.Contacts.VisibleTo(user);
        return await Add(db, segment, (ids is null ? people : people.Where(c => ids.Contains(c.Id))).Select(c => c.Id), ct);
    }

    public async Task<SegmentOutcome> Update(int id, SegmentInput input, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var segment = await db.Set<Segment>().Where(ListSegments.Usable(user)).SingleOrDefaultAsync(s => s.Id == id, ct);
        if (segment is null) return SegmentOutcome.NotFound;
        if (!ListSegments.Changeable(segment, user)) return SegmentOutcome.NotYours;
        var v = Check(input.Name, input.Description);
        if (input.Kind != segment.Kind) v.Add("kind", "A segment's kind cannot change: freeze a dynamic segment into a static list instead.");
        if (segment.Kind == SegmentKind.Dynamic)
        {
            var rule = input.Rule ?? new SegmentRule();
            CompileInto(v, db, rule, await segments.Context(ct));
            segment.Rule = JsonSerializer.Serialize(rule, SegmentPeople.Json);
        }

        v.ThrowIfAny();
        segment.Name = input.Name!.Trim();
        segment.Description = Description(input.Description);
        segment.IsShared = input.IsShared;
        await Save(db, ct);
        return SegmentOutcome.Changed;
    }

    public async Task<SegmentOutcome> Delete(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var segment = await db.Set<Segment>().Where(ListSegments.Usable(user)).SingleOrDefaultAsync(s => s.Id == id, ct);
        if (segment is null) return SegmentOutcome.NotFound;
        if (!ListSegments.Changeable(segment, user)) return SegmentOutcome.NotYours;
        db.Remove(segment); // its members go with it (cascade)
        await db.SaveChangesAsync(ct);
        return SegmentOutcome.Changed;
    }

    // A static list of the segment's people the caller sees now; null when there is no such segment for them.
    public async Task<int?> Freeze(int id, FreezeInput input, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.Set<Segment>().AsNoTracking().Where(ListSegments.Usable(user)).SingleOrDefaultAsync(s => s.Id == id, ct);
        if (source is null) return null;
        var context = await segments.Context(ct);
        var name = string.IsNullOrWhiteSpace(input.Name) ? DefaultName(source.Name, context) : input.Name;
        var v = Check(name, input.Description ?? source.Description);
        v.ThrowIfAny();
        var people = await segments.People(db, id, user, ct);
        var segment = New(name, input.Description ?? source.Description, SegmentKind.Static, null, input.IsShared, user);
        segment.Rule = source.Rule;
        return await Add(db, segment, people!.Select(c => c.Id), ct);
    }

    // A static list of the people a people-list view shows (its filters, as GET /api/contacts reads them).
    public async Task<int> FromList(ListFreezeInput input, UserScope user, CancellationToken ct)
    {
        var v = Check(input.Name, input.Description);
        var q = new QueryReader(new QueryCollection(QueryHelpers.ParseQuery(input.Query ?? "")), text);
        var filter = ContactsModule.ReadFilter(q);
        q.ThrowIfAny();
        v.ThrowIfAny();
        if (filter.Deleted) user.Require(ContactsPermissions.Delete, text["Only managers can see deleted records."]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var segment = New(input.Name!, input.Description, SegmentKind.Static, null, input.IsShared, user);
        return await Add(db, segment, ListContacts.Query(db, filter, user, segments: filters).Select(c => c.Id), ct);
    }

    private string DefaultName(string name, SegmentContext context)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(context.NowUtc, context.Zone));
        var day = Cultures.IsPersian(CultureInfo.CurrentUICulture) ? Jalali.Format(today) : today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var suffix = text["{0} (frozen {1})", "", day].Value;
        return name[..Math.Min(name.Length, Segment.NameLength - suffix.Length)] + suffix;
    }

    private Validator Check(string? name, string? description)
    {
        var v = new Validator(text);
        var clean = StoredText.CleanOrNull(name)?.Trim();
        v.Required("name", clean, "Name").MaxLength("name", clean, Segment.NameLength, "Name");
        v.MaxLength("description", description, Segment.DescriptionLength, "Description");
        return v;
    }

    private IQueryable<int>? CompileInto(Validator v, PayvandDb db, SegmentRule rule, SegmentContext context)
    {
        try
        {
            return compiler.Compile(db, rule, context);
        }
        catch (ValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                foreach (var message in messages) v.Add("rule." + field, "{0}", message);
            }

            return null;
        }
    }

    private static string? Description(string? description) => StoredText.CleanOrNull(description)?.Trim() is { Length: > 0 } d ? d : null;

    private static Segment New(string name, string? description, SegmentKind kind, SegmentRule? rule, bool shared, UserScope user) => new()
    {
        Name = StoredText.CleanOrNull(name)!.Trim(),
        Description = Description(description),
        Kind = kind,
        Rule = rule is null ? null : JsonSerializer.Serialize(rule, SegmentPeople.Json),
        IsShared = shared,
        CreatedById = user.UserId > 0 ? user.UserId : null,
    };

    // Saves the segment and, for a static list, its members, in one transaction.
    private async Task<int> Add(PayvandDb db, Segment segment, IQueryable<int>? members, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Add(segment);
        await Save(db, ct);
        if (members is not null) await AddMembers(db, segment.Id, members, ct);
        await tx.CommitAsync(ct);
        return segment.Id;
    }

    // INSERT INTO SegmentMembers SELECT the segment, the people: the statement EF Core makes of the query, with its own
    // parameters, inside the caller's transaction. Nothing of the rule's values is written into the text.
    private static async Task AddMembers(PayvandDb db, int segmentId, IQueryable<int> people, CancellationToken ct)
    {
        await using var command = people.CreateDbCommand();
        var segment = command.CreateParameter();
        segment.ParameterName = "into_segment"; // unlike any name EF Core gives (parameter names are case-insensitive)
        segment.DbType = DbType.Int32;
        segment.Value = segmentId;
        command.Parameters.Add(segment);
        command.CommandText = $"INSERT INTO \"SegmentMembers\" (\"SegmentId\", \"ContactId\") SELECT @into_segment, x.* FROM ({command.CommandText}) AS x";
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        if (db.Database.GetCommandTimeout() is { } timeout) command.CommandTimeout = timeout;
        await command.ExecuteNonQueryAsync(ct);
    }

    // A name taken by another segment is a field error, found by the unique index (no read-then-write race).
    private async Task Save(PayvandDb db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            new Validator(text).Add("name", "Another segment is already called this.").ThrowIfAny();
        }
    }
}
