using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Organization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Organization;

[Trait("Category", "Integration")]
public sealed class MyAccessTokensTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private HttpClient With(string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    [Fact]
    public async Task Create_use_list_and_revoke_a_token()
    {
        var user = await app.CreateUser("Support", app.MainBranchId);
        var me = await app.ClientFor(user);

        var created = await (await me.PostJson("/api/account/tokens", new MyAccessTokens.Request("  Accounting   sync ", 90))).Read<AccessTokenService.Created>(HttpStatusCode.Created);
        Assert.Equal("Accounting sync", created.Name);
        Assert.StartsWith("pv_", created.Token, StringComparison.Ordinal);
        Assert.Equal(created.Token[..10], created.Prefix);
        Assert.InRange((created.ExpiresAt!.Value - created.CreatedAt).TotalDays, 89.99, 90.01);

        var other = With(created.Token);
        Assert.Equal(user.Id, (await (await other.GetAsync("/api/users/me")).Read<MyProfile>()).Id);

        // The list shows every token of mine, never a secret.
        var listResponse = await me.GetAsync("/api/account/tokens");
        var raw = await listResponse.Content.ReadAsStringAsync();
        Assert.DoesNotContain(created.Token, raw, StringComparison.Ordinal);
        var listed = await listResponse.Read<List<AccessTokenService.Listed>>();
        var mine = Assert.Single(listed, t => t.Id == created.Id);
        Assert.Null(mine.RevokedAt);
        Assert.NotNull(mine.LastUsedAt);
        Assert.All(JsonDocument.Parse(raw).RootElement.EnumerateArray(), t => Assert.False(t.TryGetProperty("token", out _)));
        Assert.Equal(2, listed.Count); // the test client's own token and the new one

        Assert.Equal(HttpStatusCode.NoContent, (await me.DeleteAsync($"/api/account/tokens/{created.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/users/me")).StatusCode);
        Assert.NotNull((await (await me.GetAsync("/api/account/tokens")).Read<List<AccessTokenService.Listed>>()).Single(t => t.Id == created.Id).RevokedAt);
        Assert.Equal(HttpStatusCode.NotFound, (await me.DeleteAsync($"/api/account/tokens/{created.Id}")).StatusCode);

        await using var db = await app.Db();
        var id = created.Id.ToString(CultureInfo.InvariantCulture);
        Assert.True(await db.Audit.AnyAsync(a => a.Action == AuditAction.TokenCreated && a.EntityId == id && a.UserId == user.Id));
        Assert.True(await db.Audit.AnyAsync(a => a.Action == AuditAction.TokenRevoked && a.EntityId == id && a.UserId == user.Id));
        var stored = await db.AccessTokens.SingleAsync(t => t.Id == created.Id);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(created.Token))), stored.Hash);
    }

    [Fact]
    public async Task Nobody_revokes_or_sees_anothers_tokens()
    {
        var owner = await app.ClientAs("Sales");
        var token = await (await owner.PostJson("/api/account/tokens", new MyAccessTokens.Request("mine"))).Read<AccessTokenService.Created>(HttpStatusCode.Created);
        Assert.Null(token.ExpiresAt);

        var admin = await app.AdminClient();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/account/tokens/{token.Id}")).StatusCode);
        Assert.DoesNotContain(await (await admin.GetAsync("/api/account/tokens")).Read<List<AccessTokenService.Listed>>(), t => t.Id == token.Id);
        Assert.Equal(HttpStatusCode.OK, (await With(token.Token).GetAsync("/api/users/me")).StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var owner = await app.ClientAs("Sales");
        var token = await (await owner.PostJson("/api/account/tokens", new MyAccessTokens.Request("short lived", 1))).Read<AccessTokenService.Created>(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, (await With(token.Token).GetAsync("/api/users/me")).StatusCode);

        await using (var db = await app.Db())
        {
            var past = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-1);
            await db.AccessTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, past));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await With(token.Token).GetAsync("/api/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await With(token.Token[..^1] + "x").GetAsync("/api/users/me")).StatusCode);
    }

    [Fact]
    public async Task Bad_requests_are_field_errors()
    {
        var owner = await app.ClientAs("Sales");
        var noName = await (await owner.PostJson("/api/account/tokens", new MyAccessTokens.Request(" ", 0))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("Name is required.", noName.GetProperty("errors").GetProperty("name")[0].GetString());
        Assert.Equal("Days until it expires must be between 1 and 3650.", noName.GetProperty("errors").GetProperty("expiresInDays")[0].GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostJson("/api/account/tokens", new MyAccessTokens.Request("x"))).StatusCode);
    }
}
