using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Organization;
using Payvand.Platform.Auth;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Organization;

// A password reset by an administrator, and a user's own password change, end what the old password opened: the
// user's access tokens stop working and their sign-in cookies are refused at once, not at Identity's next check.
[Trait("Category", "Integration")]
public sealed class ResetPasswordTests(SignInApp signIn) : IClassFixture<SignInApp>
{
    private const string Password = "eight maids a milking";

    private Task<AppUser> NewUser() => signIn.UserWithPassword("Sales", Password);

    private Task<HttpClient> CookieSession(AppUser user) => signIn.CookieSession(user.Email!, Password);

    private async Task<HttpClient> Token(AppUser user)
    {
        var created = await (await signIn.Anonymous().PostJson("/api/auth/token", new IssueToken.Request(user.Email, Password))).Read<IssueToken.Response>();
        var client = signIn.WithToken(created.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users/me")).StatusCode);
        return client;
    }

    [Fact]
    public async Task A_reset_revokes_the_users_tokens_and_ends_their_sessions_at_once()
    {
        var user = await NewUser();
        var session = await CookieSession(user);
        var token = await Token(user);

        // The administrator acts on the same instance (another one may accept the old cookie for a few seconds: SecurityStamps).
        await using var db = await signIn.App.Db();
        var adminId = db.Users.Single(u => u.Email == PayvandApp.AdminEmail).Id;
        var admin = signIn.WithToken((await signIn.Web.Services.GetRequiredService<AccessTokenService>().Create(adminId, "reset", null, CancellationToken.None)).Token);
        await (await admin.PostJson($"/api/users/{user.Id}/reset-password", new ResetPassword.Request())).Read<ResetPassword.Response>();

        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/users/me")).StatusCode);
    }

    [Fact]
    public async Task Changing_ones_password_revokes_ones_tokens_and_other_sessions()
    {
        var user = await NewUser();
        var session = await CookieSession(user);
        var token = await Token(user);
        var other = await Token(user);

        var changed = await token.PostJson("/api/users/me/password", new MyAccount.PasswordRequest(Password, "nine ladies dancing tonight"));
        Assert.True(changed.IsSuccessStatusCode, $"{(int)changed.StatusCode}: {await changed.Content.ReadAsStringAsync()}");

        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/users/me")).StatusCode);
    }
}
