using System.Net;
using System.Net.Http.Headers;
using Payvand.Modules.Contacts;
using Payvand.Tests.Infrastructure;
using Payvand.Tests.Modules.Organization;

namespace Payvand.Tests.Platform.Auth;

// A change made with the sign-in cookie must come from a Payvand page (its Origin, else its Referer); one made with
// an access token needs neither. An upload signed in by cookie was once accepted from any Origin.
[Trait("Category", "Integration")]
public sealed class OriginCheckTests(SignInApp signIn) : IClassFixture<SignInApp>
{
    private const string Password = "ten lords a leaping high";

    private async Task<HttpClient> Session() => await signIn.CookieSession((await signIn.UserWithPassword("Sales", Password)).Email!, Password);

    private static HttpRequestMessage Upload(string? origin, string? referer = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent("First name,Last name\nAli,Rezaei\n"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "people.csv");
        var message = new HttpRequestMessage(HttpMethod.Post, "/api/imports") { Content = form };
        if (origin is not null) message.Headers.Add("Origin", origin);
        if (referer is not null) message.Headers.Referrer = new Uri(referer);
        return message;
    }

    [Fact]
    public async Task A_cookie_upload_from_another_origin_or_none_is_refused()
    {
        var session = await Session();
        var other = await (await session.SendAsync(Upload("https://evil.example"))).Problem(HttpStatusCode.Forbidden);
        Assert.Equal("This request did not come from a Payvand page. Open Payvand and try again.", other.GetProperty("title").GetString());
        await (await session.SendAsync(Upload(null))).Problem(HttpStatusCode.Forbidden);
        await (await session.SendAsync(Upload("null"))).Problem(HttpStatusCode.Forbidden);
        await (await session.SendAsync(Upload(null, "https://evil.example/page"))).Problem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_cookie_change_from_payvands_own_origin_is_accepted()
    {
        var session = await Session();
        var origin = session.BaseAddress!.GetLeftPart(UriPartial.Authority);
        Assert.Equal(HttpStatusCode.Created, (await session.SendAsync(Upload(origin))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await session.SendAsync(Upload(null, origin + "/imports"))).StatusCode);

        using var json = new HttpRequestMessage(HttpMethod.Post, "/api/contacts") { Content = System.Net.Http.Json.JsonContent.Create(new ContactInput { LastName = "Same origin" }) };
        json.Headers.Add("Origin", origin);
        Assert.Equal(HttpStatusCode.Created, (await session.SendAsync(json)).StatusCode);
    }

    [Fact]
    public async Task Token_callers_need_no_origin()
    {
        var client = await signIn.App.ClientAs("Sales");
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Upload("https://evil.example"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Upload(null))).StatusCode);
    }
}
