using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Modules.Organization;
using Payvand.Platform.Api;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Organization;

// The change history and the audit log read as a user reads: field labels in their language, names instead of ids,
// Jalali dates in Persian, no internal columns, and sentences for sign-ins and merges (with a link to the person).
[Trait("Category", "Integration")]
public sealed class AuditTextTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [Fact]
    public async Task A_persons_history_in_persian_has_labels_names_and_jalali_dates()
    {
        var admin = await app.AdminClient();
        var owner = await app.CreateUser("Sales", app.MainBranchId);
        var company = await (await admin.PostJson("/api/companies", new CompanyInput { Name = "نوآوران " + Guid.NewGuid().ToString("N")[..4] })).Read<CompanyDetails>(HttpStatusCode.Created);
        var person = await (await admin.PostJson("/api/contacts", new ContactInput
        {
            FirstName = "آرش",
            LastName = "رحیمی",
            BirthDate = new DateOnly(1993, 8, 5),
            OwnerId = owner.Id,
            BranchId = app.MainBranchId,
            CompanyId = company.Id,
            Points = [new ContactPointInput(ContactPointKind.Mobile, "09121110099")],
        })).Read<ContactDetails>(HttpStatusCode.Created);

        var persian = await app.ClientFor(await app.CreateUser("Admin"), "fa-IR");
        var history = await (await persian.GetAsync($"/api/audit/record/contact/{person.Id}")).Read<PagedResult<AuditRow>>();
        var changes = Assert.Single(history.Items).Changes;

        Assert.DoesNotContain(changes, c => c.Field is "SortName" or "SearchText" or "Points.NormalizedValue");
        var birth = Assert.Single(changes, c => c.Field == "BirthDate");
        Assert.Equal(("تاریخ تولد", "۱۳۷۲/۰۵/۱۴"), (birth.Label, birth.ToText));   // 1993-08-05, not 08/05/1993
        Assert.Equal("1993-08-05", birth.To);                                       // stored ISO, whatever the language
        var branch = Assert.Single(changes, c => c.Field == "BranchId");
        Assert.Equal(("شعبه", person.BranchName), (branch.Label, branch.ToText));
        Assert.Equal(owner.DisplayName, Assert.Single(changes, c => c.Field == "OwnerId").ToText);
        Assert.Equal(company.Name, Assert.Single(changes, c => c.Field == "CompanyId").ToText);
        Assert.Equal("تلفن یا ایمیل اصلی", Assert.Single(changes, c => c.Field == "Points.IsPrimary").Label);
        Assert.Equal("نام", Assert.Single(changes, c => c.Field == "FirstName").Label);

        var english = await (await admin.GetAsync($"/api/audit/record/contact/{person.Id}")).Read<PagedResult<AuditRow>>();
        var englishBirth = Assert.Single(english.Items[0].Changes, c => c.Field == "BirthDate");
        Assert.Equal(("Birth date", "1993-08-05"), (englishBirth.Label, englishBirth.ToText));
    }

    // Entries written before dates were stored ISO hold the invariant culture's month/day/year: still read right.
    [Fact]
    public async Task An_older_entry_with_a_month_day_year_date_still_reads_as_the_same_day()
    {
        var admin = await app.AdminClient();
        var person = await (await admin.PostJson("/api/contacts", new ContactInput { FirstName = "سارا", LastName = "کامیاب" })).Read<ContactDetails>(HttpStatusCode.Created);
        await using (var db = await app.Db())
        {
            db.Audit.Add(new AuditEntry
            {
                At = TimeProvider.System.GetUtcNow().UtcDateTime,
                Action = AuditAction.Update,
                EntityType = "Contact",
                EntityId = person.Id.ToString(CultureInfo.InvariantCulture),
                Changes = """[{"field":"BirthDate","from":"12/31/1990","to":"08/05/1993"}]""",
            });
            await db.SaveChangesAsync();
        }

        var persian = await app.ClientFor(await app.CreateUser("Admin"), "fa-IR");
        var fa = await (await persian.GetAsync($"/api/audit/record/contact/{person.Id}")).Read<PagedResult<AuditRow>>();
        var faBirth = fa.Items.SelectMany(i => i.Changes).Single(c => c.Field == "BirthDate");
        Assert.Equal(("۱۳۶۹/۱۰/۱۰", "۱۳۷۲/۰۵/۱۴"), (faBirth.FromText, faBirth.ToText));
        var en = await (await admin.GetAsync($"/api/audit/record/contact/{person.Id}")).Read<PagedResult<AuditRow>>();
        var enBirth = en.Items.SelectMany(i => i.Changes).Single(c => c.Field == "BirthDate");
        Assert.Equal(("1990-12-31", "1993-08-05"), (enBirth.FromText, enBirth.ToText));
    }

    [Fact]
    public async Task A_merge_reads_as_a_sentence_naming_and_linking_the_other_person()
    {
        var admin = await app.AdminClient();
        var survivor = await (await admin.PostJson("/api/contacts", new ContactInput { FirstName = "بهار", LastName = "نیک‌نام" })).Read<ContactDetails>(HttpStatusCode.Created);
        var other = await (await admin.PostJson("/api/contacts", new ContactInput { FirstName = "بهاره", LastName = "نیکنام" })).Read<ContactDetails>(HttpStatusCode.Created);
        var merge = new MergeContacts.Request(other.Id, survivor.Version, other.Version);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostJson($"/api/contacts/{survivor.Id}/merge", merge)).StatusCode);

        var persian = await app.ClientFor(await app.CreateUser("Admin"), "fa-IR");
        var history = await (await persian.GetAsync($"/api/audit/record/contact/{survivor.Id}")).Read<PagedResult<AuditRow>>();
        var merged = Assert.Single(history.Items, a => a.Action == AuditAction.Merged);
        Assert.Equal("«بهاره نیکنام» در این شخص ادغام شد.", merged.Summary);
        Assert.Equal($"/contacts/{other.Id}", merged.Link);

        var away = await (await admin.GetAsync($"/api/audit?entityType=contact&entityId={other.Id}&action=Merged")).Read<PagedResult<AuditRow>>();
        Assert.Equal("Merged into بهار نیک‌نام.", Assert.Single(away.Items).Summary);
        Assert.Equal($"/contacts/{survivor.Id}", away.Items[0].Link);
    }

    [Fact]
    public async Task Failed_sign_ins_read_as_sentences()
    {
        var anonymous = app.CreateClient();
        await anonymous.PostJson("/api/auth/token", new { email = "nobody-" + Guid.NewGuid().ToString("N")[..6] + "@example.com", password = "not the password", name = "script" });
        await using (var db = await app.Db())
        {
            db.Audit.Add(new AuditEntry { At = TimeProvider.System.GetUtcNow().UtcDateTime, Action = AuditAction.SignInFailed, EntityType = "User", UserName = "someone@example.com", Detail = "bad credentials" });
            await db.SaveChangesAsync();
        }

        var persian = await app.ClientFor(await app.CreateUser("Admin"), "fa-IR");
        var failed = await (await persian.GetAsync("/api/audit?action=SignInFailed&pageSize=100")).Read<PagedResult<AuditRow>>();
        Assert.Contains(failed.Items, a => a.Detail == "bad credentials" && a.Summary == "ورود ناموفق: ایمیل یا گذرواژه نادرست بود.");
        Assert.Contains(failed.Items, a => a.Detail!.StartsWith("api-token:", StringComparison.Ordinal) && a.Summary == "توکن دسترسی داده نشد: ایمیل یا گذرواژه نادرست بود.");
    }

    // Every field a person, company, user or branch audits has a label in Persian: a new field without one fails here.
    [Fact]
    public void Every_audited_field_has_a_persian_label()
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("fa-IR");
        try
        {
            using var scope = app.Services.CreateScope();
            var describe = scope.ServiceProvider.GetRequiredService<AuditText>();
            using var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContext();
            var missing = new List<string>();
            foreach (var type in new[] { typeof(Contact), typeof(Company), typeof(AppUser), typeof(Branch) })
            {
                var entity = db.Model.FindEntityType(type)!;
                var fields = entity.GetProperties().Where(PayvandSaveChangesInterceptor.IsAudited).Select(p => p.Name)
                    .Concat(entity.GetNavigations().Where(n => n.TargetEntityType.IsOwned())
                        .SelectMany(n => n.TargetEntityType.GetProperties().Where(PayvandSaveChangesInterceptor.IsAudited).Select(p => $"{n.Name}.{p.Name}")));
                foreach (var field in fields.Where(f => !AuditText.IsHidden(f)))
                {
                    var label = describe.Label(field);
                    if (!label.Any(ch => ch is >= '\u0600' and <= '\u06FF')) missing.Add($"{type.Name}.{field}: {label}");
                }
            }

            Assert.True(missing.Count == 0, "Audited fields without a Persian label: " + string.Join(", ", missing));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
