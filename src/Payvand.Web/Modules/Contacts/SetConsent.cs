using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Contacts;

public sealed record ConsentHistoryItem(ConsentChannel Channel, ConsentStatus Status, string Source, DateTime RecordedAt, string? RecordedBy, string? Note);

// Records a consent change (opt-in, opt-out) with where it came from, and reads the full history.
public sealed class SetConsent(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public sealed record Request(ConsentChannel Channel, ConsentStatus Status, string? Source = null, string? Note = null);

    public async Task<bool> Handle(int contactId, Request request, UserScope user, CancellationToken ct)
    {
        new Validator(text).MaxLength("source", request.Source, 100, "Source").MaxLength("note", request.Note, 500, "Note").ThrowIfAny();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var contact = await db.Contacts.VisibleTo(user).SingleOrDefaultAsync(c => c.Id == contactId, ct);
        if (contact is null) return false;
        if (contact.ConsentFor(request.Channel) == request.Status && request.Note is null) return true;
        contact.SetConsent(request.Channel, request.Status, string.IsNullOrWhiteSpace(request.Source) ? "manual" : request.Source.Trim(),
            clock.GetUtcNow().UtcDateTime, user.UserId > 0 ? user.UserId : null, request.Note);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<List<ConsentHistoryItem>?> History(int contactId, UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Contacts.VisibleTo(user).AnyAsync(c => c.Id == contactId, ct)) return null;
        return await db.ConsentRecords.Where(r => r.ContactId == contactId).OrderByDescending(r => r.RecordedAt).ThenByDescending(r => r.Id)
            .Select(r => new ConsentHistoryItem(r.Channel, r.Status, r.Source, r.RecordedAt,
                db.Users.Where(u => u.Id == r.RecordedById).Select(u => u.DisplayName).FirstOrDefault(), r.Note))
            .ToListAsync(ct);
    }
}
