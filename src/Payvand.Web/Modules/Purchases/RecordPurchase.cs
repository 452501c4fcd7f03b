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

// Records a purchase from a till, a web shop or a clerk: the purchase, the person's summary, the timeline entry and
// PurchaseRecorded (a durable event, Platform/Events) in one transaction. An order already recorded from the same source (SourceSystem and
// ExternalOrderId) is not recorded again: the caller learns the existing purchase's id.
//
// The person: by ContactId, else by Mobile, as a POS often knows only the phone number. A mobile matches the person
// (visible to the caller) who has it as a mobile, the oldest one if several do. No match creates a person in the
// purchase's branch named CustomerName, or the number itself when no name came, so the clerk can complete the record
// later. Neither given: an anonymous purchase.
//
// A purchase of a person belongs to the person's branch, whatever branch the request names or the recorder works in:
// who may see a person sees their purchases beside their summary and timeline (a purchase once took the recorder's
// branch, so the person's branch saw the summary but not the purchase). The request's branch is that of an
// anonymous purchase and of a person created from the mobile.
public sealed class RecordPurchase(
    IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text, SaveContact contacts,
    TimelineWriter timeline, EventOutbox events)
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

    // Details: the purchase as GET /api/purchases/{id} shows it, built from what was written.
    public sealed record Recorded(int Id, PurchaseDetails Details) : Outcome;

    public sealed record AlreadyRecorded(int ExistingId) : Outcome;

    // beforeCommit runs in the purchase's transaction with the answer, before the last save (the API stores its
    // Idempotency-Key answer there, IdempotencyClaim.Complete).
    //
    // Written for throughput (issue 3): one query reads what the request names (the branch, the person, the
    // products); one transaction writes the purchase and its lines, its audit entry, the person's summary and the
    // timeline entry; the answer is built from these instead of being read back.
    public async Task<Outcome> Handle(Request request, UserScope user, CancellationToken ct, Action<PayvandDb, PurchaseDetails>? beforeCommit = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var branchId = user.ChooseBranch(request.BranchId, text);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var known = await Read(db, branchId, request.ContactId, request.Lines.Select(l => l.ProductId), user, ct)
            ?? throw new ValidationException(new Dictionary<string, string[]> { ["branchId"] = [text["The branch was not found."]] });
        var purchase = Build(request, branchId, user, now, known.Products, contactFound: request.ContactId is null || known.Person is not null);
        var person = known.Person;
        var mayCreatePerson = request.ContactId is null && !string.IsNullOrWhiteSpace(request.Mobile);
        PurchaseDetails details;
        try
        {
            // A failed save ends the whole transaction (see the catch), so no savepoint around each save: two round
            // trips less.
            db.Database.AutoSavepointsEnabled = false;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // An order already recorded is found by the unique index when the purchase is inserted (see the catch
            // below); it is looked for first only when the person may be created from the mobile, so a repeated order
            // creates nobody. The person is found or created in the purchase's transaction (ResolveContact).
            if (mayCreatePerson)
            {
                if (purchase.SourceSystem is not null && await Existing(db, purchase, ct) is { } existing) return new AlreadyRecorded(existing);
                person = await ResolveContact(db, request, branchId, user, ct);
            }

            purchase.ContactId = person?.Id;
            var branchName = person is null || person.BranchId == branchId ? known.BranchName
                : await db.Branches.Where(b => b.Id == person.BranchId).Select(b => b.Name).SingleAsync(ct);
            await Write(db, [purchase], person is null ? [] : new Dictionary<int, int> { [person.Id] = person.BranchId }, ct);
            details = Details(db, purchase, person, branchName, known.Products);
            beforeCommit?.Invoke(db, details);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation() && purchase.SourceSystem is not null)
        {
            // The order was recorded before, or by another request between our check and our insert.
            db.ChangeTracker.Clear();
            if (await Existing(db, purchase, ct) is { } winner) return new AlreadyRecorded(winner);
            throw;
        }

        return new Recorded(purchase.Id, details);
    }

    // Adds purchases and what follows from them (the persons' summaries, the timeline entries, PurchaseRecorded) in the
    // caller's transaction.
    internal async Task Add(PayvandDb db, IReadOnlyList<Purchase> purchases, CancellationToken ct)
    {
        var people = purchases.Select(p => p.ContactId).OfType<int>().Distinct().ToList();
        // Projected first: ToDictionaryAsync's selectors run on loaded (and tracked) people, not in SQL.
        var branches = people.Count == 0 ? [] : await db.Contacts.IgnoreQueryFilters().Where(c => people.Contains(c.Id))
            .Select(c => new { c.Id, c.BranchId }).ToDictionaryAsync(c => c.Id, c => c.BranchId, ct);
        await Write(db, purchases, branches, ct);
        await db.SaveChangesAsync(ct);
    }

    // Inserts the purchases (their audit entries come with them), updates the persons' summaries and adds the timeline
    // entries and the PurchaseRecorded events, which the caller saves in its transaction. A purchase of a person, and
    // its timeline entry (a new purchase's entry cannot exist yet, so it is added without looking for it), go to the
    // person's branch (personBranches, by person id).
    private async Task Write(PayvandDb db, IReadOnlyList<Purchase> purchases, Dictionary<int, int> personBranches, CancellationToken ct)
    {
        foreach (var purchase in purchases)
        {
            if (purchase.ContactId is { } person) purchase.BranchId = personBranches[person];
        }

        db.Purchases.AddRange(purchases);
        await db.SaveChangesAsync(ct);
        await PurchaseSummaries.Added(db, purchases, ct);
        foreach (var purchase in purchases)
        {
            if (purchase.ContactId is not { } contactId) continue;
            timeline.AddNew(db, new TimelineEntry
            {
                ContactId = contactId,
                Type = PurchaseEntryType.Name,
                OccurredAt = purchase.OccurredAt,
                Data = new PurchaseEntryData(purchase.Total, purchase.Currency, purchase.Lines.Count),
                SourceType = "Purchase",
                SourceId = purchase.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, personBranches[contactId]);
        }

        foreach (var purchase in purchases)
        {
            events.Add(db, new PurchaseRecorded(purchase.Id, purchase.ContactId, purchase.BranchId, purchase.Total, purchase.Currency, purchase.OccurredAt));
        }
    }

    private sealed record Person(int Id, int BranchId, string? FirstName, string LastName);

    private sealed record Known(string BranchName, Person? Person, Dictionary<int, Product> Products);

    // In one query: the branch's name (null when there is no such branch), the person if the caller may see them, and
    // the catalogue products the lines name. Each of the person's columns is a scalar subquery by primary key: a
    // projection of the person as a row makes EF Core number all people (ROW_NUMBER) on SQLite. Compiled, as every
    // recorded purchase runs it; so the branch rule is applied to the person's branch here (UserScope.CanSeeBranch,
    // the rule RecordAccess.VisibleTo puts into queries) rather than in the query.
    private static async Task<Known?> Read(PayvandDb db, int branchId, int? contactId, IEnumerable<int?> productIds, UserScope user, CancellationToken ct)
    {
        var rows = new List<ReadRow>();
        await foreach (var r in ReadQuery(db, branchId, contactId ?? 0, [.. productIds.OfType<int>().Distinct()]).WithCancellation(ct)) rows.Add(r);
        if (rows.Count == 0) return null;
        var row = rows[0];
        var found = contactId is { } id && row.PersonBranch is { } personBranch && user.CanSeeBranch(personBranch)
            ? new Person(id, personBranch, row.FirstName, row.LastName!) : null;
        return new Known(row.Name, found, rows.Where(r => r.Product is not null).ToDictionary(r => r.Product!.Id, r => r.Product!));
    }

    private sealed record ReadRow(string Name, int? PersonBranch, string? FirstName, string? LastName, Product? Product);

    // A row per product named (one without a product when none is), each with the branch and the (live) person.
    private static readonly Func<PayvandDb, int, int, int[], IAsyncEnumerable<ReadRow>> ReadQuery = EF.CompileAsyncQuery(
        (PayvandDb db, int branchId, int contactId, int[] wanted) =>
            from b in db.Branches.AsNoTracking().TagWith(PreparedStatements.Tag).Where(b => b.Id == branchId)
            from p in db.Products.Where(p => wanted.Contains(p.Id)).DefaultIfEmpty()
            select new ReadRow(
                b.Name,
                db.Contacts.Where(c => c.Id == contactId).Select(c => (int?)c.BranchId).FirstOrDefault(),
                db.Contacts.Where(c => c.Id == contactId).Select(c => c.FirstName).FirstOrDefault(),
                db.Contacts.Where(c => c.Id == contactId).Select(c => c.LastName).FirstOrDefault(),
                p));

    // The purchase just written, as GetPurchase reads it back: timestamps as the database keeps them, lines in id order.
    private static PurchaseDetails Details(PayvandDb db, Purchase p, Person? person, string branchName, Dictionary<int, Product> products)
    {
        var postgres = db.Database.IsNpgsql();
        return new PurchaseDetails(
            p.Id, p.ContactId, person is null ? null : GetPurchase.Name(person.FirstName, person.LastName), p.BranchId, branchName, p.Channel,
            p.SourceSystem, p.ExternalOrderId, p.OccurredAt, p.Currency, p.Discount, p.Total, p.Refunded, p.Total - p.Refunded, p.Note,
            p.Lines.OrderBy(l => l.Id).Select(l => new PurchaseLineDto(
                l.Id, l.ProductId, l.ProductId is { } id && products.TryGetValue(id, out var product) ? product.Sku : null, l.Description, GetPurchase.Plain(l.Quantity),
                l.UnitPrice, l.Discount, l.LineTotal)).ToList(),
            [], p.Version, postgres ? ToMicroseconds(p.CreatedAt) : p.CreatedAt);
    }

    // PostgreSQL keeps instants to the microsecond (Npgsql drops the rest of the 100 ns ticks).
    private static DateTime ToMicroseconds(DateTime t) => new(t.Ticks - t.Ticks % 10, t.Kind);

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
        // To the microsecond, as PostgreSQL keeps it, so that both databases keep the same instant.
        var occurredAt = ToMicroseconds(r.OccurredAt is { } at ? (at.Kind == DateTimeKind.Utc ? at : DateTime.SpecifyKind(at.ToUniversalTime(), DateTimeKind.Utc)) : now);
        if (occurredAt > now.AddMinutes(10)) v.Add("occurredAt", "The purchase date cannot be in the future.");
        if (r.Discount < 0) v.Add("discount", "{0} cannot be negative.", text["Discount"]);
        else if (r.Discount > Purchase.MaxAmount) v.Add("discount", "{0} must be at most {1}.", text["Discount"], Purchase.MaxAmount);
        if (!contactFound) v.Add("contactId", "The person was not found.");
        if (r.ContactId is null && !string.IsNullOrWhiteSpace(r.Mobile) && !IranianPhone.TryNormalize(r.Mobile, out _)) v.Add("mobile", "The phone number is not valid.");
        if (r.Lines.Count == 0) v.Add("lines", "A purchase needs at least one line.");
        if (r.Lines.Count > Purchase.MaxLines) v.Add("lines", "At most {0} items are accepted.", Purchase.MaxLines);

        var lines = new List<PurchaseLine>();
        for (var i = 0; i < Math.Min(r.Lines.Count, Purchase.MaxLines); i++)
        {
            // Quantities are kept to three decimals (the column's scale): the total is of the quantity kept.
            var l = r.Lines[i] with { Quantity = decimal.Round(r.Lines[i].Quantity, 3, MidpointRounding.AwayFromZero) };
            var field = $"lines[{i}]";
            Product? product = null;
            if (l.ProductId is { } pid && !products.TryGetValue(pid, out product)) v.Add(field + ".productId", "The product was not found.");
            var description = Clean(l.Description) ?? product?.Name;
            v.Required(field + ".description", description, "Description");
            v.MaxLength(field + ".description", description, 300, "Description");
            if (l.Quantity <= 0) v.Add(field + ".quantity", "{0} must be more than zero.", text["Quantity"]);
            else if (l.Quantity > Purchase.MaxQuantity) v.Add(field + ".quantity", "{0} must be at most {1}.", text["Quantity"], Purchase.MaxQuantity);
            var unitPrice = l.UnitPrice ?? product?.Price;
            if (unitPrice is null) v.Add(field + ".unitPrice", "{0} is required.", text["Unit price"]);
            else if (unitPrice < 0) v.Add(field + ".unitPrice", "{0} cannot be negative.", text["Unit price"]);
            else if (unitPrice > Purchase.MaxAmount) v.Add(field + ".unitPrice", "{0} must be at most {1}.", text["Unit price"], Purchase.MaxAmount);
            if (l.Discount < 0) v.Add(field + ".discount", "{0} cannot be negative.", text["Discount"]);
            else if (l.Discount > Purchase.MaxAmount) v.Add(field + ".discount", "{0} must be at most {1}.", text["Discount"], Purchase.MaxAmount);
            if (l.Quantity is <= 0 or > Purchase.MaxQuantity || unitPrice is not (>= 0 and <= Purchase.MaxAmount) || l.Discount is < 0 or > Purchase.MaxAmount
                || description is null) continue;
            // Within the bounds quantity × price is at most 10^21: a decimal holds it; the line's amount must fit MaxAmount.
            if (decimal.Round(l.Quantity * unitPrice.Value, MidpointRounding.AwayFromZero) > Purchase.MaxAmount)
            {
                v.Add(field + ".quantity", "The line's amount must be at most {0}.", Purchase.MaxAmount);
                continue;
            }

            var total = PurchaseLine.TotalOf(l.Quantity, unitPrice.Value, l.Discount);
            if (total < 0) v.Add(field + ".discount", "The discount cannot be more than the line's amount.");
            lines.Add(new PurchaseLine { ProductId = l.ProductId, Description = PersianText.PersianLetters(description), Quantity = l.Quantity, UnitPrice = unitPrice.Value, Discount = l.Discount, LineTotal = total });
        }

        var sum = lines.Sum(l => l.LineTotal); // at most 500 × 10^15: no overflow
        if (!v.HasErrors && sum > Purchase.MaxAmount) v.Add("lines", "The purchase's amount must be at most {0}.", Purchase.MaxAmount);
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

    // The person a mobile names: the oldest live one with it as a mobile whom the caller may see, else a new person,
    // in the caller's transaction. The mobile is locked first (MobileLocks), so that of concurrent purchases naming a
    // new mobile one creates the person and the others find them: 32 parallel purchases once created 2 to 19 people.
    private async Task<Person> ResolveContact(PayvandDb db, Request r, int branchId, UserScope user, CancellationToken ct)
    {
        if (!IranianPhone.TryNormalize(r.Mobile, out var e164)) throw new InvalidOperationException("Build has checked the mobile.");
        await MobileLocks.Take(db, [e164], ct);
        // "Id IN (holders of the number)", not "has a point with the number": SQLite runs the latter as a walk over all
        // people in id order, probing the phone index for each, and the former as a few look-ups by the phone index.
        var holders = db.Contacts.SelectMany(c => c.Points)
            .Where(p => p.Kind == ContactPointKind.Mobile && p.NormalizedValue == e164).Select(p => EF.Property<int>(p, "ContactId"));
        var match = await db.Contacts.VisibleTo(user).Where(c => holders.Contains(c.Id))
            .OrderBy(c => c.Id).Select(c => new Person(c.Id, c.BranchId, c.FirstName, c.LastName)).FirstOrDefaultAsync(ct);
        if (match is not null) return match;
        var id = await CreatePerson(db, r, e164, branchId, user, ct);
        return await db.Contacts.Where(c => c.Id == id).Select(c => new Person(c.Id, c.BranchId, c.FirstName, c.LastName)).SingleAsync(ct);
    }

    // The person a purchase from a mobile nobody has creates, in the caller's transaction: a customer in the purchase's
    // branch, named CustomerName or the number itself, so the clerk can complete the record later.
    internal Task<int> CreatePerson(PayvandDb db, Request r, string e164, int branchId, UserScope user, CancellationToken ct)
    {
        var name = Clean(r.CustomerName) ?? IranianPhone.ToNational(e164);
        return contacts.Create(db, new ContactInput
        {
            LastName = name.Length > 100 ? name[..100] : name,
            BranchId = branchId,
            Lifecycle = LifecycleStage.Customer,
            Points = [new ContactPointInput(ContactPointKind.Mobile, e164, IsPrimary: true)],
        }, user, ct, RecordSource.Pos);
    }

    // An order's key among others: its source system and its order number there.
    internal static string OrderKey(string source, string order) => source + "\n" + order;

    // The purchases already recorded for these orders, by OrderKey: one query, whatever the number of orders.
    internal static async Task<Dictionary<string, int>> RecordedOrders(PayvandDb db, IReadOnlyCollection<(string Source, string Order)> orders, CancellationToken ct)
    {
        if (orders.Count == 0) return new Dictionary<string, int>(StringComparer.Ordinal);
        var sources = orders.Select(o => o.Source).Distinct().ToList();
        var numbers = orders.Select(o => o.Order).Distinct().ToList();
        return (await db.Purchases.AsNoTracking()
                .Where(p => p.SourceSystem != null && sources.Contains(p.SourceSystem) && numbers.Contains(p.ExternalOrderId!))
                .Select(p => new { p.SourceSystem, p.ExternalOrderId, p.Id }).ToListAsync(ct))
            .ToDictionary(p => OrderKey(p.SourceSystem!, p.ExternalOrderId!), p => p.Id, StringComparer.Ordinal);
    }

    // For each normalized value (a mobile in E.164, an email), the oldest live person the user may see who has it as a
    // point of that kind, the rule a purchase's mobile follows: one query for all the values.
    internal static async Task<Dictionary<string, int>> Holders(
        PayvandDb db, UserScope user, ContactPointKind kind, IReadOnlyCollection<string> values, CancellationToken ct)
    {
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        if (values.Count == 0) return found;
        var matches = await db.Contacts.VisibleTo(user).SelectMany(c => c.Points, (c, p) => new { c.Id, p.Kind, p.NormalizedValue })
            .Where(x => x.Kind == kind && values.Contains(x.NormalizedValue)).ToListAsync(ct);
        foreach (var m in matches) found[m.NormalizedValue] = Math.Min(found.GetValueOrDefault(m.NormalizedValue, int.MaxValue), m.Id);
        return found;
    }

    // The instant of a purchase given as a day (from the form or a file) and maybe a time, in the business's time zone.
    // A day alone is taken at noon, so it shows as that day in any nearby zone; today at noon, if still to come, is now.
    public static DateTime OccurredOn(DateOnly day, TimeOnly? time, DateTime nowUtc, TimeZoneInfo zone)
    {
        var utc = TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(time ?? new TimeOnly(12, 0)), zone);
        return time is null && utc > nowUtc && DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone)) == day ? nowUtc : utc;
    }

    internal static string? Clean(string? s)
    {
        s = StoredText.CleanOrNull(s); // control characters are not stored (StoredText): text of only them is none
        return string.IsNullOrWhiteSpace(s) ? null : PersianText.ToLatinDigits(s.Trim());
    }
}
