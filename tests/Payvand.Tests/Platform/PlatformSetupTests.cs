using System.Net;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform;

[Trait("Category", "Integration")]
public sealed class PlatformSetupTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [Fact]
    public async Task Health_is_reported_without_signing_in()
    {
        var response = await app.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    // A language switch never sends the browser to another site, and never fails: a return address that is not a
    // local path (a second slash, a backslash, a tab browsers drop) goes to the home page.
    [Theory]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("/%09/evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/contacts?page=2", "/contacts?page=2")]
    public async Task The_language_switch_redirects_only_to_local_paths(string returnUrl, string expected)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var escaped = returnUrl.Contains('%', StringComparison.Ordinal) ? returnUrl : Uri.EscapeDataString(returnUrl);
        var response = await client.GetAsync("/culture/en?returnUrl=" + escaped);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_api_answers_401_not_a_redirect_to_the_sign_in_page()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var response = await client.GetAsync("/api/contacts");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);

        // Pages, unlike the API, send a browser to the sign-in page.
        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_and_its_viewer_are_public()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        // The viewer answers at /api/docs/ (its page loads its assets relative to the slash); /api/docs redirects there.
        var viewer = await client.GetAsync("/api/docs");
        if (viewer.StatusCode == HttpStatusCode.Redirect)
        {
            var target = new Uri(new Uri(client.BaseAddress!, "/api/docs"), viewer.Headers.Location!);
            Assert.Equal("/api/docs/", target.AbsolutePath);
            viewer = await client.GetAsync(target);
        }

        Assert.Equal(HttpStatusCode.OK, viewer.StatusCode);
        Assert.Contains("scalar", await viewer.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
