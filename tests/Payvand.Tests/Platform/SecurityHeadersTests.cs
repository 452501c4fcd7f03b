using System.Net;
using System.Text.RegularExpressions;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform;

// Every answer (pages, the API, errors) carries the security headers; only static files may be cached.
[Trait("Category", "Integration")]
public sealed partial class SecurityHeadersTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_carry_the_headers_and_the_import_map_has_the_policys_nonce()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var response = await client.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSecurityHeaders(response);
        Assert.True(response.Headers.CacheControl?.NoStore);

        var nonce = Nonce().Match(Assert.Single(response.Headers.GetValues("Content-Security-Policy"))).Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var redirect = await client.GetAsync("/contacts"); // not signed in: a redirect, with the headers too
        AssertSecurityHeaders(redirect);
    }

    [Fact]
    public async Task Api_answers_and_errors_are_not_cached_and_carry_the_headers()
    {
        var client = await app.ClientAs("Sales");
        var list = await client.GetAsync("/api/contacts");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        AssertSecurityHeaders(list);
        Assert.True(list.Headers.CacheControl?.NoStore);

        var missing = await client.GetAsync("/api/contacts/999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        AssertSecurityHeaders(missing);
        Assert.True(missing.Headers.CacheControl?.NoStore);

        var anonymous = await app.CreateClient().GetAsync("/api/contacts");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        AssertSecurityHeaders(anonymous);
    }

    [Fact]
    public async Task Static_files_keep_their_own_caching()
    {
        var response = await app.CreateClient().GetAsync("/app.js");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.NotEqual(true, response.Headers.CacheControl?.NoStore);
    }

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex Nonce();
}
