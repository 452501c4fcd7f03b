using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Purchases;

// Records up to MaxPurchases purchases in one request, as a till sends the orders of a shift or an online shop its
// backlog. Each purchase follows RecordPurchase's rules (the same fields, checks and person matching), and each gets
// its own answer, in the order sent:
// - Created, with its id. All created purchases are written in one transaction, with their persons' summaries,
//   timeline entries and audit entries.
// - AlreadyRecorded, with the id of the purchase already recorded for the same source order (SourceSystem and
//   ExternalOrderId): recorded before, by a concurrent request, or earlier in the same batch. Nothing is written.
// - Invalid, with field errors named as in a single request (lines[0].quantity). The others are recorded all the same,
//   so a till can send its queue and keep only what was refused.
// A request that is not a batch (no purchases, too many) is refused whole.
public sealed class RecordPurchaseBatch(
    IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text, RecordPurchase record)
{
    public const int MaxPurchases = 500;

    // Lines in one batch, all purchases together: 500 purchases of 500 lines each would be a quarter of a million rows
    // in one request. A shift's orders are a few lines each.
    public const int MaxLines = 5_000;

    public sealed record Request
    {
        public List<RecordPurchase.Request> Purchases { get; init; } = [];
    }

    public enum ItemOutcome
    {
        Created,
        AlreadyRecorded,
        Invalid,
    }

    // Index: the purchase's place in the request, from 0.
    public sealed record ItemResult(int Index, ItemOutcome Outcome, int? PurchaseId, IReadOnlyDictionary<string, string[]>? Errors);

    public sealed record Result(int Created, int AlreadyRecorded, int Invalid, List<ItemResult> Purchases);

    // beforeCommit runs in the transaction that writes the created purchases, with the answer (the API stores its
    // Idempotency-Key answer there). When nothing is to be written it is not called.
    public async Task<Result> Handle(Request request, UserScope user, CancellationToken ct, Action<PayvandDb, Result>? beforeCommit = null)
    {
        if (request.Purchases is not { Count: > 0 and <= MaxPurchases } items)
        {
            throw new ValidationException(new Dictionary<string, string[]> { ["purchases"] = [text["Send from 1 to {0} purchases.", MaxPurchases]] });
        }

        if (items.Sum(p => p.Lines.Count) > MaxLines)
        {
            throw new ValidationException(new Dictionary<string, string[]> { ["purchases"] = [text["At most {0} purchase lines are accepted in one batch.", MaxLines]] });
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var known = await Read(db, items, user, ct);
        var answers = new ItemResult?[items.Count];
        var valid = new List<Valid>();
        for (var i = 0; i < items.Count; i++)
        {
            try
            {
                valid.Add(Check(i, items[i], known, user, now));
            }
            catch (ValidationException e)
            {
                answers[i] = new ItemResult(i, ItemOutcome.Invalid, null, e.Errors);
            }
        }

        // A concurrent request may record one of the orders between the look-up and the insert: the unique index
        // refuses the whole transaction, and the batch is decided again with that order recorded.
        for (var attempt = 1; ; attempt++)
        {
            var (toWrite, repeats) = await Decide(db, valid, answers, ct);
            if (toWrite.Count == 0) return Answer(answers, [], repeats);
            var created = new List<string>();
            Result result;
            try
            {
                // A failed save ends the whole transaction (see the catch), so no savepoint around each save.
                db.Database.AutoSavepointsEnabled = false;
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await CreatePeople(db, [.. toWrite.Select(w => items[w.Index])], known, created, user, ct);
                // A failed attempt may have left its purchases half-saved (ids, lines): the next one builds them anew.
                var purchases = toWrite.Select(w => WithPerson(
                    items[w.Index], attempt == 1 ? w.Built : record.Build(items[w.Index], w.BranchId, user, now, known.Products, contactFound: true), known)).ToList();
                await record.Add(db, purchases, ct);
                result = Answer(answers, toWrite.Select((w, n) => (w.Index, purchases[n])).ToList(), repeats);
                beforeCommit?.Invoke(db, result);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation() && attempt < 3)
            {
                db.ChangeTracker.Clear();
                foreach (var mobile in created) known.Mobiles.Remove(mobile); // created by the rolled back attempt
                continue;
            }

            return result;
        }
    }

    private sealed record Known(HashSet<int> Branches, Dictionary<int, int> People, Dictionary<int, Product> Products, Dictionary<string, int> Mobiles);

    // What the batch names, one query each: the branches, the persons by id and the holders of the mobiles (among those
    // the caller may see; the oldest holder of a number, as RecordPurchase matches one), the products.
    private static async Task<Known> Read(PayvandDb db, List<RecordPurchase.Request> items, UserScope user, CancellationToken ct)
    {
        var branches = (await db.Branches.AsNoTracking().Select(b => b.Id).ToListAsync(ct)).ToHashSet();
        var ids = items.Select(r => r.ContactId).OfType<int>().Distinct().ToList();
        var people = ids.Count == 0 ? [] : await db.Contacts.VisibleTo(user).Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.BranchId }).ToDictionaryAsync(c => c.Id, c => c.BranchId, ct);
        var productIds = items.SelectMany(r => r.Lines).Select(l => l.ProductId).OfType<int>().Distinct().ToList();
        var products = productIds.Count == 0 ? [] : await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var numbers = items.Select(Mobile).OfType<string>().Distinct().ToList();
        var mobiles = await RecordPurchase.Holders(db, user, ContactPointKind.Mobile, numbers, ct);
        return new Known(branches, people, products, mobiles);
    }

    // A valid purchase (Index: its place in the request), built as RecordPurchase builds one.
    private sealed record Valid(int Index, int BranchId, Purchase Built);

    // A broken rule is a ValidationException, as for a single request.
    private Valid Check(int index, RecordPurchase.Request r, Known known, UserScope user, DateTime now)
    {
        var branchId = user.ChooseBranch(r.BranchId, text);
        if (!known.Branches.Contains(branchId)) throw new ValidationException(new Dictionary<string, string[]> { ["branchId"] = [text["The branch was not found."]] });
        return new Valid(index, branchId, record.Build(r, branchId, user, now, known.Products, contactFound: r.ContactId is not { } id || known.People.ContainsKey(id)));
    }

    // Of the valid purchases, those to write: not the orders recorded before (looked up in one query), nor an order
    // repeated in the batch (repeats: its index and the index of the first, which is written).
    private static async Task<(List<Valid> ToWrite, List<(int Index, int First)> Repeats)> Decide(
        PayvandDb db, List<Valid> valid, ItemResult?[] answers, CancellationToken ct)
    {
        var existing = await RecordPurchase.RecordedOrders(db, valid.Select(v => v.Built)
            .Where(p => p.SourceSystem is not null).Select(p => (p.SourceSystem!, p.ExternalOrderId!)).ToList(), ct);

        var toWrite = new List<Valid>();
        var repeats = new List<(int Index, int First)>();
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in valid)
        {
            if (Key(v.Built) is not { } key) toWrite.Add(v);
            else if (existing.TryGetValue(key, out var id)) answers[v.Index] = new ItemResult(v.Index, ItemOutcome.AlreadyRecorded, id, null);
            else if (first.TryGetValue(key, out var earlier)) repeats.Add((v.Index, earlier));
            else
            {
                first[key] = v.Index;
                toWrite.Add(v);
            }
        }

        return (toWrite, repeats);
    }

    private static string? Key(Purchase p) => p.SourceSystem is { } source ? RecordPurchase.OrderKey(source, p.ExternalOrderId!) : null;

    private static string? Mobile(RecordPurchase.Request r) =>
        r.ContactId is null && !string.IsNullOrWhiteSpace(r.Mobile) && IranianPhone.TryNormalize(r.Mobile, out var e164) ? e164 : null;

    // The persons of purchases named by a mobile nobody (visible to the caller) has: created, once per number, in the
    // branch of the first purchase that names it, as RecordPurchase creates them (Known.Mobiles then holds them), in the
    // batch's transaction. The new mobiles are locked first and looked up again (MobileLocks): a concurrent request may
    // have created their person since Read, and 8 parallel batches for one new mobile once created up to 8 people.
    private async Task CreatePeople(PayvandDb db, List<RecordPurchase.Request> toWrite, Known known, List<string> created, UserScope user, CancellationToken ct)
    {
        var wanted = toWrite.Select(Mobile).OfType<string>().Where(m => !known.Mobiles.ContainsKey(m)).Distinct().ToList();
        if (wanted.Count == 0) return;
        await MobileLocks.Take(db, wanted, ct);
        foreach (var (mobile, id) in await RecordPurchase.Holders(db, user, ContactPointKind.Mobile, wanted, ct)) known.Mobiles[mobile] = id;
        foreach (var r in toWrite)
        {
            if (Mobile(r) is not { } e164 || known.Mobiles.ContainsKey(e164)) continue;
            known.Mobiles[e164] = await record.CreatePerson(db, r, e164, user.ChooseBranch(r.BranchId, text), user, ct);
            created.Add(e164);
        }
    }

    private static Purchase WithPerson(RecordPurchase.Request r, Purchase purchase, Known known)
    {
        purchase.ContactId = r.ContactId ?? (Mobile(r) is { } e164 ? known.Mobiles[e164] : null);
        return purchase;
    }

    private static Result Answer(ItemResult?[] answers, List<(int Index, Purchase Purchase)> written, List<(int Index, int First)> repeats)
    {
        var all = (ItemResult?[])answers.Clone();
        foreach (var (index, purchase) in written) all[index] = new ItemResult(index, ItemOutcome.Created, purchase.Id, null);
        foreach (var (index, first) in repeats) all[index] = new ItemResult(index, ItemOutcome.AlreadyRecorded, all[first]!.PurchaseId, null);
        var items = all.Select((a, i) => a ?? throw new InvalidOperationException($"Purchase {i} was not decided.")).ToList();
        return new Result(items.Count(a => a.Outcome == ItemOutcome.Created), items.Count(a => a.Outcome == ItemOutcome.AlreadyRecorded),
            items.Count(a => a.Outcome == ItemOutcome.Invalid), items);
    }
}
