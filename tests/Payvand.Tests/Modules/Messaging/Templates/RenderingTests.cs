using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Contacts;
using Payvand.Modules.CustomFields;
using Payvand.Modules.Messaging.Templates;
using Payvand.Platform.Auth;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Messaging.Templates;

// What a template renders to for a real person (MessageTemplates, as the sending core calls it): person and custom
// fields, the sender's values, the Jalali and Gregorian dates, Persian digits, money in the business's unit and links, in
// fa and en; and that every kind of broken template gives errors and no message.
public sealed class RenderingTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static readonly CultureInfo Fa = CultureInfo.GetCultureInfo("fa-IR");
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    private string? shoeKey;
    private int personId;

    private async Task<(MessageTemplates Templates, int PersonId, string ShoeKey)> Setup()
    {
        if (shoeKey is null)
        {
            var admin = await app.AdminClient();
            shoeKey = "shoe_" + Guid.NewGuid().ToString("N")[..6];
            await (await admin.PostJson("/api/custom-fields", new CustomFieldInput
            {
                Target = CustomFieldTarget.Contact,
                Key = shoeKey,
                LabelFa = "سایز کفش " + shoeKey,
                LabelEn = "Shoe " + shoeKey,
                Type = CustomFieldType.Number,
            })).Read<CustomFieldDto>(System.Net.HttpStatusCode.Created);
            personId = (await (await admin.PostJson("/api/contacts", new ContactInput
            {
                FirstName = "سارا",
                LastName = "رضایی",
                City = "تهران",
                BirthDate = new DateOnly(1990, 3, 21),
                Points = [new ContactPointInput(ContactPointKind.Mobile, "09121234567")],
                CustomFields = new() { [shoeKey] = "38" },
            })).Read<ContactDetails>(System.Net.HttpStatusCode.Created)).Id;
        }
        return (app.Services.GetRequiredService<MessageTemplates>(), personId, shoeKey);
    }

    private async Task<RenderResult> Render(string body, CultureInfo culture, Dictionary<string, string?>? values = null, string channel = "sms", string? html = null)
    {
        var (templates, id, _) = await Setup();
        return await templates.Render(new TemplateText(channel, null, body, html), id, values ?? [], culture, null, CancellationToken.None);
    }

    private async Task<string> Text(string body, CultureInfo culture, Dictionary<string, string?>? values = null)
    {
        var result = await Render(body, culture, values);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        return result.Message!.Body;
    }

    [Fact]
    public async Task Person_fields_are_filled()
    {
        var (_, _, shoe) = await Setup();
        Assert.Equal("سلام سارا رضایی از تهران، ۰۹۱۲", await Text("سلام {{ person.full_name }} از {{ person.city }}، {{ person.mobile | slice: 0, 4 | persian_digits }}", Fa));
        Assert.Equal("Size 38", await Text($"Size {{{{ person.custom.{shoe} }}}}", En));
        Assert.Equal("سارا-", await Text("{{ person.first_name }}-{{ person.email }}", Fa)); // no email: nil, empty
        Assert.Equal("no email", await Text("{% if person.email %}has{% else %}no{% endif %} email", En));
    }

    [Fact]
    public async Task Dates_are_jalali_or_gregorian_in_the_cultures_digits()
    {
        Assert.Equal("۱۳۶۹/۰۱/۰۱", await Text("{{ person.birth_date | jalali }}", Fa));
        Assert.Equal("1369/01/01", await Text("{{ person.birth_date | jalali }}", En));
        Assert.Equal("۱ فروردین ۱۳۶۹", await Text("{{ person.birth_date | jalali: 'long' }}", Fa));
        Assert.Equal("1990/03/21", await Text("{{ person.birth_date | gregorian }}", En));
        Assert.Equal("21 March 1990", await Text("{{ person.birth_date | gregorian: 'long' }}", En));
        Assert.Equal("۲۱ مارس ۱۹۹۰", await Text("{{ person.birth_date | gregorian: 'long' }}", Fa));
        // The sender's dates as text: ISO or Jalali.
        Assert.Equal("۱۴۰۵/۰۹/۱۶", await Text("{{ ends | jalali }}", Fa, new() { ["ends"] = "2026-12-07" }));
        Assert.Equal("2026/12/07", await Text("{{ ends | gregorian }}", En, new() { ["ends"] = "۱۴۰۵/۰۹/۱۶" }));
    }

    [Fact]
    public async Task Money_is_shown_in_the_business_unit_or_the_one_named()
    {
        var amount = new Dictionary<string, string?> { ["amount"] = "1250000" };
        Assert.Equal("۱۲۵٬۰۰۰ تومان", await Text("{{ amount | money }}", Fa, amount)); // the default unit is toman
        Assert.Equal("125,000 toman", await Text("{{ amount | money }}", En, amount));
        Assert.Equal("1,250,000 rials", await Text("{{ amount | money: 'rial' }}", En, amount));
        Assert.Equal("۱٬۲۵۰٬۰۰۰ ریال", await Text("{{ amount | money: 'rial' }}", Fa, new() { ["amount"] = "۱۲۵۰۰۰۰" }));
        Assert.Equal("۵۰ تومان", await Text("{{ 500 | money }}", Fa));
    }

    [Fact]
    public async Task Digits_and_links()
    {
        Assert.Equal("کد ۱۲۳AB", await Text("کد {{ coupon | persian_digits }}", Fa, new() { ["coupon"] = "123AB" }));
        Assert.Equal("1403", await Text("{{ year | latin_digits }}", Fa, new() { ["year"] = "۱۴۰۳" }));
        Assert.Equal("https://x.ir/?q=a%20b%26c", await Text("https://x.ir/?q={{ q | url }}", En, new() { ["q"] = "a b&c" }));
    }

    [Fact]
    public async Task An_sms_is_counted_after_the_values_are_put_in()
    {
        var result = await Render("{{ offer }}", Fa, new() { ["offer"] = new string('س', 71) });
        Assert.Equal(new SmsParts(SmsEncoding.Ucs2, 71, 2, 63, 67), result.Message!.Sms);
        Assert.Null((await Render("x", En, channel: "email")).Message!.Sms);
    }

    [Fact]
    public async Task Values_in_the_html_part_are_encoded_and_the_text_part_is_not()
    {
        var (templates, id, _) = await Setup();
        var result = await templates.Render(new TemplateText("email", "{{ offer }} برای {{ person.first_name }}", "{{ offer }}", "<p>{{ offer }}</p>"), id,
            new Dictionary<string, string?> { ["offer"] = "<b>۲۰٪</b>" }, Fa, null, CancellationToken.None);
        Assert.True(result.Succeeded);
        Assert.Equal("<b>۲۰٪</b> برای سارا", result.Message!.Subject);
        Assert.Equal("<b>۲۰٪</b>", result.Message.Body);
        Assert.Equal("<p>&lt;b&gt;۲۰٪&lt;/b&gt;</p>", result.Message.HtmlBody);
    }

    [Fact]
    public async Task A_syntax_error_is_placed_by_line_and_column()
    {
        var result = await Render("سلام\n{{ person.first_name ", Fa);
        Assert.Null(result.Message);
        var error = Assert.Single(result.Errors);
        Assert.Equal("body", error.Field);
        Assert.Equal(2, error.Line);
        Assert.NotNull(error.Column);
        Assert.Equal($"Line 2, column {error.Column}: End of tag '}}}}' was expected", error.Message);
    }

    [Theory]
    [InlineData("{{ person.frist_name }}", "person.frist_name is not a field of the person.")]
    [InlineData("کد شما {{ coupon }}", "No value named coupon was given.")]
    public async Task A_missing_name_is_an_error_never_a_hole_in_the_message(string body, string message)
    {
        var result = await Render(body, En);
        Assert.Null(result.Message);
        Assert.Equal(message, Assert.Single(result.Errors).Message);
    }

    [Theory]
    [InlineData("{{ person.first_name | shout }}")]
    [InlineData("{{ amount | money }}")]                            // not an amount
    [InlineData("{{ amount | money: 'dollar' }}")]
    [InlineData("{{ amount | jalali }}")]                           // not a date
    [InlineData("{% for i in (1..10000000) %}x{% endfor %}")]        // runs too long
    public async Task A_template_that_fails_to_render_gives_an_error(string body)
    {
        var result = await Render(body, En, new() { ["amount"] = "bananas" });
        Assert.Null(result.Message);
        Assert.Equal("body", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public async Task A_person_that_cannot_be_seen_or_a_bad_value_name_is_an_error()
    {
        var (templates, id, _) = await Setup();
        var missing = await templates.Render(new TemplateText("sms", null, "x", null), 999_999, new Dictionary<string, string?>(), Fa, null, CancellationToken.None);
        Assert.Equal("personId", Assert.Single(missing.Errors).Field);
        var otherBranch = new UserScope(1, "x", new HashSet<string> { Roles.Sales }, new HashSet<int> { 987654 });
        Assert.Equal("personId", Assert.Single((await templates.Render(new TemplateText("sms", null, "x", null), id, new Dictionary<string, string?>(), Fa, otherBranch, CancellationToken.None)).Errors).Field);
        var badName = await templates.Render(new TemplateText("sms", null, "x", null), id, new Dictionary<string, string?> { ["person"] = "x" }, Fa, null, CancellationToken.None);
        Assert.Equal("values", Assert.Single(badName.Errors).Field);
    }

    [Fact]
    public async Task Validation_takes_unknown_top_level_names_as_sender_values_but_not_unknown_person_fields()
    {
        var (templates, _, shoe) = await Setup();
        Assert.Empty(await templates.Validate(new TemplateText("sms", null, $"{{{{ person.first_name }}}} {{{{ coupon }}}} {{{{ amount | money }}}} {{{{ person.custom.{shoe} }}}} {{{{ ends | jalali }}}}", null), CancellationToken.None));
        var errors = await templates.Validate(new TemplateText("email", "{{ person.nick }}", "ok", "<p>{% if %}</p>"), CancellationToken.None);
        Assert.Equal(["subject", "htmlBody"], errors.Select(e => e.Field));
    }
}
