using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Contacts;

// Two people a user said are not the same person: FindDuplicates no longer pairs them. Stored once per pair, the
// lower id first.
public sealed class NotDuplicate
{
    public int LowId { get; set; }

    public int HighId { get; set; }

    public int? MarkedById { get; set; }

    public DateTime MarkedAt { get; set; }
}

internal sealed class NotDuplicateConfiguration : IEntityTypeConfiguration<NotDuplicate>
{
    public void Configure(EntityTypeBuilder<NotDuplicate> b)
    {
        b.HasKey(n => new { n.LowId, n.HighId });
        b.HasOne<Contact>().WithMany().HasForeignKey(n => n.LowId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Contact>().WithMany().HasForeignKey(n => n.HighId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(n => n.MarkedById).OnDelete(DeleteBehavior.SetNull);
    }
}

// "Not a duplicate" on the duplicates page (POST /api/contacts/duplicates/dismissed): the pair is kept, audited on both
// people, and not shown again; DELETE takes it back.
public sealed class NotDuplicates(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public sealed record Request(int ContactId, int OtherId);

    public async Task Mark(Request request, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (low, high) = await Pair(db, request, user, ct);
        if (await db.NotDuplicates.AnyAsync(n => n.LowId == low && n.HighId == high, ct)) return;
        var now = clock.GetUtcNow().UtcDateTime;
        db.NotDuplicates.Add(new NotDuplicate { LowId = low, HighId = high, MarkedById = user.UserId > 0 ? user.UserId : null, MarkedAt = now });
        Audit(db, user, now, low, high, "Not the same person as #{0}");
        await db.SaveChangesAsync(ct);
    }

    public async Task<bool> Unmark(Request request, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (low, high) = await Pair(db, request, user, ct);
        var pair = await db.NotDuplicates.SingleOrDefaultAsync(n => n.LowId == low && n.HighId == high, ct);
        if (pair is null) return false;
        db.NotDuplicates.Remove(pair);
        Audit(db, user, clock.GetUtcNow().UtcDateTime, low, high, "Possibly the same person as #{0} again");
        await db.SaveChangesAsync(ct);
        return true;
    }

    private async Task<(int Low, int High)> Pair(PayvandDb db, Request request, UserScope user, CancellationToken ct)
    {
        var v = new Validator(text);
        if (request.ContactId == request.OtherId) v.Add("otherId", "Choose two different people.");
        var ids = new[] { request.ContactId, request.OtherId };
        var seen = await db.Contacts.VisibleTo(user).Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
        if (!seen.Contains(request.ContactId)) v.Add("contactId", "The person was not found.");
        if (!seen.Contains(request.OtherId)) v.Add("otherId", "The other person was not found.");
        v.ThrowIfAny();
        return (Math.Min(request.ContactId, request.OtherId), Math.Max(request.ContactId, request.OtherId));
    }

    private static void Audit(PayvandDb db, UserScope user, DateTime now, int low, int high, string detail)
    {
        foreach (var (id, other) in new[] { (low, high), (high, low) })
        {
            db.Audit.Add(new AuditEntry
            {
                At = now,
                UserId = user.UserId > 0 ? user.UserId : null,
                UserName = user.UserName,
                Action = AuditAction.Update,
                EntityType = nameof(Contact),
                EntityId = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Detail = string.Format(System.Globalization.CultureInfo.InvariantCulture, detail, other),
            });
        }
    }

    internal static void Map(RouteGroupBuilder contacts)
    {
        contacts.MapPost("/duplicates/dismissed", async Task<NoContent> (Request request, ClaimsPrincipal me, NotDuplicates pairs, CancellationToken ct) =>
            {
                await pairs.Mark(request, me.Scope(), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Not a duplicate: the two people (contactId, otherId) are different people; the duplicates list no longer pairs them")
            .RequireAuthorization(ContactsPermissions.Write);

        contacts.MapDelete("/duplicates/dismissed/{contactId:int}/{otherId:int}", async Task<Results<NoContent, NotFound>> (
                int contactId, int otherId, ClaimsPrincipal me, NotDuplicates pairs, CancellationToken ct) =>
                await pairs.Unmark(new Request(contactId, otherId), me.Scope(), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Take back a \"not a duplicate\": the pair may be listed as duplicates again")
            .RequireAuthorization(ContactsPermissions.Write);
    }
}
