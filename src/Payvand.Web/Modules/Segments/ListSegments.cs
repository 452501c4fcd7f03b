using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Segments;

namespace Payvand.Modules.Segments;

// A segment as the API and the pages see it. IsMine: the caller may change it (their own, or any for an administrator).
public sealed record SegmentDto(
    int Id, string Name, string? Description, SegmentKind Kind, SegmentRule? Rule, bool IsShared, bool IsMine, int? CreatedById,
    string? CreatedBy, DateTime CreatedAt, DateTime UpdatedAt);

// The segments a user may use: their own and those shared with the team (an administrator sees every one).
public sealed class ListSegments(IDbContextFactory<PayvandDb> dbFactory)
{
    internal static Expression<Func<Segment, bool>> Usable(UserScope user)
    {
        var admin = user.IsAdmin;
        var me = user.UserId;
        return s => admin || s.IsShared || s.CreatedById == me;
    }

    public async Task<List<SegmentDto>> Handle(UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Dtos(db, db.Set<Segment>().Where(Usable(user)).OrderBy(s => s.Name).ThenBy(s => s.Id), user, ct);
    }

    public async Task<SegmentDto?> Get(int id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await Dtos(db, db.Set<Segment>().Where(Usable(user)).Where(s => s.Id == id), user, ct)).SingleOrDefault();
    }

    internal static bool Changeable(Segment s, UserScope user) => user.IsAdmin || s.CreatedById == user.UserId;

    private static async Task<List<SegmentDto>> Dtos(PayvandDb db, IQueryable<Segment> segments, UserScope user, CancellationToken ct)
    {
        var rows = await segments.AsNoTracking()
            .Select(s => new { Segment = s, CreatedBy = db.Users.Where(u => u.Id == s.CreatedById).Select(u => u.DisplayName).FirstOrDefault() })
            .ToListAsync(ct);
        return rows.Select(r => new SegmentDto(
            r.Segment.Id, r.Segment.Name, r.Segment.Description, r.Segment.Kind, r.Segment.Rule is null ? null : SegmentPeople.ReadRule(r.Segment.Rule),
            r.Segment.IsShared, Changeable(r.Segment, user), r.Segment.CreatedById, r.CreatedBy, r.Segment.CreatedAt, r.Segment.UpdatedAt)).ToList();
    }
}
