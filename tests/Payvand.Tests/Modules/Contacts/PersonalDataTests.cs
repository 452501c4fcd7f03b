using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Modules.CustomFields;
using Payvand.Platform.Audit;
using Payvand.Platform.Data;
using Payvand.Platform.Privacy;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Contacts;

// Export and erasure of a person's data across every registered module, who may do them, and the map.
[Trait("Category", "Integration")]
public sealed class PersonalDataTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    // A person with something in every section: phones, email, tags, consent, an audited change, timeline entries
    // (one also on a company), and a custom field value.
    private static async Task<(UniquePerson Person, ContactDetails Contact)> FullPerson(HttpClient client)
    {
        var person = UniquePerson.Create();
        var key = "hobby_" + Guid.NewGuid().ToString("N")[..8];
        await (await client.PostJson("/api/custom-fields", new CustomFieldInput
        {
            Target = CustomFieldTarget.Contact,
            Key = key,
            LabelFa = "سرگرمی",
            LabelEn = "Hobby",
            Type = CustomFieldType.Text,
        })).Read<JsonElement>(HttpStatusCode.Created);
        var created = await (await client.PostJson("/api/contacts", person.Input() with
        {
            CustomFields = new() { [key] = "Chess with " + person.LastName },
        })).Read<ContactDetails>(HttpStatusCode.Created);
        var changed = await (await client.PutJson($"/api/contacts/{created.Id}", person.Input() with
        {
            City = "Shiraz",
            Address = "Lane of " + person.FirstName,
            Version = created.Version,
            CustomFields = new() { [key] = "Chess with " + person.LastName },
        })).Read<ContactDetails>();
        await (await client.PostJson($"/api/contacts/{created.Id}/consent", new SetConsent.Request(ConsentChannel.Sms, ConsentStatus.OptedIn, "form " + person.Mobile))).Expect(HttpStatusCode.NoContent);
        await (await client.PostJson($"/api/contacts/{created.Id}/consent", new SetConsent.Request(ConsentChannel.Sms, ConsentStatus.OptedOut, "reply from " + person.Mobile, "said " + person.FirstName))).Expect(HttpStatusCode.NoContent);
        await (await client.PostJson($"/api/contacts/{created.Id}/timeline", new ActivityInput
        {
            Kind = ActivityKind.Call,
            Subject = "Call " + person.FirstName,
            Body = "Spoke with " + person.DisplayName,
            PhoneNumber = person.Mobile,
            Direction = CallDirection.Outbound,
        })).Read<JsonElement>(HttpStatusCode.Created);
        var company = await (await client.PostJson("/api/companies", new { Name = "Co " + Guid.NewGuid().ToString("N")[..6] })).Read<JsonElement>(HttpStatusCode.Created);
        await (await client.PostJson($"/api/contacts/{created.Id}/timeline", new ActivityInput
        {
            Kind = ActivityKind.Email,
            Subject = "Offer",
            Body = "Dear " + person.LastName,
            EmailAddress = person.Email,
            Direction = CallDirection.Outbound,
            CompanyId = company.GetProperty("id").GetInt32(),
        })).Read<JsonElement>(HttpStatusCode.Created);
        return (person, changed);
    }

    // searchable: without the files (uploads, exports) that erasing cannot search and retention deletes whole.
    private static async Task<List<(string Table, string Column)>> MappedColumns(HttpClient admin, bool searchable = false)
    {
        var map = await (await admin.GetAsync("/api/privacy/map")).Read<List<PersonalDataMapSection>>();
        return map.SelectMany(s => s.Fields).Where(f => !searchable || f.OnErase != PersonalDataTreatment.Expires).Select(f => (f.Table, f.Column)).Distinct().ToList();
    }

    // Rows of a mapped column that still contain the value, whoever they belong to (the values are unique to the person).
    private async Task<int> Occurrences(string table, string column, string value)
    {
        await using var db = await app.Db();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // table and column names come from the app's own map, the value is a parameter
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\" WHERE LOWER(CAST(\"{column}\" AS TEXT)) LIKE @v";
#pragma warning restore CA2100
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@v";
        parameter.Value = "%" + value.ToLowerInvariant() + "%";
        command.Parameters.Add(parameter);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Erase_leaves_no_personal_value_in_any_mapped_column()
    {
        var admin = await app.AdminClient();
        var (person, contact) = await FullPerson(admin);
        var columns = await MappedColumns(admin, searchable: true);
        Assert.Contains(("Audit", "Changes"), columns);
        Assert.Contains(("SearchTerms", "Term"), columns);
        Assert.True(await Occurrences("Audit", "Changes", person.LastName) > 0, "the test person should be in the audit trail before erasure");
        Assert.True(await Occurrences("Activities", "PhoneNumber", person.MobileE164[3..]) > 0);

        var response = await admin.PostJson($"/api/contacts/{contact.Id}/personal-data/erase", new PersonalDataRequests.EraseRequest(person.DisplayName, "Request by letter 12"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var left = new List<string>();
        foreach (var (table, column) in columns)
        {
            foreach (var secret in person.Secrets())
            {
                if (await Occurrences(table, column, secret) > 0) left.Add($"{table}.{column} still holds {secret}");
            }
        }

        Assert.Empty(left);
        await using var db = await app.Db();
        var row = await db.Contacts.IgnoreQueryFilters().Include(c => c.Points).SingleAsync(c => c.Id == contact.Id);
        Assert.Equal($"Erased person #{contact.Id}", row.LastName);
        Assert.NotNull(row.DeletedAt);
        Assert.Empty(row.Points);
        var consent = await db.ConsentRecords.Where(r => r.ContactId == contact.Id).ToListAsync();
        var optOut = Assert.Single(consent); // the opt-out stays as evidence, the opt-in is gone
        Assert.Equal(ConsentStatus.OptedOut, optOut.Status);
        Assert.Null(optOut.Note);
        var companyEntry = Assert.Single(await db.Activities.Where(a => a.EmailAddress == null && a.Kind == ActivityKind.Email && a.ContactId == null && a.Subject == null).ToListAsync());
        Assert.NotNull(companyEntry.CompanyId); // the company keeps the fact of the email, not its words
        var erased = await db.Audit.SingleAsync(a => a.Action == AuditAction.Erased && a.EntityId == contact.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("Request by letter 12", erased.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/contacts/{contact.Id}")).StatusCode);
        await (await admin.PostAsync($"/api/contacts/{contact.Id}/restore", null)).Problem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Erase_needs_the_name_as_confirmation_and_a_reason()
    {
        var admin = await app.AdminClient();
        var person = UniquePerson.Create();
        var contact = await (await admin.PostJson("/api/contacts", person.Input())).Read<ContactDetails>(HttpStatusCode.Created);
        var problem = await (await admin.PostJson($"/api/contacts/{contact.Id}/personal-data/erase", new PersonalDataRequests.EraseRequest("someone else", " ")))
            .Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("confirmation", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(person.LastName, (await (await admin.GetAsync($"/api/contacts/{contact.Id}")).Read<ContactDetails>()).LastName);
    }

    [Fact]
    public async Task Export_contains_every_section()
    {
        var admin = await app.AdminClient();
        var (person, contact) = await FullPerson(admin);
        var map = await (await admin.GetAsync("/api/privacy/map")).Read<List<PersonalDataMapSection>>();
        var export = await (await admin.GetAsync($"/api/contacts/{contact.Id}/personal-data")).Read<JsonElement>();
        var sections = export.GetProperty("sections");
        foreach (var section in map) Assert.True(sections.TryGetProperty(section.Section, out _), $"section {section.Section} is missing");
        Assert.Equal(["audit", "customFields", "files", "messages", "person", "purchases", "timeline"], map.Select(s => s.Section).Order(StringComparer.Ordinal));
        var files = map.Single(s => s.Section == "files").Fields;
        Assert.Equal([("StoredFiles", "Content", PersonalDataTreatment.Expires), ("StoredFileChunk", "Data", PersonalDataTreatment.Expires)],
            files.Select(f => (f.Table, f.Column, f.OnErase)));
        var text = export.GetRawText();
        Assert.Contains(person.NationalCode, text, StringComparison.Ordinal);
        Assert.Contains(person.Email, text, StringComparison.Ordinal);
        Assert.Contains("Chess with " + person.LastName, text, StringComparison.Ordinal);
        Assert.Contains("Spoke with " + person.DisplayName, text, StringComparison.Ordinal);
        Assert.Equal(2, sections.GetProperty("timeline").GetArrayLength());
    }

    // The map's reasons are shown to administrators in their language: in Persian none may fall back to English
    // (a reason without a translation came back as its English key).
    [Fact]
    public async Task The_map_gives_every_reason_in_the_readers_language()
    {
        await using var db = await app.Db();
        var adminUser = await db.Users.SingleAsync(u => u.Email == PayvandApp.AdminEmail);
        var persian = await (await (await app.ClientFor(adminUser, "fa-IR")).GetAsync("/api/privacy/map")).Read<List<PersonalDataMapSection>>();
        var english = await (await (await app.ClientFor(adminUser)).GetAsync("/api/privacy/map")).Read<List<PersonalDataMapSection>>();

        var untranslated = persian.SelectMany(s => s.Fields).Where(f => f.Why.Any(char.IsAsciiLetter)).Select(f => $"{f.Table}.{f.Column}: {f.Why}").ToList();
        Assert.True(untranslated.Count == 0, "English reasons in Persian: " + string.Join(" | ", untranslated));
        Assert.All(english.SelectMany(s => s.Fields), f => Assert.Contains(f.Why[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
    }

    [Fact]
    public async Task Sales_cannot_erase_or_export_and_the_refusal_is_audited()
    {
        var admin = await app.AdminClient();
        var person = UniquePerson.Create();
        var contact = await (await admin.PostJson("/api/contacts", person.Input(app.MainBranchId))).Read<ContactDetails>(HttpStatusCode.Created);
        var salesUser = await app.CreateUser("Sales", app.MainBranchId);
        var sales = await app.ClientFor(salesUser);

        await (await sales.PostJson($"/api/contacts/{contact.Id}/personal-data/erase", new PersonalDataRequests.EraseRequest(person.DisplayName, "no")))
            .Problem(HttpStatusCode.Forbidden);
        await (await sales.GetAsync($"/api/contacts/{contact.Id}/personal-data")).Problem(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.GetAsync("/api/privacy/map")).StatusCode);

        await using var db = await app.Db();
        var denied = await db.Audit.Where(a => a.Action == AuditAction.AccessDenied && a.UserId == salesUser.Id).Select(a => a.Detail).ToListAsync();
        Assert.Contains($"POST /api/contacts/{contact.Id}/personal-data/erase", denied);
        Assert.Equal(person.LastName, (await (await admin.GetAsync($"/api/contacts/{contact.Id}")).Read<ContactDetails>()).LastName);
    }

    [Fact]
    public async Task A_manager_exports_in_their_branch_only_and_may_not_erase()
    {
        var admin = await app.AdminClient();
        var away = await app.CreateBranch("Privacy away " + Guid.NewGuid().ToString("N")[..6]);
        var home = await (await admin.PostJson("/api/contacts", UniquePerson.Create().Input(app.MainBranchId))).Read<ContactDetails>(HttpStatusCode.Created);
        var other = UniquePerson.Create();
        var elsewhere = await (await admin.PostJson("/api/contacts", other.Input(away))).Read<ContactDetails>(HttpStatusCode.Created);
        var manager = await app.ClientAs("Manager", app.MainBranchId);

        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/contacts/{home.Id}/personal-data")).StatusCode);
        var hidden = await manager.GetAsync($"/api/contacts/{elsewhere.Id}/personal-data");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.DoesNotContain(other.LastName, await hidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await (await manager.PostJson($"/api/contacts/{home.Id}/personal-data/erase", new PersonalDataRequests.EraseRequest(home.DisplayName, "r")))
            .Problem(HttpStatusCode.Forbidden);
    }

    // Every text column of a table about a person must be either in the map or declared not personal here, with why:
    // a column added later without deciding fails this test.
    private static readonly Dictionary<(string Table, string Column), string> NotPersonal = new()
    {
        [("Activities", "Type")] = "the module's own event type, e.g. deal.won",
        [("Activities", "SourceType")] = "the name of another module's record type",
        [("Activities", "SourceId")] = "the id of another module's record",
        [("SearchTerms", "Entity")] = "the kind of record indexed",
        [("Audit", "UserName")] = "the staff member who acted, not the person",
        [("Audit", "EntityType")] = "the kind of record changed",
        [("Audit", "EntityId")] = "the record's id",
        [("Audit", "Detail")] = "system text (paths, merge links) and the redacted reason of an erasure",
        [("Audit", "IpAddress")] = "the staff member's address",
        [("Purchases", "Currency")] = "the currency code of the amounts",
        [("Purchases", "SourceSystem")] = "the name of the till or shop that sent the order",
        [("Purchases", "ExternalOrderId")] = "the shop's own order number, meaningless without the shop's records",
        [("ConsentRecords", "Channel")] = "the key of a channel (sms, email...)",
        [("ContactConsents", "Channel")] = "the key of a channel (sms, email...)",
        [("PromotionalContacts", "Channel")] = "the key of a channel (sms, email...)",
    };

    [Fact]
    public async Task Every_text_column_of_a_table_about_a_person_is_mapped_or_declared_not_personal()
    {
        var admin = await app.AdminClient();
        var mapped = (await MappedColumns(admin)).ToHashSet();
        await using var db = await app.Db();

        // Tables about a person: Contacts' own and owned tables, every table with a ContactId, and those keyed by record id.
        var tables = db.Model.GetEntityTypes()
            .Where(e => e.ClrType == typeof(Contact) || e.FindOwnership()?.PrincipalEntityType.ClrType == typeof(Contact) || e.FindProperty("ContactId") is not null)
            .Select(e => e.GetTableName()!)
            .Concat(["CustomFieldValues", "SearchTerms", "Audit"])
            .ToHashSet(StringComparer.Ordinal);
        var forgotten = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes().Where(e => e.GetTableName() is { } t && tables.Contains(t)))
        {
            var table = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            foreach (var property in entity.GetProperties().Where(p => (Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType) is var t
                         && (t == typeof(string) || t == typeof(DateOnly) || t == typeof(TimeOnly))))
            {
                var column = (entity.GetTableName()!, property.GetColumnName(table)!);
                if (!mapped.Contains(column) && !NotPersonal.ContainsKey(column)) forgotten.Add($"{column.Item1}.{column.Item2}");
            }
        }

        Assert.True(forgotten.Count == 0, "Not in the privacy map nor declared not personal: " + string.Join(", ", forgotten));
        Assert.True(tables.Contains("ConsentRecords") && tables.Contains("Activities") && tables.Contains("ContactPoints"), string.Join(", ", tables));
    }
}
