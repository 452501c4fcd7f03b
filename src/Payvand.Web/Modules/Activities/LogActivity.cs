using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Activities;

// Logs a note, call, meeting, email or SMS on a person and/or company the caller can see. The entry takes the
// branch of the person, or of the company when there is no person. Returns null when the subject named by the
// route is not visible (404); other problems are field errors (400).
public sealed class LogActivity(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public async Task<TimelineItem?> OnContact(int contactId, ActivityInput input, UserScope user, CancellationToken ct) =>
        await Handle(input with { ContactId = contactId }, routeIsContact: true, user, ct);

    public async Task<TimelineItem?> OnCompany(int companyId, ActivityInput input, UserScope user, CancellationToken ct) =>
        await Handle(input with { CompanyId = companyId }, routeIsContact: false, user, ct);

    // For forms that choose the person and/or company themselves: both are field errors when not visible.
    public async Task<TimelineItem> Handle(ActivityInput input, UserScope user, CancellationToken ct) =>
        (await Handle(input, routeIsContact: null, user, ct))!;

    private async Task<TimelineItem?> Handle(ActivityInput input, bool? routeIsContact, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var v = new Validator(text);
        int? branchId = null;
        if (input.ContactId is { } contactId)
        {
            branchId = await db.Contacts.VisibleTo(user).Where(c => c.Id == contactId).Select(c => (int?)c.BranchId).SingleOrDefaultAsync(ct);
            if (branchId is null && routeIsContact == true) return null;
            if (branchId is null) v.Add("contactId", "The person was not found.");
        }

        if (input.CompanyId is { } companyId)
        {
            var companyBranch = await db.Companies.VisibleTo(user).Where(c => c.Id == companyId).Select(c => (int?)c.BranchId).SingleOrDefaultAsync(ct);
            if (companyBranch is null && routeIsContact == false) return null;
            if (companyBranch is null) v.Add("companyId", "The company was not found.");
            branchId ??= companyBranch;
        }

        if (input.ContactId is null && input.CompanyId is null) v.Add("contactId", "Choose a person or a company.");
        if (!ActivityInput.LoggableKinds.Contains(input.Kind))
        {
            v.Add("kind", "{0} must be one of: {1}.", v.Text["Type"], string.Join(", ", ActivityInput.LoggableKinds));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var activity = new Activity
        {
            Kind = input.Kind,
            ContactId = input.ContactId,
            CompanyId = input.CompanyId,
            BranchId = branchId ?? 0,
            CreatedById = user.UserId > 0 ? user.UserId : null,
            CreatedAt = now,
        };
        input.ApplyTo(activity, v, now); // throws every field error found so far, with its own
        db.Activities.Add(activity);
        await db.SaveChangesAsync(ct);
        return await ListTimeline.Item(db, activity.Id, user, ct);
    }
}
