using System.Net;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Purchases;

internal static class PurchaseTestData
{
    public static async Task<int> Person(HttpClient client, int? branchId = null, string? mobile = null)
    {
        var input = new ContactInput
        {
            FirstName = "سارا",
            LastName = "خریدار " + Guid.NewGuid().ToString("N")[..6],
            BranchId = branchId,
            Points = mobile is null ? [] : [new ContactPointInput(ContactPointKind.Mobile, mobile)],
        };
        return (await (await client.PostJson("/api/contacts", input)).Read<ContactDetails>(HttpStatusCode.Created)).Id;
    }

    // Two lines: 2 × 150,000 − 10,000 and 1 × 500,000; order discount 40,000: total 750,000 rials.
    public static RecordPurchase.Request Order(int? contactId, DateTime? at = null, int? branchId = null) => new()
    {
        ContactId = contactId,
        BranchId = branchId,
        Channel = PurchaseChannel.InStore,
        OccurredAt = at,
        Discount = 40_000,
        Lines =
        [
            new RecordPurchase.LineInput(Description: "چای", Quantity: 2, UnitPrice: 150_000, Discount: 10_000),
            new RecordPurchase.LineInput(Description: "قهوه", Quantity: 1, UnitPrice: 500_000),
        ],
    };

    public static async Task<PurchaseDetails> Record(HttpClient client, RecordPurchase.Request request) =>
        await (await client.PostJson("/api/purchases", request)).Read<PurchaseDetails>(HttpStatusCode.Created);

    public static async Task<HttpResponseMessage> PostWithKey<T>(HttpClient client, string url, string key, T body)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = System.Net.Http.Json.JsonContent.Create(body, options: HttpExtensions.Json) };
        message.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(message);
    }
}
