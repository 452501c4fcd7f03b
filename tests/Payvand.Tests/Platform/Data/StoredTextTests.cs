using System.Net;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Modules.Imports;
using Payvand.Modules.Purchases;
using Payvand.Platform.Api;
using Payvand.Platform.Data;
using Payvand.Platform.Jobs;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Imports.ImportFiles;

namespace Payvand.Tests.Platform.Data;

// Control characters are dropped from stored text on both databases alike: PostgreSQL refuses NUL (22021), which
// made any text with one a 500 and failed an import after thousands of rows, while SQLite stored it silently.
[Trait("Category", "Integration")]
public sealed class StoredTextTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [Theory]
    [InlineData("Ali\u0000", "Ali")]
    [InlineData("A\u0001l\u001fi\u007f", "Ali")]
    [InlineData("line 1\r\nline 2\tend", "line 1\r\nline 2\tend")]
    [InlineData("علی\u200cرضا", "علی\u200cرضا")] // the half-space is text
    public void Control_characters_but_tab_and_line_breaks_are_dropped(string given, string stored) =>
        Assert.Equal(stored, StoredText.Clean(given));

    [Fact]
    public async Task Nul_in_a_name_a_tag_a_note_and_a_purchase_line_is_dropped_not_a_500()
    {
        var client = await app.ClientAs("Sales");
        var person = await (await client.PostJson("/api/contacts", new ContactInput { FirstName = "Sa\u0000ra", LastName = "Ka\u0000rimi", City = "\u0000", Tags = ["v\u0000ip"] }))
            .Read<ContactDetails>(HttpStatusCode.Created);
        Assert.Equal(("Sara", "Karimi", null), (person.FirstName, person.LastName, person.City));
        Assert.Equal(["vip"], person.Tags);

        var note = await (await client.PostJson($"/api/contacts/{person.Id}/timeline", new ActivityInput { Kind = ActivityKind.Note, Body = "called\u0000 back" }))
            .Read<TimelineItem>(HttpStatusCode.Created);
        Assert.Equal("called back", note.Body);

        var purchase = await (await client.PostJson("/api/purchases", new RecordPurchase.Request
        {
            ContactId = person.Id,
            Channel = PurchaseChannel.InStore,
            Note = "till\u0000 3",
            Lines = [new RecordPurchase.LineInput(Description: "چا\u0000ی", Quantity: 1, UnitPrice: 1_000)],
        })).Read<PurchaseDetails>(HttpStatusCode.Created);
        Assert.Equal("چای", purchase.Lines.Single().Description);
        var stored = await (await client.GetAsync($"/api/purchases/{purchase.Id}")).Read<PurchaseDetails>();
        Assert.Equal("till 3", stored.Note);

        var found = await (await client.GetAsync("/api/contacts?q=Karimi%00&city=%00")).Read<PagedResult<ContactRow>>();
        Assert.Contains(found.Items, r => r.Id == person.Id);
    }

    [Fact]
    public async Task Only_control_characters_are_missing_text()
    {
        var client = await app.ClientAs("Sales");
        var problem = await (await client.PostJson("/api/contacts", new ContactInput { LastName = "\u0000\u0000" })).Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("lastName", out _));
    }

    [Fact]
    public async Task An_import_with_a_nul_in_a_cell_imports_every_row()
    {
        var client = await app.ClientAs("Sales");
        List<string[]> rows = [["First name", "Last name", "Mobile"]];
        for (var i = 0; i < 30; i++) rows.Add([i == 17 ? "Re\u0000za" : "Person", "Nul" + i, NewMobile()]);
        var preview = await Uploaded(client, Utf8(Csv([.. rows]), bom: false), "nul.csv");
        var done = await Run(client, preview);
        Assert.Equal(ImportStatus.Succeeded, done.Status);
        Assert.Equal(30, done.Created);
    }

    [Fact]
    public async Task An_uploaded_file_name_is_kept_short_and_without_its_path()
    {
        var client = await app.ClientAs("Sales");
        var csv = Utf8(Csv(["First name", "Last name"], ["Ali", "Rezaei"]), bom: false);
        var longName = new string('ن', 300) + ".csv";
        var preview = await Uploaded(client, csv, longName);
        Assert.Equal(StoredFile.MaxNameLength, preview.Import.FileName.Length);
        Assert.EndsWith(".csv", preview.Import.FileName, StringComparison.Ordinal);

        var windows = await Uploaded(client, csv, "C:\\Users\\sara\\Desktop\\people.csv");
        Assert.Equal("people.csv", windows.Import.FileName);
    }

    [Fact]
    public void A_long_name_is_not_cut_inside_a_letter_of_two_utf16_units()
    {
        var name = StoredFile.SafeName(new string('a', 249) + "😀😀😀😀😀" + ".xlsx");
        Assert.True(name.Length <= StoredFile.MaxNameLength);
        Assert.EndsWith(".xlsx", name, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(name[^6]));
    }
}
