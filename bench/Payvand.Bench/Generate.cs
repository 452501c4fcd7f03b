using System.Diagnostics;
using System.Globalization;
using Bogus;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Payvand.Modules.Contacts;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Demo;

namespace Payvand.Bench;

// Fills a database that the app's migrations just created with N people (phones, emails, tags, cities, owners,
// branches, search terms) and, with --lines, a product catalogue and purchases of about that many lines (refunds,
// timeline entries, the people's purchase summaries: see PurchaseData), bulk-loaded: PostgreSQL binary COPY, SQLite
// one prepared command per table in big transactions. Secondary indexes are dropped for the load and re-created from
// their own definitions afterwards, so the schema ends up exactly as the migrations made it. Deterministic (fixed seed).
public static class Generate
{
    private static readonly string[] PeopleTables = ["Contacts", "ContactPoints", "ContactTags", "SearchTerms", "ContactConsents", "BlockedAddresses", "PromotionalContacts"];

    private static readonly string[] ConsentColumns = ["ContactId", "Channel", "Purpose", "Status", "ChangedAt", "Source"];

    private static readonly string[] ContactColumns =
        ["Id", "FirstName", "LastName", "SortName", "SearchText", "FirstNameKey", "LastNameKey", "NationalCode", "BirthDate", "Gender", "JobTitle", "City", "Province", "Source", "Lifecycle", "OwnerId",
         "BranchId", "Preferences_BestDays", "Preferences_BestFrom", "Preferences_BestTo", "Version", "CreatedAt", "UpdatedAt",
         "PurchaseCount", "NetSpent", "FirstPurchaseAt", "LastPurchaseAt"];

    public static async Task Run(BenchOptions o, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        await using var app = AppServices.Build(o);
        await app.Services.MigrateAsync(ct);
        await FirstRun.EnsureBasics(app.Services, app.Configuration, app.Logger, ct);
        var (branches, owners) = await BranchesAndUsers(app.Services, ct);
        await using (var db = await app.Db(ct))
        {
            if (await db.Contacts.IgnoreQueryFilters().AnyAsync(ct)) throw new InvalidOperationException("The database already has people; generate needs an empty one.");
        }

        PurchaseData? purchases = null;
        int[] productIds = [];
        if (o.Lines > 0)
        {
            purchases = new PurchaseData(o.People, o.Lines, o.Seed, branches, owners);
            productIds = await GeneratePurchases.Catalogue(app, purchases, ct);
        }

        Console.WriteLine($"schema, branches, {owners.Count} users and {productIds.Length} products: {total.Elapsed.TotalSeconds:0.0} s");
        var load = Stopwatch.StartNew();
        var rows = o.Provider == DatabaseProvider.Postgres
            ? await Postgres(o, branches, owners, purchases, productIds, ct)
            : await Sqlite(o, branches, owners, purchases, productIds, ct);
        Console.WriteLine($"loaded {rows} in {load.Elapsed.TotalSeconds:0.0} s; total {total.Elapsed.TotalSeconds:0.0} s");
    }

    // Three branches (Tehran, Isfahan, Mashhad) and 10 salespeople and a manager per branch, owners of the people.
    private static async Task<(int[] Branches, List<(int Id, int Branch)> Owners)> BranchesAndUsers(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PayvandDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var existing = await db.Branches.OrderBy(b => b.Id).ToListAsync(ct);
        for (var i = existing.Count; i < PersianSamples.Branches.Length; i++)
        {
            var (name, city, code) = PersianSamples.Branches[i];
            var branch = new Branch { Name = name, City = city, Code = code };
            db.Branches.Add(branch);
            existing.Add(branch);
        }

        await db.SaveChangesAsync(ct);
        var branches = existing.Take(3).Select(b => b.Id).ToArray();
        var owners = new List<(int, int)>();
        string? hash = null;
        for (var b = 0; b < 3; b++)
        {
            for (var n = 0; n < 11; n++)
            {
                var email = string.Create(CultureInfo.InvariantCulture, $"sales{b}-{n}@bench.example");
                var user = new AppUser { UserName = email, Email = email, DisplayName = $"Sales {b}-{n}", Branches = [new UserBranch { BranchId = branches[b] }] };
                user.PasswordHash = hash ??= users.PasswordHasher.HashPassword(user, Guid.NewGuid().ToString("N"));
                var result = await users.CreateAsync(user);
                if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
                await users.AddToRoleAsync(user, n == 0 ? Roles.Manager : Roles.Sales);
                owners.Add((user.Id, b));
            }
        }

        return (branches, owners);
    }

    private static string[] Tables(PurchaseData? purchases) => purchases is null ? PeopleTables : [.. PeopleTables, .. GeneratePurchases.Tables];

    private static async Task<long> Sqlite(
        BenchOptions o, int[] branches, List<(int Id, int Branch)> owners, PurchaseData? purchases, int[] productIds, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(o.Connection);
        await connection.OpenAsync(ct);
        await Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;", ct);
        var indexes = new List<string>();
        await using (var read = connection.CreateCommand())
        {
            // Triggers too (those keeping ContactReach): the facts are filled once after the load, as the migration does.
            read.CommandText = $"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ({string.Join(',', Tables(purchases).Select(t => $"'{t}'"))})";
            await using var reader = await read.ExecuteReaderAsync(ct);
            var names = new List<(string Type, string Name)>();
            while (await reader.ReadAsync(ct))
            {
                names.Add((reader.GetString(0), reader.GetString(1)));
                indexes.Add(reader.GetString(2));
            }

            await reader.DisposeAsync();
            foreach (var (type, name) in names) await Exec(connection, $"DROP {type.ToUpperInvariant()} \"{name}\"", ct);
        }

        var contact = Insert(connection, "Contacts", ContactColumns);
        var point = Insert(connection, "ContactPoints", ["Kind", "Value", "NormalizedValue", "Label", "IsPrimary", "ContactId"]);
        var tag = Insert(connection, "ContactTags", ["Name", "ContactId"]);
        var term = Insert(connection, "SearchTerms", ["Entity", "RecordId", "Term", "SortKey"]);
        var consent = Insert(connection, "ContactConsents", ConsentColumns);
        var blocked = Insert(connection, "BlockedAddresses", ["Address", "SenderLine", "Source", "BlockedAt"]);
        var sent = Insert(connection, "PromotionalContacts", ["ContactId", "Channel", "SentAt"]);
        SqliteTransaction? tx = null;
        long rows = 0;
        var watch = Stopwatch.StartNew();
        foreach (var person in People.Generate(o.People, o.Seed, branches, owners, o.Names == "skewed"))
        {
            if (person.Id % 50_000 == 1)
            {
                if (tx is not null) await tx.CommitAsync(ct);
                tx = connection.BeginTransaction();
                foreach (var command in new[] { contact, point, tag, term, consent, blocked, sent }) command.Transaction = tx;
                if (person.Id > 1) Console.WriteLine($"  {person.Id - 1:N0} people, {watch.Elapsed.TotalSeconds:0} s");
            }

            var c = person.Contact;
            purchases?.AddFor(person.Id, c);
            Set(contact, person.Id, c.FirstName, c.LastName, c.SortName, c.SearchText, c.FirstNameKey, c.LastNameKey, c.NationalCode, c.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                (int)c.Gender, c.JobTitle, c.City, c.Province, (int)c.Source, (int)c.Lifecycle, c.OwnerId, c.BranchId, (int)c.Preferences.BestDays,
                c.Preferences.BestFrom?.ToString("HH:mm:ss", CultureInfo.InvariantCulture), c.Preferences.BestTo?.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                0, SqliteTime(c.CreatedAt), SqliteTime(c.UpdatedAt),
                c.PurchaseCount, c.NetSpent, c.FirstPurchaseAt is { } first ? SqliteTime(first) : null, c.LastPurchaseAt is { } last ? SqliteTime(last) : null);
            await contact.ExecuteNonQueryAsync(ct);
            foreach (var p in c.Points)
            {
                Set(point, (int)p.Kind, p.Value, p.NormalizedValue, p.Label, p.IsPrimary, person.Id);
                await point.ExecuteNonQueryAsync(ct);
            }

            foreach (var t in c.Tags)
            {
                Set(tag, t.Name, person.Id);
                await tag.ExecuteNonQueryAsync(ct);
            }

            foreach (var t in person.Terms)
            {
                Set(term, SaveContact.SearchEntity, person.Id, t, c.SortName);
                await term.ExecuteNonQueryAsync(ct);
            }

            foreach (var k in c.Consents)
            {
                Set(consent, person.Id, k.Channel, (int)k.Purpose, (int)k.Status, SqliteTime(k.ChangedAt), k.Source);
                await consent.ExecuteNonQueryAsync(ct);
            }

            foreach (var address in person.Blocked)
            {
                Set(blocked, address, null, "operator", SqliteTime(c.CreatedAt));
                await blocked.ExecuteNonQueryAsync(ct);
            }

            foreach (var at in person.Sent)
            {
                Set(sent, person.Id, ConsentChannel.Sms, SqliteTime(at));
                await sent.ExecuteNonQueryAsync(ct);
            }

            rows += 1 + c.Points.Count + c.Tags.Count + person.Terms.Count + c.Consents.Count + person.Blocked.Count + person.Sent.Count;
        }

        if (tx is not null) await tx.CommitAsync(ct);
        if (purchases is not null)
        {
            Console.WriteLine($"  people written in {watch.Elapsed.TotalSeconds:0} s");
            purchases.Finish();
            rows += productIds.Length + await GeneratePurchases.Sqlite(purchases, productIds, connection, ct);
        }

        Console.WriteLine($"  rows written in {watch.Elapsed.TotalSeconds:0} s; re-creating {indexes.Count} indexes");
        watch.Restart();
        foreach (var sql in indexes) await Exec(connection, sql, ct);
        await Exec(connection, Payvand.Migrations.Sqlite.Migrations.ContactReachEveryone.Backfill, ct);
        await Exec(connection, "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);", ct);
        Console.WriteLine($"  indexes and ANALYZE: {watch.Elapsed.TotalSeconds:0} s");
        if (purchases is not null) await GeneratePurchases.Check(connection, ct);
        return rows;
    }

    private static async Task<long> Postgres(
        BenchOptions o, int[] branches, List<(int Id, int Branch)> owners, PurchaseData? purchases, int[] productIds, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(o.Connection) { CommandTimeout = 0 };
        var connections = new List<NpgsqlConnection>();
        var tables = Tables(purchases);
        for (var i = 0; i < Math.Max(PeopleTables.Length, purchases is null ? 0 : GeneratePurchases.Tables.Length); i++)
        {
            var c = new NpgsqlConnection(builder.ToString());
            await c.OpenAsync(ct);
            connections.Add(c);
        }

        var main = connections[0];
        var indexes = new List<string>();
        await using (var read = new NpgsqlCommand(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY(@t) AND indexname NOT LIKE 'PK\\_%'", main))
        {
            read.Parameters.AddWithValue("t", tables);
            await using var reader = await read.ExecuteReaderAsync(ct);
            var names = new List<string>();
            while (await reader.ReadAsync(ct))
            {
                names.Add(reader.GetString(0));
                indexes.Add(reader.GetString(1));
            }

            await reader.DisposeAsync();
            foreach (var name in names) await Exec(main, $"DROP INDEX \"{name}\"", ct);
        }

        // Foreign keys are checked by triggers; the rows are consistent by construction, so the load skips them.
        foreach (var c in connections) await Exec(c, "SET session_replication_role = replica; SET synchronous_commit = off;", ct);
        var contact = await main.BeginBinaryImportAsync($"COPY \"Contacts\" ({TableSink.Columns(ContactColumns)}) FROM STDIN (FORMAT BINARY)", ct);
        var point = await connections[1].BeginBinaryImportAsync(
            """COPY "ContactPoints" ("Kind", "Value", "NormalizedValue", "Label", "IsPrimary", "ContactId") FROM STDIN (FORMAT BINARY)""", ct);
        var tag = await connections[2].BeginBinaryImportAsync("""COPY "ContactTags" ("Name", "ContactId") FROM STDIN (FORMAT BINARY)""", ct);
        var term = await connections[3].BeginBinaryImportAsync("""COPY "SearchTerms" ("Entity", "RecordId", "Term", "SortKey") FROM STDIN (FORMAT BINARY)""", ct);
        var consent = await connections[4].BeginBinaryImportAsync($"COPY \"ContactConsents\" ({TableSink.Columns(ConsentColumns)}) FROM STDIN (FORMAT BINARY)", ct);
        var blocked = await connections[5].BeginBinaryImportAsync("""COPY "BlockedAddresses" ("Address", "Source", "BlockedAt") FROM STDIN (FORMAT BINARY)""", ct);
        var sent = await connections[6].BeginBinaryImportAsync("""COPY "PromotionalContacts" ("ContactId", "Channel", "SentAt") FROM STDIN (FORMAT BINARY)""", ct);
        long rows = 0;
        var watch = Stopwatch.StartNew();
        foreach (var person in People.Generate(o.People, o.Seed, branches, owners, o.Names == "skewed"))
        {
            if (person.Id % 100_000 == 0) Console.WriteLine($"  {person.Id:N0} people, {watch.Elapsed.TotalSeconds:0} s");
            var c = person.Contact;
            purchases?.AddFor(person.Id, c);
            await contact.StartRowAsync(ct);
            await contact.WriteAsync(person.Id, NpgsqlDbType.Integer, ct);
            await Text(contact, c.FirstName, ct);
            await Text(contact, c.LastName, ct);
            await Text(contact, c.SortName, ct);
            await Text(contact, c.SearchText, ct);
            await Text(contact, c.FirstNameKey, ct);
            await Text(contact, c.LastNameKey, ct);
            await Text(contact, c.NationalCode, ct);
            if (c.BirthDate is { } birth) await contact.WriteAsync(birth, NpgsqlDbType.Date, ct);
            else await contact.WriteNullAsync(ct);
            await contact.WriteAsync((int)c.Gender, NpgsqlDbType.Integer, ct);
            await Text(contact, c.JobTitle, ct);
            await Text(contact, c.City, ct);
            await Text(contact, c.Province, ct);
            await contact.WriteAsync((int)c.Source, NpgsqlDbType.Integer, ct);
            await contact.WriteAsync((int)c.Lifecycle, NpgsqlDbType.Integer, ct);
            if (c.OwnerId is { } owner) await contact.WriteAsync(owner, NpgsqlDbType.Integer, ct);
            else await contact.WriteNullAsync(ct);
            await contact.WriteAsync(c.BranchId, NpgsqlDbType.Integer, ct);
            await contact.WriteAsync((int)c.Preferences.BestDays, NpgsqlDbType.Integer, ct);
            if (c.Preferences.BestFrom is { } from) await contact.WriteAsync(from.ToTimeSpan(), NpgsqlDbType.Time, ct);
            else await contact.WriteNullAsync(ct);
            if (c.Preferences.BestTo is { } to) await contact.WriteAsync(to.ToTimeSpan(), NpgsqlDbType.Time, ct);
            else await contact.WriteNullAsync(ct);
            await contact.WriteAsync(0, NpgsqlDbType.Integer, ct);
            await contact.WriteAsync(c.CreatedAt, NpgsqlDbType.TimestampTz, ct);
            await contact.WriteAsync(c.UpdatedAt, NpgsqlDbType.TimestampTz, ct);
            await contact.WriteAsync(c.PurchaseCount, NpgsqlDbType.Integer, ct);
            await contact.WriteAsync(c.NetSpent, NpgsqlDbType.Bigint, ct);
            await Time(contact, c.FirstPurchaseAt, ct);
            await Time(contact, c.LastPurchaseAt, ct);
            foreach (var p in c.Points)
            {
                await point.StartRowAsync(ct);
                await point.WriteAsync((int)p.Kind, NpgsqlDbType.Integer, ct);
                await Text(point, p.Value, ct);
                await Text(point, p.NormalizedValue, ct);
                await Text(point, p.Label, ct);
                await point.WriteAsync(p.IsPrimary, NpgsqlDbType.Boolean, ct);
                await point.WriteAsync(person.Id, NpgsqlDbType.Integer, ct);
            }

            foreach (var t in c.Tags)
            {
                await tag.StartRowAsync(ct);
                await Text(tag, t.Name, ct);
                await tag.WriteAsync(person.Id, NpgsqlDbType.Integer, ct);
            }

            foreach (var t in person.Terms)
            {
                await term.StartRowAsync(ct);
                await Text(term, SaveContact.SearchEntity, ct);
                await term.WriteAsync(person.Id, NpgsqlDbType.Integer, ct);
                await Text(term, t, ct);
                await Text(term, c.SortName, ct);
            }

            foreach (var k in c.Consents)
            {
                await consent.StartRowAsync(ct);
                await consent.WriteAsync(person.Id, NpgsqlDbType.Integer, ct);
                await Text(consent, k.Channel, ct);
                await consent.WriteAsync((int)k.Purpose, NpgsqlDbType.Integer, ct);
                await consent.WriteAsync((int)k.Status, NpgsqlDbType.Integer, ct);
                await consent.WriteAsync(k.ChangedAt, NpgsqlDbType.TimestampTz, ct);
                await Text(consent, k.Source, ct);
            }

            foreach (var address in person.Blocked)
            {
                await blocked.StartRowAsync(ct);
                await Text(blocked, address, ct);
                await Text(blocked, "operator", ct);
                await blocked.WriteAsync(c.CreatedAt, NpgsqlDbType.TimestampTz, ct);
            }

            foreach (var at in person.Sent)
            {
                await sent.StartRowAsync(ct);
                await sent.WriteAsync(person.Id, NpgsqlDbType.Integer, ct);
                await Text(sent, ConsentChannel.Sms, ct);
                await sent.WriteAsync(at, NpgsqlDbType.TimestampTz, ct);
            }

            rows += 1 + c.Points.Count + c.Tags.Count + person.Terms.Count + c.Consents.Count + person.Blocked.Count + person.Sent.Count;
        }

        foreach (var importer in new[] { contact, point, tag, term, consent, blocked, sent })
        {
            await importer.CompleteAsync(ct);
            await importer.DisposeAsync();
        }

        if (purchases is not null)
        {
            Console.WriteLine($"  people copied in {watch.Elapsed.TotalSeconds:0} s");
            purchases.Finish();
            rows += productIds.Length + await GeneratePurchases.Postgres(purchases, productIds, connections, ct);
        }

        Console.WriteLine($"  rows copied in {watch.Elapsed.TotalSeconds:0} s; re-creating {indexes.Count} indexes");
        watch.Restart();
        await Exec(main, "SET maintenance_work_mem = '1GB'", ct);
        foreach (var sql in indexes) await Exec(main, sql, ct);
        // The load ran without triggers (replica role): the facts Reachability reads are filled as the migration does.
        await Exec(main, Payvand.Migrations.Postgres.Migrations.ContactReachEveryone.Backfill, ct);
        // ContactConsents is keyed by person, channel and purpose: no Id sequence to move.
        foreach (var table in tables.Where(t => t != "ContactConsents"))
        {
            await Exec(main, $"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'Id'), (SELECT COALESCE(MAX(\"Id\"), 0) + 1 FROM \"{table}\"), false)", ct);
        }

        await Exec(main, "VACUUM ANALYZE", ct);
        Console.WriteLine($"  indexes, VACUUM ANALYZE: {watch.Elapsed.TotalSeconds:0} s");
        if (purchases is not null) await GeneratePurchases.Check(main, ct);
        foreach (var c in connections) await c.DisposeAsync();
        return rows;
    }

    private static Task Time(NpgsqlBinaryImporter importer, DateTime? value, CancellationToken ct) =>
        value is { } t ? importer.WriteAsync(t, NpgsqlDbType.TimestampTz, ct) : importer.WriteNullAsync(ct);

    private static Task Text(NpgsqlBinaryImporter importer, string? value, CancellationToken ct) =>
        value is null ? importer.WriteNullAsync(ct) : importer.WriteAsync(value, NpgsqlDbType.Varchar, ct);

    // How EF Core stores a DateTime in SQLite.
    private static string SqliteTime(DateTime d) => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static SqliteCommand Insert(SqliteConnection connection, string table, string[] columns)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        for (var i = 0; i < columns.Length; i++) command.Parameters.Add(new SqliteParameter($"$p{i}", null));
        return command;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    private static async Task Exec(System.Data.Common.DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }
}

// One generated person: the entity (normalized like SaveContact would) and its search terms; addresses of theirs on
// the operator's blocklist and the promotional SMS sent to them in the week before the bench's "now" (2026-01-01).
public sealed record GeneratedPerson(int Id, Contact Contact, IReadOnlyCollection<string> Terms, IReadOnlyCollection<string> Blocked, IReadOnlyCollection<DateTime> Sent);

public static class People
{
    // skewed: the names of SkewedNames instead of Persian ones (every other column the same).
    public static IEnumerable<GeneratedPerson> Generate(int count, int seed, int[] branches, List<(int Id, int Branch)> owners, bool skewed = false)
    {
        var random = new Random(seed);
        var faker = new Faker("fa") { Random = new Randomizer(seed) };
        // Name pools drawn once from Bogus's Persian lists; rows then pick from them quickly.
        var female = Pool(() => faker.Name.FirstName(Bogus.DataSets.Name.Gender.Female));
        var male = Pool(() => faker.Name.FirstName(Bogus.DataSets.Name.Gender.Male));
        var last = Pool(() => faker.Name.LastName());
        var ownersByBranch = Enumerable.Range(0, 3).Select(b => owners.Where(o => o.Branch == b).Select(o => o.Id).ToArray()).ToArray();
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var today = DateOnly.FromDateTime(now);
        for (var id = 1; id <= count; id++)
        {
            var gender = random.Next(100) < 52 ? Gender.Female : Gender.Male;
            var city = PersianSamples.City(random);
            var first = PersianSamples.Pick(random, gender == Gender.Female ? female : male);
            var lastName = PersianSamples.Pick(random, last);
            var created = now.AddSeconds(-random.Next(0, 3 * 365 * 86_400));
            if (skewed) (first, lastName) = SkewedNames.For(id);
            var c = new Contact
            {
                FirstName = first,
                LastName = lastName,
                Gender = gender,
                City = city.Name,
                Province = city.Province,
                BranchId = branches[city.Branch],
                OwnerId = random.Next(100) < 90 ? PersianSamples.Pick(random, ownersByBranch[city.Branch]) : null,
                NationalCode = random.Next(100) < 80 ? PersianSamples.NationalCode(random, city) : null,
                BirthDate = random.Next(100) < 85 ? PersianSamples.BirthDate(random, today) : null,
                Source = (RecordSource)random.Next(0, 5),
                Lifecycle = (LifecycleStage)random.Next(0, 5),
                CreatedAt = created,
                UpdatedAt = created.AddSeconds(random.Next(0, 86_400 * 30)),
            };
            // The consent mix, best times, blocklist and sends follow from the id, so the random stream (and with it every
            // other column) is the one the data had before consent had its own table.
            var smsOptIn = random.Next(100) < 65;
            var smsStatus = id % 20 == 7 ? ConsentStatus.OptedOut : smsOptIn ? ConsentStatus.OptedIn : ConsentStatus.Unknown;
            if (smsStatus != ConsentStatus.Unknown)
            {
                c.Consents.Add(new ContactConsent { Channel = ConsentChannel.Sms, Purpose = ContactPurpose.Promotional, Status = smsStatus, ChangedAt = created, Source = "bench" });
            }

            if (id % 10 == 3)
            {
                c.Preferences.BestDays = ContactDays.Saturday | ContactDays.Sunday | ContactDays.Monday | ContactDays.Tuesday | ContactDays.Wednesday;
                (c.Preferences.BestFrom, c.Preferences.BestTo) = (new TimeOnly(9, 0), new TimeOnly(18, 0));
            }

            var mobile = PersianSamples.Mobile(random);
            c.Points.Add(new ContactPoint { Kind = ContactPointKind.Mobile, Value = mobile, NormalizedValue = "+98" + mobile[1..], IsPrimary = true });
            var blockedAddresses = id % 33 == 5 ? new[] { "+98" + mobile[1..] } : [];
            var sent = Enumerable.Range(1, id % 7 == 2 ? 3 : id % 7 == 4 ? 1 : 0).Select(d => now.AddDays(-d)).ToArray();
            if (random.Next(100) < 10)
            {
                var phone = PersianSamples.Landline(random, city);
                c.Points.Add(new ContactPoint { Kind = ContactPointKind.Phone, Value = phone, NormalizedValue = "+98" + phone[1..].Replace("-", "", StringComparison.Ordinal) });
            }

            if (random.Next(100) < 40)
            {
                var email = string.Create(CultureInfo.InvariantCulture, $"user{id}.{random.Next(100)}@{PersianSamples.Pick(random, PersianSamples.EmailProviders)}");
                c.Points.Add(new ContactPoint { Kind = ContactPointKind.Email, Value = email, NormalizedValue = email });
            }

            foreach (var tag in PersianSamples.SomeTags(random)) c.Tags.Add(new ContactTag { Name = Payvand.Platform.Persian.PersianText.Normalize(tag) });
            c.Touch();
            yield return new GeneratedPerson(id, c, SaveContact.Terms(c).Distinct(StringComparer.Ordinal).ToList(), blockedAddresses, sent);
        }
    }

    private static string[] Pool(Func<string> draw) =>
        Enumerable.Range(0, 3000).Select(_ => draw()).Select(n => n.IndexOf('(', StringComparison.Ordinal) is var i and > 0 ? n[..i].Trim() : n.Trim())
            .Distinct(StringComparer.Ordinal).ToArray();
}
