using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Contacts;
using Payvand.Modules.Messaging.Templates;
using Payvand.Platform.Auth;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Messaging;

// POST /api/messages with a saved template instead of a text, on SQLite and PostgreSQL: rendered for the person in
// their language with the sender's values, safe to retry with Idempotency-Key, and a 400 with field errors in the
// caller's language for a bad template id, a template that does not render, or both or neither of text and template.
[Trait("Category", "Integration")]
public sealed class SendMessageTemplateTests(MessagingApp app) : IClassFixture<MessagingApp>
{
    private async Task<int> Template(string channel, string body, TemplateLanguage language = TemplateLanguage.Both, string? subject = null, string? html = null,
        ContactPurpose purpose = ContactPurpose.Transactional)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SaveTemplate>().Create(new TemplateInput
        {
            Name = "API " + Guid.NewGuid().ToString("N")[..8],
            Channel = channel,
            Purpose = purpose,
            Language = language,
            Subject = subject,
            Body = body,
            HtmlBody = html,
        }, CancellationToken.None);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = JsonContent.Create(body, options: HttpExtensions.Json) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_template_is_rendered_for_the_person_in_their_language_with_the_senders_values_and_retried_safely()
    {
        var template = await Template(ConsentChannel.Sms, "{{ person.last_name }}، کد ورود شما {{ code }} است؛ مبلغ {{ amount | money }}");
        var persian = await app.Person(change: c => c.Preferences.Language = "fa");
        var client = await app.ClientAs(Roles.Admin);
        var key = Guid.NewGuid().ToString();
        var body = new { contactId = persian.Id, templateId = template, values = new Dictionary<string, string> { ["code"] = "4455", ["amount"] = "1500000" } };

        var created = await (await Send(client, body, key)).Read<JsonElement>(HttpStatusCode.Created);
        Assert.Equal(("sms", "Transactional"), (created.GetProperty("channel").GetString(), created.GetProperty("purpose").GetString()));
        Assert.Equal($"{persian.LastName}، کد ورود شما 4455 است؛ مبلغ ۱۵۰٬۰۰۰ تومان", created.GetProperty("body").GetString());
        var replay = await (await Send(client, body, key)).Read<JsonElement>(HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("id").GetInt64(), replay.GetProperty("id").GetInt64());
        await (await Send(client, body with { values = new Dictionary<string, string> { ["code"] = "9999", ["amount"] = "1500000" } }, key)).Problem(HttpStatusCode.UnprocessableEntity);

        // An email template for both languages: an English-speaking person gets it in English, with subject and HTML.
        var email = await Template(ConsentChannel.Email, "Total {{ amount | money }}", subject: "Receipt for {{ person.last_name }}",
            html: "<p>Total <b>{{ amount | money }}</b></p>");
        var english = await app.Person(change: c => c.Preferences.Language = "en");
        var mail = await (await Send(client, new { contactId = english.Id, templateId = email, values = new Dictionary<string, string> { ["amount"] = "1500000" } }))
            .Read<JsonElement>(HttpStatusCode.Created);
        Assert.Equal("email", mail.GetProperty("channel").GetString());
        Assert.Equal($"Receipt for {english.LastName}", mail.GetProperty("subject").GetString());
        Assert.Equal("Total 150,000 toman", mail.GetProperty("body").GetString());
        var stored = await app.Message(mail.GetProperty("id").GetInt64());
        Assert.Equal("<p>Total <b>150,000 toman</b></p>", stored.HtmlBody);
    }

    [Fact]
    public async Task A_bad_template_a_failing_template_or_both_or_neither_of_text_and_template_is_a_400_with_field_errors()
    {
        var person = await app.Person();
        var client = await app.ClientAs(Roles.Admin, "fa-IR");
        var english = await app.ClientAs(Roles.Admin);
        var needsCode = await Template(ConsentChannel.Sms, "کد شما {{ code }}", TemplateLanguage.Fa);
        var promotional = await Template(ConsentChannel.Sms, "حراج", TemplateLanguage.Fa, purpose: ContactPurpose.Promotional);

        async Task<JsonElement> Errors(HttpClient c, object body) => (await (await Send(c, body)).Problem(HttpStatusCode.BadRequest)).GetProperty("errors");

        var missing = await Errors(client, new { contactId = person.Id, templateId = 999_999 });
        Assert.Equal("قالب پیدا نشد یا بایگانی شده است.", missing.GetProperty("templateId")[0].GetString());
        Assert.Equal("The template was not found or is archived.", (await Errors(english, new { contactId = person.Id, templateId = 999_999 })).GetProperty("templateId")[0].GetString());

        var both = await Errors(client, new { contactId = person.Id, templateId = needsCode, body = "متن", values = new { code = "1" } });
        Assert.Equal("یا متن بدهید یا قالب، نه هر دو.", both.GetProperty("body")[0].GetString());
        var neither = await Errors(english, new { contactId = person.Id });
        Assert.Equal("Text is required.", neither.GetProperty("body")[0].GetString());

        // A value the template needs and the sender did not give: the template's error, on templateId.
        var failing = await Errors(english, new { contactId = person.Id, templateId = needsCode });
        Assert.Contains("code", failing.GetProperty("templateId")[0].GetString(), StringComparison.Ordinal);
        var badName = await Errors(english, new { contactId = person.Id, templateId = needsCode, values = new Dictionary<string, string> { ["Code!"] = "1" } });
        Assert.True(badName.TryGetProperty("values", out _));

        var wrongChannel = await Errors(english, new { contactId = person.Id, templateId = needsCode, channel = "email" });
        Assert.Equal("This template is for sms, not email.", wrongChannel.GetProperty("templateId")[0].GetString());
        var wrongPurpose = await Errors(client, new { contactId = person.Id, templateId = promotional });
        Assert.Equal("این قالب تبلیغاتی است؛ آن را با همین هدف بفرستید.", wrongPurpose.GetProperty("purpose")[0].GetString());
        var subject = await Errors(english, new { contactId = person.Id, templateId = needsCode, subject = "x", values = new { code = "1" } });
        Assert.True(subject.TryGetProperty("subject", out _));
        var valuesWithoutTemplate = await Errors(english, new { contactId = person.Id, body = "x", values = new { code = "1" } });
        Assert.True(valuesWithoutTemplate.TryGetProperty("values", out _));
    }

    [Fact]
    public async Task The_openapi_document_shows_the_send_requests_own_fields()
    {
        var document = await (await (await app.ClientAs(Roles.Admin)).GetAsync("/openapi/v1.json")).Read<JsonElement>();
        var reference = document.GetProperty("paths").GetProperty("/api/messages").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.Split('/')[^1]);
        foreach (var field in new[] { "contactId", "body", "templateId", "values" }) Assert.True(schema.GetProperty("properties").TryGetProperty(field, out _), field);
    }
}
