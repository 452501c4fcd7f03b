using System.Globalization;
using Bogus;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Activities;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Demo;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Search;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace Payvand.Platform;

// Fills an empty database (no people yet) with realistic Persian demo data: three branches in Iranian cities,
// eight users across the roles with one known demo password (printed once), 60 companies, 300 people with mobiles,
// emails, valid national codes, birthdays, tags and consent history, 18 months of timeline (notes, calls,
// meetings, emails, SMS), and a shop's catalogue with the purchases (some refunded) of its customers. Deterministic: a fixed seed gives the same names, numbers and texts every time; dates
// are relative to today.
//
// Companies go through SaveCompany. People and timeline entries are validated and normalized by the same input
// rules as SaveContact and LogActivity (ContactInput.ApplyTo, ActivityInput.ApplyTo) but saved in batches, which
// is about twenty times faster than one handler call each; the search index is written with SearchIndex.Replace
// and the audit trail by the usual interceptor, then moved back to the records' historical dates.
public static class DemoData
{
    public const string Password = "payvand-demo-1404";
    public const string EmailDomain = "payvand.example";
    public const int PeopleCount = 300;
    public const int CompanyCount = 60;
    private const int Seed = 1404;

    private static readonly (string First, string Last, string Login, string Role, int[] Branches)[] Users =
    [
        ("مریم", "رضایی", "maryam.rezaei", Roles.Manager, [0]),
        ("علی", "محمدی", "ali.mohammadi", Roles.Sales, [0]),
        ("نگار", "حسینی", "negar.hosseini", Roles.Sales, [0]),
        ("زهرا", "موسوی", "zahra.mousavi", Roles.Manager, [1]),
        ("حسین", "کریمی", "hossein.karimi", Roles.Sales, [1]),
        ("مهدی", "جعفری", "mehdi.jafari", Roles.Sales, [2]),
        ("فاطمه", "احمدی", "fatemeh.ahmadi", Roles.Marketing, [0]),
        ("رضا", "نوری", "reza.nouri", Roles.Support, [0, 1, 2]),
    ];

    public static async Task FillIfEmpty(IServiceProvider services, ILogger log, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var dbFactory = sp.GetRequiredService<IDbContextFactory<PayvandDb>>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.Contacts.IgnoreQueryFilters().AnyAsync(ct))
            {
                log.LogInformation("Demo data skipped: the database already has people");
                return;
            }
        }

        var started = Stopwatch.GetTimestamp();
        var currentUser = sp.GetRequiredService<CurrentUserAccessor>();
        var previousUser = currentUser.User;
        try
        {
            var filler = new Filler(sp, dbFactory, currentUser);
            await filler.Run(ct);
            log.LogInformation("Demo data: {People} people, {Companies} companies, {Activities} timeline entries in {Ms} ms ({Steps})",
                PeopleCount, CompanyCount, filler.ActivityCount, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds, filler.Timings);
        }
        finally
        {
            currentUser.User = previousUser;
        }
    }

    private sealed record DemoUser(int Id, string UserName, string Role, int[] BranchIds)
    {
        public UserScope Scope => new(Id, UserName, new HashSet<string> { Role }, BranchIds.ToHashSet());
    }

    private sealed record DemoCompany(int Id, string Name, int BranchId, int? OwnerId, DateTime CreatedAt);

    // One person as planned before saving: the entity, who owns it, when it was created and its later consent change.
    private sealed record PlannedPerson(Contact Contact, DemoUser? Owner, DemoUser Creator, DateTime CreatedAt, string Mobile, DateTime? OptOutAt);

    private sealed class Filler(IServiceProvider sp, IDbContextFactory<PayvandDb> dbFactory, CurrentUserAccessor currentUser)
    {
        private readonly Random random = new(Seed);
        private readonly Faker faker = new("fa") { Random = new Randomizer(Seed) };
        private readonly IStringLocalizer<SharedResource> text = sp.GetRequiredService<IStringLocalizer<SharedResource>>();
        private readonly DateTime now = sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        private readonly List<int> branchIds = [];
        private readonly List<DemoUser> users = [];
        private readonly List<DemoCompany> companies = [];
        private readonly List<Activity> activities = [];
        private readonly List<(string Step, long Ms)> timings = [];

        public int ActivityCount => activities.Count;

        private DateOnly Today => DateOnly.FromDateTime(now);

        // Milliseconds each step took, for the log line.
        public string Timings => string.Join(", ", timings.Select(t => $"{t.Step} {t.Ms} ms"));

        public async Task Run(CancellationToken ct)
        {
            var watch = Stopwatch.StartNew();
            await Branches(ct);
            Lap("branches");
            await CreateUsers(ct);
            Lap("users");
            await Companies(ct);
            Lap("companies");
            var people = await People(ct);
            Lap("people");
            Timelines(people);
            await SaveTimelines(ct);
            Lap("timelines");
            await Purchases(people, ct);
            Lap("purchases");

            void Lap(string step)
            {
                timings.Add((step, watch.ElapsedMilliseconds));
                watch.Restart();
            }
        }

        // The first branch (made at first run) becomes the Tehran head office; Isfahan and Mashhad are added.
        private async Task Branches(CancellationToken ct)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var existing = await db.Branches.OrderBy(b => b.Id).ToListAsync(ct);
            for (var i = 0; i < PersianSamples.Branches.Length; i++)
            {
                var (name, city, code) = PersianSamples.Branches[i];
                var branch = i == 0 && existing.Count > 0 ? existing[0] : existing.FirstOrDefault(b => b.Name == name);
                if (branch is null)
                {
                    branch = new Branch { Name = name, Code = code, City = city };
                    db.Branches.Add(branch);
                    existing.Add(branch);
                }
                else if (branch.City is null)
                {
                    branch.City = city;
                }
            }

            await db.SaveChangesAsync(ct);
            branchIds.AddRange(existing.Take(PersianSamples.Branches.Length).Select(b => b.Id));
        }

        private async Task CreateUsers(CancellationToken ct)
        {
            await using var scope = sp.CreateAsyncScope();
            var manager = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            string? hash = null;
            var created = 0;
            foreach (var (first, last, login, role, branches) in Users)
            {
                var email = $"{login}@{EmailDomain}";
                var ids = branches.Select(b => branchIds[b]).ToArray();
                var user = await manager.FindByEmailAsync(email);
                if (user is null)
                {
                    user = new AppUser
                    {
                        UserName = email,
                        Email = email,
                        EmailConfirmed = true,
                        DisplayName = $"{first} {last}",
                        Culture = "fa-IR",
                        Branches = ids.Select(b => new UserBranch { BranchId = b }).ToList(),
                    };
                    // One hash for all: the salt is inside it, and hashing is deliberately slow.
                    user.PasswordHash = hash ??= manager.PasswordHasher.HashPassword(user, Password);
                    Check(await manager.CreateAsync(user));
                    Check(await manager.AddToRoleAsync(user, role));
                    created++;
                }

                users.Add(new DemoUser(user.Id, user.UserName!, role, ids));
            }

            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                var ids = users.Select(u => u.Id).ToList();
                await db.Users.Where(u => ids.Contains(u.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(u => u.CreatedAt, now.AddDays(-600)), ct);
            }

            if (created > 0)
            {
                // Printed once, to the console only, like the first administrator's password.
                Console.WriteLine();
                Console.WriteLine("==============================================================");
                Console.WriteLine($" Payvand demo users: {string.Join(", ", Users.Select(u => u.Login))} @{EmailDomain}");
                Console.WriteLine($" Demo password (all of them): {Password}");
                Console.WriteLine("==============================================================");
                Console.WriteLine();
            }

            static void Check(IdentityResult result)
            {
                if (!result.Succeeded) throw new InvalidOperationException("A demo user could not be created: " + string.Join("; ", result.Errors.Select(e => e.Description)));
            }
        }

        private async Task Companies(CancellationToken ct)
        {
            var save = sp.GetRequiredService<SaveCompany>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < CompanyCount; i++)
            {
                var (name, domain) = PersianSamples.Company(random);
                while (!names.Add(name)) (name, domain) = PersianSamples.Company(random);
                var city = PersianSamples.City(random);
                var owner = OwnerIn(city.Branch) ?? SalesOf(city.Branch)[0];
                var input = new CompanyInput
                {
                    Name = name,
                    NationalId = PersianSamples.CompanyNationalId(random),
                    EconomicCode = random.NextInt64(100_000_000_000, 999_999_999_999).ToString(CultureInfo.InvariantCulture),
                    Industry = PersianSamples.Pick(random, PersianSamples.Industries),
                    Website = random.Next(100) < 70 ? domain : null,
                    Address = $"{city.Name}، {faker.Address.StreetAddress()}",
                    City = city.Name,
                    Province = city.Province,
                    Source = random.Next(100) < 70 ? RecordSource.Manual : RecordSource.Import,
                    Lifecycle = random.Next(100) switch { < 55 => LifecycleStage.Customer, < 80 => LifecycleStage.Opportunity, _ => LifecycleStage.Lead },
                    OwnerId = owner.Id,
                    BranchId = branchIds[city.Branch],
                    Points =
                    [
                        new ContactPointInput(ContactPointKind.Phone, PersianSamples.Landline(random, city), "دفتر", IsPrimary: true),
                        new ContactPointInput(ContactPointKind.Email, $"info@{domain}"),
                    ],
                    Tags = random.Next(100) < 40 ? ["عمده‌فروش"] : random.Next(100) < 20 ? ["VIP"] : [],
                };
                currentUser.User = owner.Scope;
                var id = await save.Create(input, owner.Scope, ct);
                companies.Add(new DemoCompany(id, name, branchIds[city.Branch], owner.Id, Past(500, 560)));
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            foreach (var company in companies)
            {
                await db.Companies.Where(c => c.Id == company.Id).ExecuteUpdateAsync(
                    s => s.SetProperty(c => c.CreatedAt, company.CreatedAt).SetProperty(c => c.UpdatedAt, company.CreatedAt), ct);
            }

            await Backdate(db, nameof(Company), companies.ToDictionary(c => c.Id, c => c.CreatedAt), [], ct);
        }

        private async Task<List<PlannedPerson>> People(CancellationToken ct)
        {
            var planned = Enumerable.Range(0, PeopleCount).Select(_ => PlanPerson()).ToList();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Contacts.AddRange(planned.Select(p => p.Contact));
            await db.SaveChangesAsync(ct); // the interceptor writes a Create audit entry for each
            foreach (var person in planned)
            {
                await SearchIndex.Replace(db, SaveContact.SearchEntity, person.Contact.Id, SaveContact.Terms(person.Contact), person.Contact.SortName, ct);
            }

            await db.SaveChangesAsync(ct);

            // Later opt-outs, as SetConsent records them (the current consent and a history row).
            foreach (var person in planned.Where(p => p.OptOutAt is not null))
            {
                person.Contact.SetConsent(ConsentChannel.Sms, ContactPurpose.Promotional, ConsentStatus.OptedOut, PersianSamples.OptOutSource, person.OptOutAt!.Value, null);
            }

            await db.SaveChangesAsync(ct);
            foreach (var person in planned)
            {
                var updated = person.OptOutAt ?? person.CreatedAt;
                await db.Contacts.Where(c => c.Id == person.Contact.Id).ExecuteUpdateAsync(
                    s => s.SetProperty(c => c.CreatedAt, person.CreatedAt).SetProperty(c => c.UpdatedAt, updated), ct);
            }

            await Backdate(db, nameof(Contact), planned.ToDictionary(p => p.Contact.Id, p => p.CreatedAt),
                planned.Where(p => p.OptOutAt is not null).ToDictionary(p => p.Contact.Id, p => p.OptOutAt!.Value), ct,
                planned.ToDictionary(p => p.Contact.Id, p => p.Creator));
            await tx.CommitAsync(ct);
            return planned;
        }

        private PlannedPerson PlanPerson()
        {
            var gender = random.Next(100) < 52 ? Gender.Female : Gender.Male;
            var first = PlainName(faker.Name.FirstName(gender == Gender.Female ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male));
            var last = PlainName(faker.Name.LastName());
            var city = PersianSamples.City(random);
            var owner = random.Next(100) < 92 ? OwnerIn(city.Branch) : null;
            var creator = owner ?? SalesOf(city.Branch)[0];
            var createdAt = Past(3, 560);
            var mobile = PersianSamples.Mobile(random);
            var points = new List<ContactPointInput> { new(ContactPointKind.Mobile, mobile, "همراه", IsPrimary: true) };
            if (random.Next(100) < 12) points.Add(new ContactPointInput(ContactPointKind.Mobile, PersianSamples.Mobile(random), "همراه دوم"));
            if (random.Next(100) < 18) points.Add(new ContactPointInput(ContactPointKind.Phone, PersianSamples.Landline(random, city), "منزل"));
            var hasEmail = random.Next(100) < 45;
            if (hasEmail) points.Add(new ContactPointInput(ContactPointKind.Email, Email(first, last), "شخصی", IsPrimary: true));
            var company = random.Next(100) < 35 ? CompanyNear(branchIds[city.Branch]) : null;
            var input = new ContactInput
            {
                FirstName = first,
                LastName = last,
                NationalCode = random.Next(100) < 80 ? PersianSamples.NationalCode(random, city) : null,
                BirthDate = random.Next(100) < 85 ? PersianSamples.BirthDate(random, Today) : null,
                Gender = gender,
                JobTitle = company is not null ? PersianSamples.Pick(random, PersianSamples.JobTitles) : null,
                CompanyId = company?.Id,
                Address = random.Next(100) < 50 ? faker.Address.StreetAddress() : null,
                City = city.Name,
                Province = city.Province,
                PostalCode = random.Next(100) < 30 ? faker.Address.ZipCode() : null,
                Source = random.Next(100) switch { < 40 => RecordSource.Manual, < 65 => RecordSource.Import, < 85 => RecordSource.WebForm, _ => RecordSource.Pos },
                Lifecycle = random.Next(100) switch
                {
                    < 40 => LifecycleStage.Customer,
                    < 65 => LifecycleStage.Lead,
                    < 80 => LifecycleStage.Opportunity,
                    < 92 => LifecycleStage.Subscriber,
                    _ => LifecycleStage.FormerCustomer,
                },
                OwnerId = owner?.Id,
                BranchId = branchIds[city.Branch],
                Points = points,
                Tags = PersianSamples.SomeTags(random),
                Preferences = random.Next(100) < 30
                    ? new PreferencesInput(ContactPointKind.Mobile,
                        ContactDays.Saturday | ContactDays.Sunday | ContactDays.Monday | ContactDays.Tuesday | ContactDays.Wednesday,
                        new TimeOnly(9, 0), new TimeOnly(random.Next(14, 19), 0), "fa")
                    : null,
            };

            var contact = new Contact { LastName = "", BranchId = branchIds[city.Branch], Source = RecordSource.Manual };
            input.ApplyTo(contact, new Validator(text), [], [], Today); // throws if any demo value broke a rule

            // Consent given when the person was registered, from where they registered.
            DateTime? optOutAt = null;
            var source = PersianSamples.Pick(random, PersianSamples.ConsentSources);
            if (random.Next(100) < 68)
            {
                contact.SetConsent(ConsentChannel.Sms, ContactPurpose.Promotional, ConsentStatus.OptedIn, source, createdAt, creator.Id);
                if (random.Next(100) < 12) optOutAt = Between(createdAt, now.AddDays(-1));
            }

            if (hasEmail && random.Next(100) < 60) contact.SetConsent(ConsentChannel.Email, ContactPurpose.Promotional, ConsentStatus.OptedIn, source, createdAt, creator.Id);
            if (random.Next(100) < 40) contact.SetConsent(ConsentChannel.Call, ContactPurpose.Promotional, ConsentStatus.OptedIn, source, createdAt, creator.Id);
            return new PlannedPerson(contact, owner, creator, createdAt, mobile, optOutAt);
        }

        // Notes, calls, meetings, emails and SMS between each person's registration and today; a few meetings ahead.
        private void Timelines(List<PlannedPerson> people)
        {
            foreach (var person in people)
            {
                var contact = person.Contact;
                var count = contact.Lifecycle switch
                {
                    LifecycleStage.Customer => random.Next(3, 14),
                    LifecycleStage.Opportunity => random.Next(2, 9),
                    LifecycleStage.FormerCustomer => random.Next(1, 7),
                    _ => random.Next(0, 5),
                };
                for (var i = 0; i < count; i++)
                {
                    var author = person.Owner ?? person.Creator;
                    if (random.Next(100) < 15) author = PersianSamples.Pick(random, users.Where(u => u.BranchIds.Contains(contact.BranchId)).ToList());
                    var kind = PersianSamples.TimelineKind(random);
                    var at = PersianSamples.WorkingTime(random, DateOnly.FromDateTime(Between(person.CreatedAt, now.AddHours(-12))));
                    if (at > now) at = now.AddHours(-1);
                    if (at < person.CreatedAt) at = person.CreatedAt.AddMinutes(5);
                    AddActivity(Input(kind, at, contact.CompanyId is not null && random.Next(100) < 30, person.Mobile) with
                    {
                        ContactId = contact.Id,
                        CompanyId = kind == ActivityKind.Meeting ? contact.CompanyId : null,
                    }, contact.BranchId, author, at);
                }

                if (contact.Lifecycle is LifecycleStage.Customer or LifecycleStage.Opportunity && random.Next(100) < 8)
                {
                    var at = PersianSamples.WorkingTime(random, Today.AddDays(random.Next(1, 15)));
                    AddActivity(Input(ActivityKind.Meeting, at, false, person.Mobile) with { ContactId = contact.Id }, contact.BranchId, person.Owner ?? person.Creator, at);
                }
            }

            foreach (var company in companies)
            {
                var author = users.FirstOrDefault(u => u.Id == company.OwnerId) ?? users[0];
                for (var i = random.Next(1, 7); i > 0; i--)
                {
                    var kind = random.Next(3) switch { 0 => ActivityKind.Meeting, 1 => ActivityKind.Email, _ => ActivityKind.Note };
                    var at = PersianSamples.WorkingTime(random, DateOnly.FromDateTime(Between(company.CreatedAt, now.AddHours(-12))));
                    if (at > now) at = now.AddHours(-1);
                    AddActivity(Input(kind, at, true, null) with { CompanyId = company.Id }, company.BranchId, author, at);
                }
            }
        }

        private ActivityInput Input(ActivityKind kind, DateTime at, bool aboutCompany, string? mobile)
        {
            var outbound = random.Next(100) < 70 ? CallDirection.Outbound : CallDirection.Inbound;
            switch (kind)
            {
                case ActivityKind.Call:
                    var outcome = PersianSamples.CallOutcome(random);
                    var connected = outcome == CallOutcome.Connected;
                    return new ActivityInput
                    {
                        Kind = kind,
                        OccurredAt = at,
                        Direction = outbound,
                        PhoneNumber = mobile,
                        Outcome = outcome,
                        Subject = PersianSamples.Pick(random, PersianSamples.CallTopics),
                        Body = connected ? PersianSamples.Pick(random, PersianSamples.CallNotes) : null,
                        DurationSeconds = connected ? random.Next(40, 900) : random.Next(0, 35),
                        FollowUpAt = connected && random.Next(100) < 20 ? at.AddDays(random.Next(2, 15)) : null,
                    };
                case ActivityKind.Meeting:
                    return new ActivityInput
                    {
                        Kind = kind,
                        OccurredAt = at,
                        EndsAt = at.AddMinutes(random.Next(2, 9) * 15),
                        Subject = aboutCompany ? "جلسه با مدیران شرکت" : PersianSamples.Pick(random, PersianSamples.MeetingSubjects),
                        Location = PersianSamples.Pick(random, PersianSamples.MeetingPlaces),
                        Body = random.Next(100) < 50 ? PersianSamples.Pick(random, PersianSamples.NoteTexts) : null,
                    };
                case ActivityKind.Email:
                    return new ActivityInput
                    {
                        Kind = kind,
                        OccurredAt = at,
                        Direction = outbound,
                        Subject = PersianSamples.Pick(random, PersianSamples.EmailSubjects),
                        Body = "با سلام و احترام،\n" + PersianSamples.Pick(random, PersianSamples.NoteTexts) + "\nبا تشکر",
                    };
                case ActivityKind.Sms:
                    var text = PersianSamples.Pick(random, PersianSamples.SmsTexts);
                    return new ActivityInput
                    {
                        Kind = kind,
                        OccurredAt = at,
                        PhoneNumber = mobile,
                        Body = text,
                        Direction = text.StartsWith("باشه", StringComparison.Ordinal) ? CallDirection.Inbound : CallDirection.Outbound,
                    };
                default:
                    return new ActivityInput { Kind = ActivityKind.Note, OccurredAt = at, Body = PersianSamples.Pick(random, PersianSamples.NoteTexts) };
            }
        }

        private void AddActivity(ActivityInput input, int branchId, DemoUser author, DateTime at)
        {
            var activity = new Activity
            {
                Kind = input.Kind,
                ContactId = input.ContactId,
                CompanyId = input.CompanyId,
                BranchId = branchId,
                CreatedById = author.Id,
                // Logged soon after it happened; an upcoming meeting some days before.
                CreatedAt = at < now ? Min(at.AddMinutes(random.Next(1, 90)), now) : now.AddDays(-random.Next(1, 5)),
            };
            input.ApplyTo(activity, new Validator(text), now); // LogActivity's rules
            activities.Add(activity);
        }

        private async Task SaveTimelines(CancellationToken ct)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            db.Activities.AddRange(activities);
            await db.SaveChangesAsync(ct);
        }

        // Moves the audit entries this run wrote for records of one type to the records' own dates and authors:
        // the Create entry to its creation, an Update entry to the later change.
        private static async Task Backdate(PayvandDb db, string entityType, Dictionary<int, DateTime> created, Dictionary<int, DateTime> updated,
            CancellationToken ct, Dictionary<int, DemoUser>? authors = null)
        {
            var keys = created.Keys.Select(k => k.ToString(CultureInfo.InvariantCulture)).ToList();
            var entries = await db.Audit.Where(a => a.EntityType == entityType && keys.Contains(a.EntityId!)).ToListAsync(ct);
            foreach (var entry in entries)
            {
                var id = int.Parse(entry.EntityId!, CultureInfo.InvariantCulture);
                entry.At = entry.Action == AuditAction.Create || !updated.TryGetValue(id, out var at) ? created[id] : at;
                if (authors is not null && authors.TryGetValue(id, out var author))
                {
                    entry.UserId = entry.Action == AuditAction.Create ? author.Id : null;
                    entry.UserName = entry.Action == AuditAction.Create ? author.UserName : "sms-gateway";
                }
            }

            await db.SaveChangesAsync(ct);
        }

        private string Email(string first, string last)
        {
            var name = faker.Internet.UserName(first, last).ToLowerInvariant();
            var local = new string(name.Where(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_').ToArray()).Trim('.', '_');
            if (local.Length < 3) local = "user" + random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
            return $"{local}@{PersianSamples.Pick(random, PersianSamples.EmailProviders)}";
        }

        private List<DemoUser> SalesOf(int branch) =>
            users.Where(u => u.Role is Roles.Sales or Roles.Manager && u.BranchIds.Contains(branchIds[branch])).ToList();

        // A salesperson of the branch (most often) or its manager.
        private DemoUser? OwnerIn(int branch)
        {
            var candidates = SalesOf(branch);
            return candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
        }

        private DemoCompany? CompanyNear(int branchId)
        {
            var near = companies.Where(c => c.BranchId == branchId).ToList();
            return near.Count == 0 ? null : near[random.Next(near.Count)];
        }

        // A moment between minDays and maxDays ago, older more likely than newer (the business grew).
        private DateTime Past(int minDays, int maxDays)
        {
            var fraction = Math.Sqrt(random.NextDouble());
            return now.AddDays(-(minDays + fraction * (maxDays - minDays))).AddMinutes(-random.Next(0, 600));
        }

        // Bogus's Persian lists carry a few dictionary notes: "کیانی (نام خانوادگی)" -> "کیانی".
        // A few products and, for each customer and former customer, one to five purchases since they were added,
        // through the handlers the tills use (so summaries and timeline entries are what real purchases make);
        // every eighth purchase is partly refunded.
        private async Task Purchases(List<PlannedPerson> people, CancellationToken ct)
        {
            var catalog = sp.GetRequiredService<Catalog>();
            var record = sp.GetRequiredService<RecordPurchase>();
            var refund = sp.GetRequiredService<RefundPurchase>();
            var category = await catalog.CreateCategory(new CategoryInput(PersianSamples.ProductCategory, null), ct);
            var products = new List<(int Id, long Price)>();
            foreach (var (sku, name, price) in PersianSamples.Products)
            {
                products.Add((await catalog.CreateProduct(new ProductInput(sku, name, category, price), ct), price));
            }

            var order = 0;
            foreach (var person in people.Where(p => p.Contact.Lifecycle is LifecycleStage.Customer or LifecycleStage.FormerCustomer))
            {
                var days = Math.Max(1, (now - person.CreatedAt).TotalDays);
                foreach (var at in Enumerable.Range(0, random.Next(1, 6)).Select(_ => person.CreatedAt.AddDays(random.NextDouble() * days)).Order())
                {
                    var lines = Enumerable.Range(0, random.Next(1, 4)).Select(_ => products[random.Next(products.Count)])
                        .Select(p => new RecordPurchase.LineInput(p.Id, Quantity: random.Next(1, 3))).ToList();
                    var outcome = await record.Handle(new RecordPurchase.Request
                    {
                        ContactId = person.Contact.Id,
                        BranchId = person.Contact.BranchId,
                        Channel = random.Next(4) == 0 ? PurchaseChannel.Online : PurchaseChannel.InStore,
                        SourceSystem = "demo",
                        ExternalOrderId = (++order).ToString("D5", CultureInfo.InvariantCulture),
                        OccurredAt = at,
                        Lines = lines,
                    }, UserScope.System, ct);
                    if (order % 8 == 0 && outcome is RecordPurchase.Recorded recorded)
                    {
                        var price = products.First(p => p.Id == lines[0].ProductId).Price;
                        await refund.Handle(recorded.Id, new RefundPurchase.Request
                        {
                            Amount = price,
                            Reason = PersianSamples.RefundReason,
                            RefundedAt = Min(at.AddDays(3), now),
                        }, UserScope.System, ct);
                    }
                }
            }
        }

        private static string PlainName(string name) =>
            name.IndexOf('(', StringComparison.Ordinal) is var i and > 0 ? name[..i].Trim() : name.Trim();

        private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

        private DateTime Between(DateTime from, DateTime to) =>
            to <= from ? from : from.AddSeconds(random.NextDouble() * (to - from).TotalSeconds);
    }
}
