using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Contacts;

public sealed record ConsentHistoryItem(string Channel, ConsentStatus Status, string Source, DateTime RecordedAt, string? RecordedBy, string? Note, ContactPurpose Purpose);

// Records a consent change (opt-in, opt-out) on a channel for a purpose with where it came from, and reads the full history.
public sealed class SetConsent(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    // Channel is a channel key (sms, email, call, fax or one added as data); without a purpose the change is promotional
    // consent, the only kind there was before purposes.
    public sealed record Request(string Channel, ConsentStatus Status, string? Source = null, string? Note = null, ContactPurpose Purpose = ContactPurpose.Promotional);

    public async Task<bool> Handle(int contactId, Request request, UserScope user, CancellationToken ct)
    {
        var v = new Validator(text).MaxLength("source", request.Source, 100, "Source").MaxLength("note", request.Note, 500, "Note");
        if (!Enum.IsDefined(request.Status)) v.Add("status", "{0} must be one of: {1}.", text["Consent"], string.Join(", ", Enum.GetNames<ConsentStatus>()));
        if (!Enum.IsDefined(request.Purpose)) v.Add("purpose", "{0} must be one of: {1}.", text["Purpose"], string.Join(", ", Enum.GetNames<ContactPurpose>()));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channel = await Reachability.FindChannel(db, request.Channel, v, ct);
        v.ThrowIfAny();
        var contact = await db.Contacts.VisibleTo(user).Include(c => c.Consents).SingleOrDefaultAsync(c => c.Id == contactId, ct);
        if (contact is null) return false;
        if (contact.ConsentFor(channel!.Key, request.Purpose) == request.Status && request.Note is null) return true;
        contact.SetConsent(channel.Key, request.Purpose, request.Status, string.IsNullOrWhiteSpace(request.Source) ? "manual" : request.Source.Trim(),
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
                db.Users.Where(u => u.Id == r.RecordedById).Select(u => u.DisplayName).FirstOrDefault(), r.Note, r.Purpose))
            .ToListAsync(ct);
    }
}
