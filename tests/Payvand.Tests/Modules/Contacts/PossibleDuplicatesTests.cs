using System.Net;
using System.Text.Json;
using Payvand.Modules.Contacts;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Contacts;

// A person created or changed with the mobile, email or national code of someone already in Payvand is saved, and the
// answer says who (duplicates); the same question can be asked before saving (POST /api/contacts/duplicates/check).
[Trait("Category", "Integration")]
public sealed class PossibleDuplicatesTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static string Mobile() => "0912" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Creating_a_person_with_an_existing_mobile_email_or_national_code_lists_them()
    {
        var client = await app.ClientAs("Sales");
        var mobile = Mobile();
        var email = $"dup{Guid.NewGuid():N}@example.com";
        var first = await (await client.PostJson("/api/contacts", new ContactInput
        {
            FirstName = "مینا",
            LastName = "صادقی",
            NationalCode = "0084575948",
            Points = [new ContactPointInput(ContactPointKind.Mobile, mobile), new ContactPointInput(ContactPointKind.Email, email)],
        })).Read<JsonElement>(HttpStatusCode.Created);
        var firstId = first.GetProperty("id").GetInt32();

        // Typed another way: Persian digits and a +98 prefix, an upper-case email.
        var second = await (await client.PostJson("/api/contacts", new ContactInput
        {
            LastName = "صادقی",
            NationalCode = "۰۰۸۴۵۷۵۹۴۸",
            Points = [new ContactPointInput(ContactPointKind.Mobile, "+98" + mobile[1..]), new ContactPointInput(ContactPointKind.Email, email.ToUpperInvariant())],
        })).Read<JsonElement>(HttpStatusCode.Created);

        var duplicates = second.GetProperty("duplicates").EnumerateArray().ToList();
        Assert.All(duplicates, d => Assert.Equal(firstId, d.GetProperty("id").GetInt32()));
        Assert.Equal(["SameMobile", "SameEmail", "SameNationalCode"], duplicates.Select(d => d.GetProperty("reason").GetString()));
        Assert.Equal("مینا صادقی", duplicates[0].GetProperty("displayName").GetString());

        // The person was created all the same, and reading them does not repeat the warning.
        var read = await (await client.GetAsync($"/api/contacts/{second.GetProperty("id").GetInt32()}")).Read<JsonElement>();
        Assert.False(read.TryGetProperty("duplicates", out _));
    }

    [Fact]
    public async Task A_unique_person_has_no_duplicates_and_a_change_does_not_match_the_person_themselves()
    {
        var client = await app.ClientAs("Sales");
        var input = new ContactInput { LastName = "یکتا", Points = [new ContactPointInput(ContactPointKind.Mobile, Mobile())] };
        var created = await (await client.PostJson("/api/contacts", input)).Read<JsonElement>(HttpStatusCode.Created);
        Assert.Equal(0, created.GetProperty("duplicates").GetArrayLength());

        var id = created.GetProperty("id").GetInt32();
        var changed = await (await client.PutJson($"/api/contacts/{id}", input with { City = "قم", Version = created.GetProperty("version").GetInt32() })).Read<JsonElement>();
        Assert.Equal(0, changed.GetProperty("duplicates").GetArrayLength());
    }

    [Fact]
    public async Task The_check_before_saving_finds_the_same_people()
    {
        var client = await app.ClientAs("Sales");
        var mobile = Mobile();
        var existing = await (await client.PostJson("/api/contacts", new ContactInput { LastName = "پیشین", Points = [new ContactPointInput(ContactPointKind.Mobile, mobile)] }))
            .Read<ContactDetails>(HttpStatusCode.Created);

        var found = await (await client.PostJson("/api/contacts/duplicates/check", new ContactInput { LastName = "تازه", Points = [new ContactPointInput(ContactPointKind.Mobile, mobile)] }))
            .Read<List<PossibleDuplicate>>();
        Assert.Equal(existing.Id, Assert.Single(found).Id);
        Assert.Equal(DuplicateReason.SameMobile, found[0].Reason);

        var self = await (await client.PostJson($"/api/contacts/duplicates/check?id={existing.Id}", new ContactInput { LastName = "پیشین", Points = [new ContactPointInput(ContactPointKind.Mobile, mobile)] }))
            .Read<List<PossibleDuplicate>>();
        Assert.Empty(self);
    }

    [Fact]
    public async Task People_of_a_branch_the_caller_cannot_see_are_not_named()
    {
        var away = await app.CreateBranch("Dup branch " + Guid.NewGuid().ToString("N")[..6]);
        var admin = await app.AdminClient();
        var mobile = Mobile();
        await (await admin.PostJson("/api/contacts", new ContactInput { LastName = "دور", BranchId = away, Points = [new ContactPointInput(ContactPointKind.Mobile, mobile)] }))
            .Read<ContactDetails>(HttpStatusCode.Created);

        var sales = await app.ClientAs("Sales", app.MainBranchId);
        var found = await (await sales.PostJson("/api/contacts/duplicates/check", new ContactInput { LastName = "نزدیک", Points = [new ContactPointInput(ContactPointKind.Mobile, mobile)] }))
            .Read<List<PossibleDuplicate>>();
        Assert.Empty(found);
    }
}
