using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Imports;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Search;

namespace Payvand.Modules.Contacts;

// Importing people. Each row goes through ContactInput, the same validation and normalization as the person form,
// so an imported person is stored exactly like a typed one.
public sealed class PeopleImport(IStringLocalizer<SharedResource> text, TimeProvider clock, CurrentUserAccessor currentUser, IDbContextFactory<PayvandDb> dbFactory) : IImportKind
{
    public const string KindName = "people";

    private static readonly char[] ListSeparators = [',', '،', ';', '؛', '/', '|', '\n'];

    public string Name => KindName;

    public string Label => "People";

    public string Title => "Import people";

    public ImportOptions Options => ImportOptions.Dedupe | ImportOptions.Owner | ImportOptions.Tags;

    public string ResultsHref => "contacts?source=Import";

    public int Position => 10;

    private IStringLocalizer<SharedResource> Localizer => text;

    private TimeProvider Clock => clock;

    private CurrentUserAccessor CurrentUser => currentUser;

    // The EF model, for the audit entries of new people made away from any DbContext.
    private IModel Model
    {
        get
        {
            if (model is null)
            {
                using var db = dbFactory.CreateDbContext();
                model = db.Model;
            }

            return model;
        }
    }

    private IModel? model;

    public IReadOnlyList<ImportField> Fields { get; } =
    [
        new("firstName", "First name", "نام", "اسم", "first name", "given name"),
        new("lastName", "Last name", "نام خانوادگی", "فامیلی", "نام فامیل", "last name", "surname", "family name", "family"),
        new("fullName", "Full name", "نام و نام خانوادگی", "نام کامل", "نام مشتری", "مشتری", "full name", "name", "customer"),
        new("mobile", "Mobile", "موبایل", "تلفن همراه", "شماره همراه", "شماره موبایل", "همراه", "mobile", "mobile number", "cell", "cell phone"),
        new("phone", "Phone", "تلفن", "تلفن ثابت", "شماره تلفن", "phone", "telephone", "tel"),
        new("email", "Email", "ایمیل", "پست الکترونیک", "پست الکترونیکی", "رایانامه", "email", "e-mail", "mail"),
        new("nationalCode", "National code", "کد ملی", "شماره ملی", "national code", "national id"),
        new("birthDate", "Birth date", "تاریخ تولد", "تولد", "birth date", "birthday", "date of birth", "dob"),
        new("gender", "Gender", "جنسیت", "gender", "sex"),
        new("city", "City", "شهر", "city"),
        new("province", "Province", "استان", "province", "state"),
        new("address", "Address", "آدرس", "نشانی", "address"),
        new("postalCode", "Postal code", "کد پستی", "postal code", "zip", "zip code", "postcode"),
        new("jobTitle", "Job title", "سمت", "شغل", "عنوان شغلی", "job title", "job", "position"),
        new("tags", "Tags", "برچسب", "برچسب‌ها", "tag", "tags"),
    ];

    public IReadOnlyDictionary<string, string> Check(MappedRow row) => Prepare(row, new Contact { LastName = "" }, []).Problems;

    public string? MissingMapping(IReadOnlyCollection<string> mapped) =>
        mapped.Contains("lastName") || mapped.Contains("fullName") ? null : text["Map a column to the last name or the full name."].Value;

    // "Mobile: The phone number is not valid. Birth date: ..." for the report.
    public string Describe(IReadOnlyDictionary<string, string> problems) =>
        string.Join(" ", problems.Select(p => $"{text[Fields.FirstOrDefault(f => f.Key == p.Key)?.Label ?? p.Key]}: {p.Value}"));

    public IImportWriter Begin(ImportRun run) => new Writer(this, run.Settings, run.User, run.User.ChooseBranch(run.Settings.BranchId, text));

    // Reads a row into a ContactInput and applies it to the given (new) person. Problems are by field key.
    private (ContactInput? Input, Dictionary<string, string> Problems) Prepare(MappedRow row, Contact into, IEnumerable<string> extraTags, int? ownerId = null)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Get(string key) => row.Values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var first = Get("firstName");
        var last = Get("lastName");
        if (Get("fullName") is { } full && first is null && last is null)
        {
            // "علی رضایی" or "محمد علی رضایی": the first word is the first name, the rest the family name.
            var parts = ContactInput.Clean(full)!.Split(' ', 2);
            (first, last) = parts.Length == 2 ? (parts[0], parts[1]) : (null, parts[0]);
        }

        var points = new List<ContactPointInput>();
        foreach (var (key, kind) in new[] { ("mobile", ContactPointKind.Mobile), ("phone", ContactPointKind.Phone), ("email", ContactPointKind.Email) })
        {
            foreach (var value in Split(Get(key)))
            {
                var normalized = ContactInput.NormalizePoint(kind, value);
                if (normalized is null)
                {
                    problems[key] = text[kind == ContactPointKind.Email ? "The email address is not valid." : "The phone number is not valid."];
                    continue;
                }

                var actual = kind == ContactPointKind.Email ? kind : IranianPhone.IsMobile(normalized) ? ContactPointKind.Mobile : ContactPointKind.Phone;
                points.Add(new ContactPointInput(actual, value, null, points.All(p => p.Kind != actual)));
            }
        }

        DateOnly? birth = null;
        if (Get("birthDate") is { } birthText)
        {
            if (TryDate(birthText, out var date)) birth = date;
            else problems["birthDate"] = text["The date is not valid."];
        }

        var gender = Gender.Unknown;
        if (Get("gender") is { } genderText)
        {
            gender = ReadGender(genderText);
            if (gender == Gender.Unknown) problems["gender"] = text["Unknown gender: use زن/مرد or female/male."];
        }

        var input = new ContactInput
        {
            FirstName = first,
            LastName = last,
            NationalCode = Get("nationalCode"),
            BirthDate = birth,
            Gender = gender,
            City = Get("city"),
            Province = Get("province"),
            Address = Get("address"),
            PostalCode = Get("postalCode"),
            JobTitle = Get("jobTitle"),
            Source = RecordSource.Import,
            OwnerId = ownerId,
            Points = points,
            Tags = [.. Split(Get("tags")), .. extraTags],
        };
        // Applied even when a cell was already refused, so the preview shows every problem of the row at once.
        var applied = Apply(input, into, problems, lastNameField: row.Values.ContainsKey("lastName") || !row.Values.ContainsKey("fullName") ? "lastName" : "fullName");
        return applied && problems.Count == 0 ? (input, problems) : (null, problems);
    }

    // ContactInput's own rules (required family name, lengths, national code, plausible birth date); their field
    // names are this import's field keys, except the family name when it came from a full-name column.
    private bool Apply(ContactInput input, Contact into, Dictionary<string, string> problems, string lastNameField = "lastName")
    {
        try
        {
            input.ApplyTo(into, new Validator(text), [], [], DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
            return true;
        }
        catch (ValidationException e)
        {
            foreach (var (field, messages) in e.Errors) problems[field == "lastName" ? lastNameField : field] = string.Join(" ", messages);
            return false;
        }
    }

    private static string[] Split(string? cell) =>
        cell is null ? [] : cell.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // Jalali (1370/5/12, ۱۳۷۰-۰۵-۱۲) or Gregorian (1991-08-03, as Excel writes dates): the year tells which.
    internal static bool TryDate(string value, out DateOnly date)
    {
        var s = PersianText.ToLatinDigits(value).Trim();
        var year = s.Length >= 4 && int.TryParse(s.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : 0;
        if (year >= 1700)
        {
            return DateOnly.TryParseExact(s.Replace('/', '-'), ["yyyy-M-d", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
        }

        return Jalali.TryParse(s, out date);
    }

    private static Gender ReadGender(string value) => PersianText.Normalize(value) switch
    {
        "زن" or "خانم" or "مونث" or "female" or "f" or "woman" => Gender.Female,
        "مرد" or "آقا" or "اقا" or "مذکر" or "male" or "m" or "man" => Gender.Male,
        _ => Gender.Unknown,
    };

    // One run: remembers the people earlier rows of the file became, so a later row with the same mobile, email or
    // national code is never a second person. In Update mode it is merged into that person; in Skip and Create
    // mode it is reported as skipped, naming the earlier row.
    // Prepare (on the reading thread) turns each row into the person it would become, with his keys, search terms
    // and audit entry; Write (on the writing thread, batch after batch) de-duplicates against earlier batches and
    // the database and writes, so what a batch sees is exactly what the batches before it committed.
    private sealed class Writer(PeopleImport kind, ImportSettings settings, UserScope user, int branchId) : IImportWriter
    {
        private readonly Dictionary<string, (int Row, int Id)> seen = new(StringComparer.Ordinal);
        private readonly string[] tags = [.. settings.Tags];
        private readonly int? owner = settings.OwnerId ?? (user.UserId > 0 ? user.UserId : null);

        private IStringLocalizer<SharedResource> Text => kind.Localizer;

        // The rows' people, stamped with the batch's instant: the report of the invalid ones, the candidates of
        // the others. A candidate's search terms and audit entry are ready for when he is created as he is.
        private sealed class Batch(IReadOnlyList<MappedRow> rows, DateTime now) : PreparedBatch(rows)
        {
            public DateTime Now { get; } = now;

            public ReportRow?[] Invalid { get; } = new ReportRow?[rows.Count];

            public List<Candidate> Candidates { get; } = new(rows.Count);
        }

        private sealed record Candidate(int Index, ContactInput Input, Contact Contact, string[] Keys, SearchTerm[] Terms, AuditEntry Audit);

        public PreparedBatch Prepare(IReadOnlyList<MappedRow> rows)
        {
            var batch = new Batch(rows, kind.Clock.GetUtcNow().UtcDateTime);
            for (var i = 0; i < rows.Count; i++)
            {
                var contact = new Contact { LastName = "", BranchId = branchId, Source = RecordSource.Import };
                var (input, problems) = kind.Prepare(rows[i], contact, tags, owner);
                if (input is null)
                {
                    batch.Invalid[i] = new ReportRow(rows[i].Row, RowOutcome.Invalid, null, Describe(problems));
                    continue;
                }

                (contact.CreatedAt, contact.UpdatedAt) = (batch.Now, batch.Now);
                batch.Candidates.Add(new Candidate(i, input, contact, [.. Keys(contact)], Terms(contact), Audit(contact, batch.Now)));
            }

            return batch;
        }

        public async Task<List<ReportRow>> Write(PayvandDb db, PreparedBatch prepared, CancellationToken ct)
        {
            var batch = (Batch)prepared;
            var rows = batch.Rows;
            var report = new (ReportRow Row, Contact? Contact)[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                if (batch.Invalid[i] is { } invalid) report[i] = (invalid, null);
            }

            var existing = await Existing(db, batch.Candidates.SelectMany(p => p.Keys).ToList(), ct);
            var inBatch = new Dictionary<string, (int Row, Contact Contact)>(StringComparer.Ordinal);
            var created = new List<Candidate>();
            var createdPeople = new HashSet<Contact>(ReferenceEqualityComparer.Instance);
            var changed = new HashSet<Contact>(ReferenceEqualityComparer.Instance); // created, then merged with a later row
            var updated = new HashSet<Contact>();
            foreach (var candidate in batch.Candidates)
            {
                var (index, input, contact, keys) = (candidate.Index, candidate.Input, candidate.Contact, candidate.Keys);
                var row = rows[index].Row;
                Contact? target = null;
                int? earlierRow = null;
                foreach (var key in keys)
                {
                    if (inBatch.TryGetValue(key, out var here)) (earlierRow, target) = (here.Row, here.Contact);
                    else if (seen.TryGetValue(key, out var before)) (earlierRow, target) = (before.Row, existing.ById.GetValueOrDefault(before.Id));
                    if (earlierRow is not null) break;
                }

                if (earlierRow is { } first && (settings.Dedupe != DedupeMode.Update || target is null))
                {
                    report[index] = (new ReportRow(row, RowOutcome.Skipped, null, Text["Same mobile, email or national code as row {0}.", first]), target);
                    continue;
                }

                if (target is null && settings.Dedupe != DedupeMode.Create)
                {
                    target = keys.Select(k => existing.ByKey.GetValueOrDefault(k)).FirstOrDefault(c => c is not null);
                    if (target is not null && settings.Dedupe == DedupeMode.Skip)
                    {
                        report[index] = (new ReportRow(row, RowOutcome.Skipped, target.Id, Text["A person with the same mobile, email or national code exists."]), target);
                        Remember(keys, row, target, inBatch);
                        continue;
                    }
                }

                if (target is null)
                {
                    created.Add(candidate);
                    createdPeople.Add(contact);
                    report[index] = (new ReportRow(row, RowOutcome.Created, null, null), contact);
                    Remember(keys, row, contact, inBatch);
                    continue;
                }

                var problems = new Dictionary<string, string>(StringComparer.Ordinal);
                if (!kind.Apply(Merge(target, input), target, problems))
                {
                    report[index] = (new ReportRow(row, RowOutcome.Invalid, target.Id, Describe(problems)), null);
                    continue;
                }

                if (createdPeople.Contains(target)) changed.Add(target);
                else updated.Add(target);
                var note = earlierRow is { } merged ? Text["Merged with row {0}.", merged].Value : null;
                report[index] = (new ReportRow(row, RowOutcome.Updated, null, note), target);
                Remember(keys, row, target, inBatch);
            }

            await Insert(db, created, changed, batch.Now, ct);
            if (updated.Count > 0)
            {
                // Updates are rarer: tracked, so the interceptor stamps, versions and audits them like a form save.
                foreach (var contact in updated) db.Entry(contact).State = EntityState.Modified;
                await db.SaveChangesAsync(ct);
            }

            await Index(db, created, changed, updated, ct);
            foreach (var (key, value) in inBatch) seen[key] = (value.Row, value.Contact.Id);
            return report.Select(r => r.Row with { RecordId = r.Row.RecordId ?? r.Contact?.Id }).ToList();
        }

        // The batch's new people in a few multi-row INSERTs: the people, their phones and emails, their tags and one
        // audit entry each, the rows SaveChanges and the audit interceptor would write for them one by one (stamped
        // with the same instant, version 0, the purchase summary left to the database's defaults).
        private async Task Insert(PayvandDb db, List<Candidate> created, HashSet<Contact> changed, DateTime now, CancellationToken ct)
        {
            if (created.Count == 0) return;
            var people = created.ConvertAll(c => c.Contact);
            if (people.Any(c => c.ConsentHistory.Count > 0 || c.Consents.Count > 0)) throw new InvalidOperationException("An imported person has no consent to write.");
            var ids = await BulkInsert.Of<Contact>(db).Insert(db, people, returnKeys: true, ct);
            for (var i = 0; i < people.Count; i++) people[i].Id = checked((int)ids[i]);
            await BulkInsert.OfOwned<Contact>(db, nameof(Contact.Points)).Insert(db, [.. people.SelectMany(c => c.Points.Select(p => ((object)c.Id, (object)p)))], ct);
            await BulkInsert.OfOwned<Contact>(db, nameof(Contact.Tags)).Insert(db, [.. people.SelectMany(c => c.Tags.Select(t => ((object)c.Id, (object)t)))], ct);
            var audits = created.ConvertAll(c =>
            {
                var audit = changed.Contains(c.Contact) ? Audit(c.Contact, now) : c.Audit;
                audit.EntityId = c.Contact.Id.ToString(CultureInfo.InvariantCulture);
                return audit;
            });
            await BulkInsert.Of<AuditEntry>(db).Insert(db, audits, returnKeys: false, ct);
        }

        // The audit interceptor's entry for a new person (EntityId once his key is known).
        private AuditEntry Audit(Contact contact, DateTime now) =>
            BulkInsert.NewRecordAudit(kind.Model, contact, now, kind.CurrentUser.User, kind.CurrentUser.IpAddress);

        private static void Remember(string[] keys, int row, Contact contact, Dictionary<string, (int, Contact)> inBatch)
        {
            foreach (var key in keys) inBatch.TryAdd(key, (row, contact));
        }

        // The batch's new and changed people in the search index, as SaveContact does for one person.
        private static async Task Index(PayvandDb db, List<Candidate> created, HashSet<Contact> changed, HashSet<Contact> updated, CancellationToken ct)
        {
            var changedIds = updated.Select(c => c.Id).ToList();
            if (changedIds.Count > 0)
            {
                await db.SearchTerms.Where(t => t.Entity == SaveContact.SearchEntity && EF.Parameter(changedIds).Contains(t.RecordId)).ExecuteDeleteAsync(ct);
            }

            var terms = new List<SearchTerm>();
            foreach (var candidate in created)
            {
                var own = changed.Contains(candidate.Contact) ? Terms(candidate.Contact) : candidate.Terms;
                foreach (var term in own) term.RecordId = candidate.Contact.Id;
                terms.AddRange(own);
            }

            terms.AddRange(updated.SelectMany(Terms));
            await BulkInsert.Of<SearchTerm>(db).Insert(db, terms, returnKeys: false, ct);
        }

        private static SearchTerm[] Terms(Contact c) =>
            [.. SearchIndex.Rows(SaveContact.SearchEntity, c.Id, SaveContact.Terms(c), c.SortName)];

        // The people this user may see that share a key with the batch (or that earlier rows became), in three
        // indexed queries for the whole batch instead of one per row. Each list goes as one array parameter
        // (EF.Parameter): as thousands of scalar parameters SQLite would look each one up by name, a cost that
        // grows with the square of the batch.
        private async Task<(Dictionary<string, Contact> ByKey, Dictionary<int, Contact> ById)> Existing(PayvandDb db, List<string> keys, CancellationToken ct)
        {
            var earlier = keys.Where(seen.ContainsKey).Select(k => seen[k].Id).Distinct().ToList();
            var lookUp = settings.Dedupe != DedupeMode.Create;
            var codes = lookUp ? keys.Where(k => k.StartsWith("n:", StringComparison.Ordinal)).Select(k => k[2..]).Distinct().ToList() : [];
            var points = lookUp ? keys.Where(k => k.StartsWith("p:", StringComparison.Ordinal)).Select(k => k[2..]).Distinct().ToList() : [];
            var ids = new HashSet<int>(earlier);
            if (codes.Count > 0)
            {
                ids.UnionWith(await db.Contacts.VisibleTo(user).Where(c => c.NationalCode != null && EF.Parameter(codes).Contains(c.NationalCode)).Select(c => c.Id).ToListAsync(ct));
            }

            if (points.Count > 0)
            {
                // A join (not EXISTS per person) so both databases start from the index on the point's normalized value.
                ids.UnionWith(await db.Contacts.VisibleTo(user).SelectMany(c => c.Points, (c, p) => new { c.Id, p.NormalizedValue })
                    .Where(x => EF.Parameter(points).Contains(x.NormalizedValue)).Select(x => x.Id).ToListAsync(ct));
            }

            if (ids.Count == 0) return ([], []);
            var idList = ids.ToList();
            var people = await db.Contacts.Include(c => c.Points).Include(c => c.Tags).AsSplitQuery().Where(c => EF.Parameter(idList).Contains(c.Id)).OrderBy(c => c.Id).ToListAsync(ct);
            var byKey = new Dictionary<string, Contact>(StringComparer.Ordinal);
            foreach (var person in people)
            {
                foreach (var key in Keys(person)) byKey.TryAdd(key, person);
            }

            return (byKey, people.ToDictionary(p => p.Id));
        }

        // The row's values over the person's: empty cells erase nothing; phones, emails and tags are added.
        private ContactInput Merge(Contact c, ContactInput row) => new()
        {
            FirstName = row.FirstName ?? c.FirstName,
            LastName = row.LastName ?? c.LastName,
            NationalCode = row.NationalCode ?? c.NationalCode,
            BirthDate = row.BirthDate ?? c.BirthDate,
            Gender = row.Gender != Gender.Unknown ? row.Gender : c.Gender,
            JobTitle = row.JobTitle ?? c.JobTitle,
            CompanyId = c.CompanyId,
            Address = row.Address ?? c.Address,
            City = row.City ?? c.City,
            Province = row.Province ?? c.Province,
            PostalCode = row.PostalCode ?? c.PostalCode,
            Lifecycle = c.Lifecycle,
            OwnerId = settings.OwnerId ?? c.OwnerId,
            Points = [.. c.Points.Select(p => new ContactPointInput(p.Kind, p.Value, p.Label, p.IsPrimary)), .. row.Points],
            Tags = [.. c.Tags.Select(t => t.Name), .. row.Tags],
        };

        private static IEnumerable<string> Keys(Contact c)
        {
            if (c.NationalCode is { } code) yield return "n:" + code;
            foreach (var p in c.Points) yield return "p:" + p.NormalizedValue;
        }

        private string Describe(IReadOnlyDictionary<string, string> problems) => kind.Describe(problems);
    }
}
