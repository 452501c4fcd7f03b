using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Activities;

public enum ChangeResult
{
    Done,
    NotFound,
    NotAllowed,
}

// Corrects or deletes a logged note, call, meeting, email or SMS: by its author, or by a manager of the records it
// is about. Entries other modules wrote (deals, points...) are theirs to change (409). Each change is audited.
public sealed class ChangeActivity(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public async Task<(ChangeResult Result, TimelineItem? Item)> Update(long id, ActivityInput input, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var activity = await ListTimeline.Visible(db, user).SingleOrDefaultAsync(a => a.Id == id, ct);
        var refused = Check(activity, user);
        if (refused is not null) return (refused.Value, null);
        var v = new Validator(text);
        if (input.Kind != activity!.Kind) v.Add("kind", "The kind of an activity cannot be changed.");
        var before = Snapshot(activity);
        input.ApplyTo(activity, v, clock.GetUtcNow().UtcDateTime);
        var changes = Snapshot(activity).Zip(before, (now, was) => new FieldChange(now.Key, was.Value, now.Value))
            .Where(c => c.From != c.To).ToList();
        if (changes.Count > 0)
        {
            db.Audit.Add(Audit(AuditAction.Update, id, user, JsonSerializer.Serialize(changes, AuditJson.Options), null));
            await db.SaveChangesAsync(ct);
        }

        return (ChangeResult.Done, await ListTimeline.Item(db, id, user, ct));
    }

    public async Task<ChangeResult> Delete(long id, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var activity = await ListTimeline.Visible(db, user).SingleOrDefaultAsync(a => a.Id == id, ct);
        var refused = Check(activity, user);
        if (refused is not null) return refused.Value;
        var detail = $"{activity!.Kind} contact={activity.ContactId} company={activity.CompanyId}: {activity.Subject ?? activity.Body}";
        db.Activities.Remove(activity);
        db.Audit.Add(Audit(AuditAction.Delete, id, user, JsonSerializer.Serialize(Snapshot(activity).Select(f => new FieldChange(f.Key, f.Value, null)), AuditJson.Options), detail));
        await db.SaveChangesAsync(ct);
        return ChangeResult.Done;
    }

    private ChangeResult? Check(Activity? activity, UserScope user)
    {
        if (activity is null) return ChangeResult.NotFound;
        if (!activity.IsManual) throw new DomainRuleException(text["This entry was written by another part of Payvand and cannot be changed here."]);
        return ListTimeline.CanEdit(user, activity.Kind, activity.CreatedById) ? null : ChangeResult.NotAllowed;
    }

    private AuditEntry Audit(AuditAction action, long id, UserScope user, string changes, string? detail) => new()
    {
        At = clock.GetUtcNow().UtcDateTime,
        UserId = user.UserId > 0 ? user.UserId : null,
        UserName = user.UserName,
        Action = action,
        EntityType = nameof(Activity),
        EntityId = id.ToString(CultureInfo.InvariantCulture),
        Changes = changes,
        Detail = detail is { Length: > 1000 } ? detail[..1000] : detail,
    };

    private static KeyValuePair<string, string?>[] Snapshot(Activity a) =>
    [
        new(nameof(a.OccurredAt), a.OccurredAt.ToString("O", CultureInfo.InvariantCulture)),
        new(nameof(a.Subject), a.Subject),
        new(nameof(a.Body), a.Body),
        new(nameof(a.Direction), a.Direction?.ToString()),
        new(nameof(a.PhoneNumber), a.PhoneNumber),
        new(nameof(a.DurationSeconds), a.DurationSeconds?.ToString(CultureInfo.InvariantCulture)),
        new(nameof(a.Outcome), a.Outcome?.ToString()),
        new(nameof(a.FollowUpAt), a.FollowUpAt?.ToString("O", CultureInfo.InvariantCulture)),
        new(nameof(a.EndsAt), a.EndsAt?.ToString("O", CultureInfo.InvariantCulture)),
        new(nameof(a.Location), a.Location),
    ];
}
