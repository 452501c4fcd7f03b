using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Events;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Purchases;

// Records a purchase from a till, a web shop or a clerk: the purchase, the person's summary and the timeline entry in
// one transaction, then PurchaseRecorded. An order already recorded from the same source (SourceSystem and
// ExternalOrderId) is not recorded again: the caller learns the existing purchase's id.
//
// The person: by ContactId, else by Mobile, as a POS often knows only the phone number. A mobile matches the person
// (visible to the caller) who has it as a mobile, the oldest one if several do. No match creates a person in the
// purchase's branch named CustomerName, or the number itself when no name came, so the clerk can complete the record
// later. Neither given: an anonymous purchase.
public sealed class RecordPurchase(
    IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text, SaveContact contacts,
    TimelineWriter timeline, DomainEvents events)
{
    public sealed record LineInput(int? ProductId = null, string? Description = null, decimal Quantity = 1, long? UnitPrice = null, long Discount = 0);

    public sealed record Request
    {
        public int? ContactId { get; init; }

        public string? Mobile { get; init; }

        public string? CustomerName { get; init; }

        public int? BranchId { get; init; }

        public PurchaseChannel Channel { get; init; }

        public string? SourceSystem { get; init; }

        public string? ExternalOrderId { get; init; }

        // UTC; now when left out.
        public DateTime? OccurredAt { get; init; }

        public string? Currency { get; init; }

        public long Discount { get; init; }

        public string? Note { get; init; }

        public List<LineInput> Lines { get; init; } = [];
    }

    public abstract record Outcome;

    public sealed record Recorded(int Id) : Outcome;

    public sealed record AlreadyRecorded(int ExistingId) : Outcome;

    public async Task<Outcome> Handle(Request request, UserScope user, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var branchId = user.ChooseBranch(request.BranchId, text);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var contactFound = request.ContactId is not { } contactId || await db.Contacts.VisibleTo(user).AnyAsync(c => c.Id == contactId, ct);
        var products = await Products(db, request.Lines.Select(l => l.ProductId), ct);
        var purchase = Build(request, branchId, user, now, products, contactFound);
        // An order already recorded is found by the unique index when the purchase is inserted (see the catch below);
        // it is looked for first only when the person may be created from the mobile, so a repeated order creates nobody.
        var mayCreatePerson = request.ContactId is null && !string.IsNullOrWhiteSpace(request.Mobile);
        if (mayCreatePerson && purchase.SourceSystem is not null && await Existing(db, purchase, ct) is { } existing) return new AlreadyRecorded(existing);

        purchase.ContactId = await ResolveContact(db, request, branchId, user, ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await Add(db, [purchase], ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation() && purchase.SourceSystem is not null)
        {
            // The order was recorded before, or by another request between our check and our insert.
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            if (await Existing(again, purchase, ct) is { } winner) return new AlreadyRecorded(winner);
            throw;
        }

        await Publish(purchase, ct);
        return new Recorded(purchase.Id);
    }

    // Adds purchases and what follows from them (the persons' summaries, the timeline entries) in the caller's
    // transaction. Once it has committed, the caller publishes each one (Publish).
    internal async Task Add(PayvandDb db, IReadOnlyList<Purchase> purchases, CancellationToken ct)
    {
        db.Purchases.AddRange(purchases);
        await db.SaveChangesAsync(ct);
        foreach (var purchase in purchases)
        {
            await PurchaseSummaries.Added(db, purchase, ct);
            if (purchase.ContactId is not { } contactId) continue;
            await timeline.Write(db, new TimelineEntry
            {
                ContactId = contactId,
                Type = "purchase",
                OccurredAt = purchase.OccurredAt,
                Subject = text["Purchase of {0}", MoneyText.Of(purchase.Total, purchase.Currency)],
                SourceType = "Purchase",
                SourceId = purchase.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, ct);
        }

        await db.SaveChangesAsync(ct);
    }

    internal Task Publish(Purchase purchase, CancellationToken ct) =>
        events.Publish(new PurchaseRecorded(purchase.Id, purchase.ContactId, purchase.BranchId, purchase.Total, purchase.Currency, purchase.OccurredAt), ct);

    // The catalogue products the lines name (no query when none does).
    internal static async Task<Dictionary<int, Product>> Products(PayvandDb db, IEnumerable<int?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<int>().Distinct().ToList();
        return wanted.Count == 0 ? [] : await db.Products.AsNoTracking().Where(p => wanted.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
    }

    private static Task<int?> Existing(PayvandDb db, Purchase p, CancellationToken ct) =>
        db.Purchases.Where(x => x.SourceSystem == p.SourceSystem && x.ExternalOrderId == p.ExternalOrderId)
            .Select(x => (int?)x.Id).FirstOrDefaultAsync(ct);

    // The purchase a request describes, checked by the rules every way in shares (API, form, import); a broken rule
    // is a ValidationException with the field names of the request (lines[0].quantity). The products are those the
    // lines name; contactFound says whether the request's person exists and is visible to the user.
    internal Purchase Build(Request r, int branchId, UserScope user, DateTime now, IReadOnlyDictionary<int, Product> products, bool contactFound)
    {
        var v = new Validator(text);
        var source = Clean(r.SourceSystem);
        var external = Clean(r.ExternalOrderId);
        if (source is null != (external is null)) v.Add(source is null ? "sourceSystem" : "externalOrderId", "Give both the source system and its order number, or neither.");
        v.MaxLength("sourceSystem", source, 50, "Source system");
        v.MaxLength("externalOrderId", external, 100, "Order number");
        v.MaxLength("note", r.Note, 1000, "Note");
        var currency = (Clean(r.Currency) ?? Purchase.DefaultCurrency).ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)) v.Add("currency", "The currency must be a three-letter code such as IRR.");
        if (!Enum.IsDefined(r.Channel)) v.Add("channel", "{0} must be one of: {1}.", "channel", string.Join(", ", Enum.GetNames<PurchaseChannel>()));
        var occurredAt = r.OccurredAt is { } at ? (at.Kind == DateTimeKind.Utc ? at : DateTime.SpecifyKind(at.ToUniversalTime(), DateTimeKind.Utc)) : now;
        if (occurredAt > now.AddMinutes(10)) v.Add("occurredAt", "The purchase date cannot be in the future.");
        if (r.Discount < 0) v.Add("discount", "{0} cannot be negative.", text["Discount"]);
        if (!contactFound) v.Add("contactId", "The person was not found.");
        if (r.ContactId is null && !string.IsNullOrWhiteSpace(r.Mobile) && !IranianPhone.TryNormalize(r.Mobile, out _)) v.Add("mobile", "The phone number is not valid.");
        if (r.Lines.Count == 0) v.Add("lines", "A purchase needs at least one line.");

        var lines = new List<PurchaseLine>();
        for (var i = 0; i < r.Lines.Count; i++)
        {
            var l = r.Lines[i];
            var field = $"lines[{i}]";
            Product? product = null;
            if (l.ProductId is { } pid && !products.TryGetValue(pid, out product)) v.Add(field + ".productId", "The product was not found.");
            var description = Clean(l.Description) ?? product?.Name;
            v.Required(field + ".description", description, "Description");
            v.MaxLength(field + ".description", description, 300, "Description");
            if (l.Quantity <= 0) v.Add(field + ".quantity", "{0} must be more than zero.", text["Quantity"]);
            var unitPrice = l.UnitPrice ?? product?.Price;
            if (unitPrice is null) v.Add(field + ".unitPrice", "{0} is required.", text["Unit price"]);
            else if (unitPrice < 0) v.Add(field + ".unitPrice", "{0} cannot be negative.", text["Unit price"]);
            if (l.Discount < 0) v.Add(field + ".discount", "{0} cannot be negative.", text["Discount"]);
            if (l.Quantity <= 0 || unitPrice is not >= 0 || l.Discount < 0 || description is null) continue;
            var total = PurchaseLine.TotalOf(l.Quantity, unitPrice.Value, l.Discount);
            if (total < 0) v.Add(field + ".discount", "The discount cannot be more than the line's amount.");
            lines.Add(new PurchaseLine { ProductId = l.ProductId, Description = PersianText.PersianLetters(description), Quantity = l.Quantity, UnitPrice = unitPrice.Value, Discount = l.Discount, LineTotal = total });
        }

        var sum = lines.Sum(l => l.LineTotal);
        if (!v.HasErrors && r.Discount > sum) v.Add("discount", "The discount cannot be more than the purchase's amount.");
        v.ThrowIfAny();
        return new Purchase
        {
            BranchId = branchId,
            OwnerId = user.UserId > 0 ? user.UserId : null,
            Channel = r.Channel,
            SourceSystem = source,
            ExternalOrderId = external,
            OccurredAt = occurredAt,
            Currency = currency,
            Discount = r.Discount,
            Total = sum - r.Discount,
            Note = Clean(r.Note),
            Lines = lines,
        };
    }

    private async Task<int?> ResolveContact(PayvandDb db, Request r, int branchId, UserScope user, CancellationToken ct)
    {
        if (r.ContactId is { } id) return id;
        if (string.IsNullOrWhiteSpace(r.Mobile) || !IranianPhone.TryNormalize(r.Mobile, out var e164)) return null;
        // "Id IN (holders of the number)", not "has a point with the number": SQLite runs the latter as a walk over all
        // people in id order, probing the phone index for each, and the former as a few look-ups by the phone index.
        var holders = db.Contacts.SelectMany(c => c.Points)
            .Where(p => p.Kind == ContactPointKind.Mobile && p.NormalizedValue == e164).Select(p => EF.Property<int>(p, "ContactId"));
        var match = await db.Contacts.VisibleTo(user).Where(c => holders.Contains(c.Id))
            .OrderBy(c => c.Id).Select(c => (int?)c.Id).FirstOrDefaultAsync(ct);
        if (match is not null) return match;
        var name = Clean(r.CustomerName) ?? IranianPhone.ToNational(e164);
        return await contacts.Create(new ContactInput
        {
            LastName = name.Length > 100 ? name[..100] : name,
            BranchId = branchId,
            Lifecycle = LifecycleStage.Customer,
            Points = [new ContactPointInput(ContactPointKind.Mobile, e164, IsPrimary: true)],
        }, user, ct, RecordSource.Pos);
    }

    // The instant of a purchase given as a day (from the form or a file) and maybe a time, in the business's time zone.
    // A day alone is taken at noon, so it shows as that day in any nearby zone; today at noon, if still to come, is now.
    public static DateTime OccurredOn(DateOnly day, TimeOnly? time, DateTime nowUtc)
    {
        var utc = TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(time ?? new TimeOnly(12, 0)), ContactPermission.BusinessZone);
        return time is null && utc > nowUtc && DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(nowUtc, ContactPermission.BusinessZone)) == day ? nowUtc : utc;
    }

    internal static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : PersianText.ToLatinDigits(s.Trim());
}

// The amount written into timeline subjects: the stored text does not follow later changes of the display unit,
// so it is written in rials with Latin digits, which every culture reads.
internal static class MoneyText
{
    public static string Of(long amount, string currency) =>
        amount.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture) + " " + currency;
}
