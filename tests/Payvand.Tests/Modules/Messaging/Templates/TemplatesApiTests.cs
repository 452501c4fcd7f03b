using System.Net;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging.Templates;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Messaging.Templates;

// /api/templates: writing, versions, archiving, syntax errors as field errors with line and column, preview against a
// real person in fa and en, and who may do what.
[Trait("Category", "Integration")]
public sealed class TemplatesApiTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static TemplateInput Sms(string body, string name = "Welcome") => new() { Name = name, Channel = "sms", Body = body, Language = TemplateLanguage.Both };

    private static async Task<int> Person(HttpClient admin, string first = "مریم", string last = "احمدی") =>
        (await (await admin.PostJson("/api/contacts", new ContactInput
        {
            FirstName = first,
            LastName = last,
            BirthDate = new DateOnly(1995, 3, 21),
            Points = [new ContactPointInput(ContactPointKind.Mobile, "09351234567")],
        })).Read<ContactDetails>(HttpStatusCode.Created)).Id;

    [Fact]
    public async Task Templates_are_written_listed_changed_archived_and_audited()
    {
        var admin = await app.AdminClient();
        var name = "Welcome " + Guid.NewGuid().ToString("N")[..6];
        var created = await (await admin.PostJson("/api/templates", Sms("سلام {{ person.first_name }}، کد {{ coupon }}", name))).Read<TemplateDto>(HttpStatusCode.Created);
        Assert.Equal(name, created.Name);
        Assert.Equal("sms", created.Channel);
        Assert.Equal(ContactPurpose.Promotional, created.Purpose);
        Assert.Equal(SmsEncoding.Ucs2, created.Sms!.Encoding);

        Assert.Equal(created.Body, (await (await admin.GetAsync($"/api/templates/{created.Id}")).Read<TemplateDto>()).Body);
        Assert.Contains(await (await admin.GetAsync("/api/templates?channel=sms")).Read<List<TemplateDto>>(), t => t.Id == created.Id);
        Assert.DoesNotContain(await (await admin.GetAsync("/api/templates?channel=email")).Read<List<TemplateDto>>(), t => t.Id == created.Id);

        var changed = await (await admin.PutJson($"/api/templates/{created.Id}", Sms("Hi {{ person.first_name }}", name) with { Version = created.Version, Purpose = ContactPurpose.Transactional }))
            .Read<TemplateDto>();
        Assert.Equal("Hi {{ person.first_name }}", changed.Body);
        Assert.Equal(ContactPurpose.Transactional, changed.Purpose);
        Assert.True(changed.Version > created.Version);
        await (await admin.PutJson($"/api/templates/{created.Id}", Sms("stale", name) with { Version = created.Version })).Problem(HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/templates/{created.Id}")).StatusCode);
        Assert.DoesNotContain(await (await admin.GetAsync("/api/templates")).Read<List<TemplateDto>>(), t => t.Id == created.Id);
        Assert.NotNull((await (await admin.GetAsync("/api/templates?includeArchived=true")).Read<List<TemplateDto>>()).Single(t => t.Id == created.Id).ArchivedAt);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/templates/{created.Id}/restore", null)).StatusCode);
        Assert.Contains(await (await admin.GetAsync("/api/templates")).Read<List<TemplateDto>>(), t => t.Id == created.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/templates/999999")).StatusCode);

        await using var db = await app.Db();
        var audit = await db.Audit.Where(a => a.EntityType == nameof(MessageTemplate) && a.EntityId == created.Id.ToString()).ToListAsync();
        Assert.Contains(audit, a => a.Action == AuditAction.Create);
        Assert.Contains(audit, a => a.Action == AuditAction.Update && a.Changes!.Contains("Body", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == AuditAction.Update && a.Changes!.Contains("ArchivedAt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_syntax_is_a_field_error_with_line_and_column_in_the_callers_language()
    {
        var admin = await app.AdminClient();
        var problem = await (await admin.PostJson("/api/templates", Sms("Hello\n{% if person.first_name %}x"))).Problem(HttpStatusCode.BadRequest);
        var message = problem.GetProperty("errors").GetProperty("body")[0].GetString()!;
        Assert.StartsWith("Line 2, column ", message, StringComparison.Ordinal);

        var fa = await app.ClientFor(await app.CreateUser(Roles.Marketing, app.MainBranchId), "fa-IR");
        var faProblem = await (await fa.PostJson("/api/templates", Sms("سلام\n{{ person.first_name "))).Problem(HttpStatusCode.BadRequest);
        Assert.StartsWith("سطر ۲، ستون ", faProblem.GetProperty("errors").GetProperty("body")[0].GetString()!, StringComparison.Ordinal);

        var unknown = await (await admin.PostJson("/api/templates", Sms("{{ person.nickname }}"))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("person.nickname is not a field of the person.", unknown.GetProperty("errors").GetProperty("body")[0].GetString());

        var fields = await (await admin.PostJson("/api/templates", new TemplateInput { Channel = "pigeon", Body = "" })).Problem(HttpStatusCode.BadRequest);
        var errors = fields.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("channel", out _));
        Assert.True(errors.TryGetProperty("body", out _));

        var email = await (await admin.PostJson("/api/templates", new TemplateInput { Name = "e", Channel = "email", Body = "x" })).Problem(HttpStatusCode.BadRequest);
        Assert.True(email.GetProperty("errors").TryGetProperty("subject", out _));
        var smsSubject = await (await admin.PostJson("/api/templates", Sms("x") with { Subject = "s" })).Problem(HttpStatusCode.BadRequest);
        Assert.True(smsSubject.GetProperty("errors").TryGetProperty("subject", out _));
    }

    [Fact]
    public async Task Preview_renders_for_a_real_person_in_fa_and_en()
    {
        var admin = await app.AdminClient();
        var person = await Person(admin);
        var t = await (await admin.PostJson("/api/templates", Sms("{{ person.first_name }} عزیز، تولدت {{ person.birth_date | jalali }} مبارک! {{ amount | money }}"))).Read<TemplateDto>(HttpStatusCode.Created);

        var values = new Dictionary<string, string?> { ["amount"] = "500000" };
        var fa = await (await admin.PostJson($"/api/templates/{t.Id}/preview", new PreviewTemplate.Request { PersonId = person, Culture = "fa", Values = values }))
            .Read<PreviewTemplate.Response>();
        Assert.Equal("fa", fa.Culture);
        Assert.Equal("مریم عزیز، تولدت ۱۳۷۴/۰۱/۰۱ مبارک! ۵۰٬۰۰۰ تومان", fa.Text);
        Assert.Equal(SmsEncoding.Ucs2, fa.Sms!.Encoding);
        Assert.Equal(fa.Text!.Length, fa.Sms.Characters);
        Assert.Equal(1, fa.Sms.Parts);
        Assert.Empty(fa.Errors);

        var en = await (await admin.PostJson($"/api/templates/{t.Id}/preview", new PreviewTemplate.Request { PersonId = person, Culture = "en", Values = values }))
            .Read<PreviewTemplate.Response>();
        Assert.Equal("مریم عزیز، تولدت 1374/01/01 مبارک! 50,000 toman", en.Text);

        // Without the sender's value the template does not make a message: the errors are the answer.
        var missing = await (await admin.PostJson($"/api/templates/{t.Id}/preview", new PreviewTemplate.Request { PersonId = person, Culture = "en" })).Read<PreviewTemplate.Response>();
        Assert.Null(missing.Text);
        Assert.Equal("No value named amount was given.", Assert.Single(missing.Errors).Message);

        var draft = await (await admin.PostJson("/api/templates/preview", new PreviewTemplate.DraftRequest
        {
            Channel = "sms",
            Body = "Hi {{ person.first_name }} {{ x | money: 'rial' }}",
            PersonId = person,
            Culture = "en",
            Values = new() { ["x"] = "1000" },
        })).Read<PreviewTemplate.Response>();
        Assert.Equal("Hi مریم 1,000 rials", draft.Text);
        var badDraft = await (await admin.PostJson("/api/templates/preview", new PreviewTemplate.DraftRequest { Channel = "sms", Body = "{{ x", PersonId = person, Culture = "en" }))
            .Read<PreviewTemplate.Response>();
        var error = Assert.Single(badDraft.Errors);
        Assert.Equal(1, error.Line);

        var noPerson = await (await admin.PostJson($"/api/templates/{t.Id}/preview", new PreviewTemplate.Request { PersonId = 999_999, Culture = "fa" })).Problem(HttpStatusCode.BadRequest);
        Assert.True(noPerson.GetProperty("errors").TryGetProperty("personId", out _));
        var badCulture = await (await admin.PostJson($"/api/templates/{t.Id}/preview", new PreviewTemplate.Request { PersonId = person, Culture = "de" })).Problem(HttpStatusCode.BadRequest);
        Assert.True(badCulture.GetProperty("errors").TryGetProperty("culture", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostJson("/api/templates/999999/preview", new PreviewTemplate.Request { PersonId = person })).StatusCode);
    }

    [Fact]
    public async Task A_person_in_a_branch_the_caller_cannot_see_is_not_previewed()
    {
        var admin = await app.AdminClient();
        var other = await app.CreateBranch("Templates branch " + Guid.NewGuid().ToString("N")[..6]);
        var person = (await (await admin.PostJson("/api/contacts", new ContactInput { LastName = "Far", BranchId = other })).Read<ContactDetails>(HttpStatusCode.Created)).Id;
        var sales = await app.ClientAs(Roles.Sales);
        var problem = await (await sales.PostJson("/api/templates/preview", new PreviewTemplate.DraftRequest { Channel = "sms", Body = "x", PersonId = person })).Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("personId", out _));
    }

    [Fact]
    public async Task Support_may_not_see_templates_and_sales_may_not_write_them()
    {
        var admin = await app.AdminClient();
        var t = await (await admin.PostJson("/api/templates", Sms("x"))).Read<TemplateDto>(HttpStatusCode.Created);
        var support = await app.ClientAs(Roles.Support);
        Assert.Equal(HttpStatusCode.Forbidden, (await support.GetAsync("/api/templates")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await support.PostJson($"/api/templates/{t.Id}/preview", new PreviewTemplate.Request { PersonId = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await support.PostJson("/api/templates", Sms("x"))).StatusCode);

        var sales = await app.ClientAs(Roles.Sales);
        Assert.Equal(HttpStatusCode.OK, (await sales.GetAsync($"/api/templates/{t.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.PostJson("/api/templates", Sms("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.DeleteAsync($"/api/templates/{t.Id}")).StatusCode);

        var marketing = await app.ClientAs(Roles.Marketing);
        Assert.Equal(HttpStatusCode.Created, (await marketing.PostJson("/api/templates", Sms("x"))).StatusCode);
    }
}
