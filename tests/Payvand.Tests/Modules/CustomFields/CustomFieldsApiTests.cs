using System.Net;
using Payvand.Modules.Contacts;
using Payvand.Modules.CustomFields;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.CustomFields;

// Defining custom fields (/api/custom-fields): what a key may be, what a choice field needs, versions,
// the type and key locked once values exist, delete versus deactivate, administrators only.
[Trait("Category", "Integration")]
public sealed class CustomFieldsApiTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private const string KeyRule = "The key may contain only lower-case English letters, digits and _ (at most 50).";

    private static string Key(string name) => $"{name}_{Guid.NewGuid().ToString("N")[..6]}";

    private static CustomFieldInput Field(string key, CustomFieldType type = CustomFieldType.Text, CustomFieldTarget target = CustomFieldTarget.Contact, params string[] choices) =>
        new() { Target = target, Key = key, LabelFa = "برچسب " + key, LabelEn = "Label " + key, Type = type, Choices = [.. choices] };

    private static async Task<CustomFieldDto> Define(HttpClient admin, CustomFieldInput input) =>
        await (await admin.PostJson("/api/custom-fields", input)).Read<CustomFieldDto>(HttpStatusCode.Created);

    [Fact]
    public async Task Admin_defines_lists_reads_and_changes_fields()
    {
        var admin = await app.AdminClient();
        var text = await Define(admin, Field(Key("nick")) with { LabelFa = "  نام   مستعار ", LabelEn = " Nickname " });
        Assert.Equal("نام مستعار", text.LabelFa);
        Assert.Equal("Nickname", text.LabelEn);
        Assert.Equal("Nickname", text.Label);                // in the caller's language
        Assert.Empty(text.Choices);
        Assert.True(text.IsActive);
        Assert.False(text.HasValues);

        var choice = await Define(admin, Field(Key("color"), CustomFieldType.Choice, CustomFieldTarget.Contact, " قرمز ", "آبي", "سبز"));
        Assert.Equal(["قرمز", "آبی", "سبز"], choice.Choices);
        Assert.True(choice.Order > text.Order);              // a field without an order goes last

        var companyField = await Define(admin, Field(Key("size"), CustomFieldType.Number, CustomFieldTarget.Company));
        var ignored = await Define(admin, Field(Key("plain"), CustomFieldType.Date, CustomFieldTarget.Contact, "not", "used"));
        Assert.Empty(ignored.Choices);                       // choices only belong to choice fields

        var contactFields = await (await admin.GetAsync("/api/custom-fields?target=contact")).Read<List<CustomFieldDto>>();
        Assert.Equal([text.Id, choice.Id, ignored.Id], contactFields.Where(f => f.Id == text.Id || f.Id == choice.Id || f.Id == ignored.Id).Select(f => f.Id));
        Assert.DoesNotContain(contactFields, f => f.Id == companyField.Id);
        Assert.Contains(await (await admin.GetAsync("/api/custom-fields")).Read<List<CustomFieldDto>>(), f => f.Id == companyField.Id);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/custom-fields?target=planet")).StatusCode);

        var fa = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "fa-IR");
        Assert.Equal("نام مستعار", (await (await fa.GetAsync($"/api/custom-fields/{text.Id}")).Read<CustomFieldDto>()).Label);

        var changed = await (await admin.PutJson($"/api/custom-fields/{choice.Id}",
            Field(choice.Key, CustomFieldType.Choice, CustomFieldTarget.Contact, "قرمز", "آبی", "سبز", "زرد") with { Order = 1, Version = choice.Version }))
            .Read<CustomFieldDto>();
        Assert.Equal(["قرمز", "آبی", "سبز", "زرد"], changed.Choices);
        Assert.Equal(1, changed.Order);
        Assert.True(changed.Version > choice.Version);

        var stale = await (await admin.PutJson($"/api/custom-fields/{choice.Id}", Field(choice.Key, CustomFieldType.Choice, CustomFieldTarget.Contact, "x") with { Version = choice.Version }))
            .Problem(HttpStatusCode.Conflict);
        Assert.NotNull(stale.GetProperty("title").GetString());
        Assert.Equal(4, (await (await admin.GetAsync($"/api/custom-fields/{choice.Id}")).Read<CustomFieldDto>()).Choices.Count);

        var noVersion = await (await admin.PutJson($"/api/custom-fields/{choice.Id}", Field(choice.Key, CustomFieldType.Choice, CustomFieldTarget.Contact, "x"))).Problem(HttpStatusCode.BadRequest);
        Assert.True(noVersion.GetProperty("errors").TryGetProperty("version", out _));
        var moved = await (await admin.PutJson($"/api/custom-fields/{text.Id}", Field(text.Key, target: CustomFieldTarget.Company) with { Version = text.Version }))
            .Problem(HttpStatusCode.BadRequest);
        Assert.Equal("The target of a field cannot be changed.", moved.GetProperty("errors").GetProperty("target")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutJson("/api/custom-fields/999999", Field("ghost") with { Version = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/custom-fields/999999")).StatusCode);
    }

    [Theory]
    [InlineData("Shoe_size")]
    [InlineData("shoe size")]
    [InlineData("shoe-size")]
    [InlineData("سایز")]
    [InlineData("size.cm")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 51 characters
    public async Task Keys_are_lower_case_latin_digits_and_underscores(string key)
    {
        var admin = await app.AdminClient();
        var problem = await (await admin.PostJson("/api/custom-fields", Field(key))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(KeyRule, problem.GetProperty("errors").GetProperty("key")[0].GetString());
    }

    [Fact]
    public async Task Keys_are_required_and_unique_per_target()
    {
        var admin = await app.AdminClient();
        var missing = await (await admin.PostJson("/api/custom-fields", Field(" ") with { LabelFa = null, LabelEn = " " })).Problem(HttpStatusCode.BadRequest);
        var errors = missing.GetProperty("errors");
        Assert.Equal("Key is required.", errors.GetProperty("key")[0].GetString());
        Assert.Equal("Persian label is required.", errors.GetProperty("labelFa")[0].GetString());
        Assert.Equal("English label is required.", errors.GetProperty("labelEn")[0].GetString());

        var key = Key("vat_2024");
        await Define(admin, Field(key));
        var duplicate = await (await admin.PostJson("/api/custom-fields", Field(" " + key + " ", CustomFieldType.Number))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("Another field already uses this key.", duplicate.GetProperty("errors").GetProperty("key")[0].GetString());
        var onCompanies = await Define(admin, Field(key, target: CustomFieldTarget.Company));
        Assert.Equal(key, onCompanies.Key);

        var fa = await app.ClientFor(await app.CreateUser("Admin", app.MainBranchId), "fa-IR");
        var persian = await (await fa.PostJson("/api/custom-fields", Field("Bad Key"))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("کلید فقط می\u200cتواند حروف کوچک انگلیسی، رقم و _ داشته باشد (حداکثر ۵۰ نویسه).", persian.GetProperty("errors").GetProperty("key")[0].GetString());
    }

    public static TheoryData<string[], string> BadChoices => new()
    {
        { [], "A choice field needs at least one choice." },
        { ["بله", "  "], "A choice cannot be empty." },
        { ["كيف", "کیف"], "Each choice must be different." },     // the same word in Arabic and Persian letters
        { ["Small", "small "], "Each choice must be different." },
        { [new string('x', 101)], "A choice must be at most 100 characters." },
        { [.. Enumerable.Range(1, 201).Select(i => "c" + i)], "A field can have at most 200 choices." },
    };

    [Theory]
    [MemberData(nameof(BadChoices))]
    public async Task A_choice_field_needs_distinct_non_empty_choices(string[] choices, string message)
    {
        var admin = await app.AdminClient();
        var problem = await (await admin.PostJson("/api/custom-fields", Field(Key("pick"), CustomFieldType.Choice, CustomFieldTarget.Contact, choices)))
            .Problem(HttpStatusCode.BadRequest);
        Assert.Contains(message, problem.GetProperty("errors").GetProperty("choices").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Type_and_key_are_locked_once_a_record_has_a_value()
    {
        var admin = await app.AdminClient();
        var field = await Define(admin, Field(Key("floor"), CustomFieldType.Number));
        await (await admin.PostJson("/api/contacts", new ContactInput { LastName = "Tenant", CustomFields = new() { [field.Key] = "3" } }))
            .Read<ContactDetails>(HttpStatusCode.Created);
        var used = await (await admin.GetAsync($"/api/custom-fields/{field.Id}")).Read<CustomFieldDto>();
        Assert.True(used.HasValues);

        var retype = await (await admin.PutJson($"/api/custom-fields/{field.Id}", Field(field.Key, CustomFieldType.Text) with { Version = used.Version })).Problem(HttpStatusCode.Conflict);
        Assert.Equal("The type of a field that already has values cannot be changed.", retype.GetProperty("title").GetString());
        var rekey = await (await admin.PutJson($"/api/custom-fields/{field.Id}", Field(field.Key + "_x", CustomFieldType.Number) with { Version = used.Version })).Problem(HttpStatusCode.Conflict);
        Assert.Equal("The key of a field that already has values cannot be changed.", rekey.GetProperty("title").GetString());

        var relabeled = await (await admin.PutJson($"/api/custom-fields/{field.Id}", Field(field.Key, CustomFieldType.Number) with { LabelEn = "Floor", Version = used.Version }))
            .Read<CustomFieldDto>();
        Assert.Equal("Floor", relabeled.LabelEn);
        Assert.Equal(CustomFieldType.Number, relabeled.Type);

        // Without values both may change.
        var fresh = await Define(admin, Field(Key("room")));
        var retyped = await (await admin.PutJson($"/api/custom-fields/{fresh.Id}", Field(fresh.Key + "_no", CustomFieldType.Date) with { Version = fresh.Version }))
            .Read<CustomFieldDto>();
        Assert.Equal(CustomFieldType.Date, retyped.Type);
        Assert.Equal(fresh.Key + "_no", retyped.Key);
    }

    [Fact]
    public async Task Deleting_removes_an_unused_field_and_deactivates_a_used_one()
    {
        var admin = await app.AdminClient();
        var unused = await Define(admin, Field(Key("unused")));
        var removed = await (await admin.DeleteAsync($"/api/custom-fields/{unused.Id}")).Read<DeleteCustomField.Response>();
        Assert.Equal(DeleteCustomField.Outcome.Removed, removed.Outcome);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/custom-fields/{unused.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/custom-fields/{unused.Id}")).StatusCode);

        var used = await Define(admin, Field(Key("used")));
        var person = await (await admin.PostJson("/api/contacts", new ContactInput { LastName = "Keeper", CustomFields = new() { [used.Key] = "kept" } }))
            .Read<ContactDetails>(HttpStatusCode.Created);
        var deactivated = await (await admin.DeleteAsync($"/api/custom-fields/{used.Id}")).Read<DeleteCustomField.Response>();
        Assert.Equal(DeleteCustomField.Outcome.Deactivated, deactivated.Outcome);
        Assert.False((await (await admin.GetAsync($"/api/custom-fields/{used.Id}")).Read<CustomFieldDto>()).IsActive);
        Assert.DoesNotContain(await (await admin.GetAsync("/api/custom-fields")).Read<List<CustomFieldDto>>(), f => f.Id == used.Id);
        Assert.Contains(await (await admin.GetAsync("/api/custom-fields?includeInactive=true")).Read<List<CustomFieldDto>>(), f => f.Id == used.Id);

        // What people entered is kept; a deactivated field takes no new values.
        Assert.Equal("kept", (await (await admin.GetAsync($"/api/contacts/{person.Id}")).Read<ContactDetails>()).CustomFields[used.Key]);
        var refused = await (await admin.PostJson("/api/contacts", new ContactInput { LastName = "Late", CustomFields = new() { [used.Key] = "x" } })).Problem(HttpStatusCode.BadRequest);
        Assert.Equal($"There is no custom field named {used.Key}.", refused.GetProperty("errors").GetProperty($"customFields.{used.Key}")[0].GetString());
    }

    [Theory]
    [InlineData("Manager")]
    [InlineData("Sales")]
    [InlineData("Marketing")]
    [InlineData("Support")]
    public async Task Only_administrators_define_fields_everyone_reads_them(string role)
    {
        var admin = await app.AdminClient();
        var field = await Define(admin, Field(Key("guarded")));
        var client = await app.ClientAs(role);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostJson("/api/custom-fields", Field(Key("mine")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutJson($"/api/custom-fields/{field.Id}", Field(field.Key) with { Version = field.Version })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/api/custom-fields/{field.Id}")).StatusCode);
        Assert.Contains(await (await client.GetAsync("/api/custom-fields?target=contact")).Read<List<CustomFieldDto>>(), f => f.Id == field.Id);
        Assert.Equal(field.Version, (await (await admin.GetAsync($"/api/custom-fields/{field.Id}")).Read<CustomFieldDto>()).Version);
    }
}
