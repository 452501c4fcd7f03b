using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Organization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Persian;
using Payvand.Platform.Settings;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Organization;

// POST /api/auth/token is rate limited per client address (10 a minute). The test server has no addresses, so
// this app takes the address from a test header and every test signs in from its own.
public sealed class SignInApp : IAsyncLifetime
{
    public const string AddressHeader = "X-Test-Client-Address";
    private int addresses;

    public PayvandApp App { get; } = new();

    public WebApplicationFactory<Program> Web { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        Web = App.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter, AddressFromHeader>()));
    }

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();

    // A client without credentials that comes from an address no other client uses.
    public HttpClient Anonymous()
    {
        var n = Interlocked.Increment(ref addresses);
        var client = Web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(AddressHeader, $"10.{n / 65536 % 256}.{n / 256 % 256}.{n % 256}");
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        return client;
    }

    // A new user of the role whose password is the one given.
    public async Task<AppUser> UserWithPassword(string role, string password)
    {
        var user = await App.CreateUser(role, App.MainBranchId);
        using var scope = Web.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var fresh = (await users.FindByIdAsync(user.Id.ToString(CultureInfo.InvariantCulture)))!;
        Assert.True((await users.RemovePasswordAsync(fresh)).Succeeded);
        Assert.True((await users.AddPasswordAsync(fresh, password)).Succeeded);
        return fresh;
    }

    // A client signed in through the sign-in form, holding its cookie (and sending no Origin unless a test adds one).
    public async Task<HttpClient> CookieSession(string email, string password)
    {
        var client = Anonymous();
        var page = await client.GetStringAsync("/account/login");
        var antiforgery = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery,
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
        Assert.True(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("payvand.auth=", StringComparison.Ordinal)),
            "The sign-in form did not sign in: " + response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users/me")).StatusCode);
        return client;
    }

    public HttpClient WithToken(string token)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private sealed class AddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((ctx, nextMiddleware) =>
            {
                if (IPAddress.TryParse(ctx.Request.Headers[AddressHeader].ToString(), out var address)) ctx.Connection.RemoteIpAddress = address;
                return nextMiddleware(ctx);
            });
            next(app);
        };
    }
}

// Signing in for an access token: good credentials work, wrong ones and unknown emails get the same answer,
// five failures lock the account, two-step sign-in needs the authenticator code, and accounts that must change
// their password, are deactivated or must set up two-step sign-in are refused.
[Trait("Category", "Integration")]
public sealed class IssueTokenTests(SignInApp signIn) : IClassFixture<SignInApp>
{
    private const string Password = "seven swans a swimming";
    private PayvandApp App => signIn.App;

    private async Task<AppUser> NewUser(string role = "Sales")
    {
        var user = await App.CreateUser(role, App.MainBranchId);
        using var scope = signIn.Web.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var fresh = (await users.FindByIdAsync(user.Id.ToString(CultureInfo.InvariantCulture)))!;
        Assert.True((await users.RemovePasswordAsync(fresh)).Succeeded);
        Assert.True((await users.AddPasswordAsync(fresh, Password)).Succeeded);
        return fresh;
    }

    private static Task<HttpResponseMessage> Token(HttpClient client, string email, string password, string? code = null) =>
        client.PostJson("/api/auth/token", new IssueToken.Request(email, password, Code: code));

    [Fact]
    public async Task Good_credentials_give_a_token_that_works()
    {
        var user = await NewUser();
        var issued = await (await Token(signIn.Anonymous(), user.Email!.ToUpperInvariant(), Password)).Read<IssueToken.Response>();
        Assert.StartsWith("pv_", issued.Token, StringComparison.Ordinal);
        var days = (issued.ExpiresAt!.Value - TimeProvider.System.GetUtcNow().UtcDateTime).TotalDays;
        Assert.InRange(days, 29.9, 30.1);

        var me = await (await signIn.WithToken(issued.Token).GetAsync("/api/users/me")).Read<MyProfile>();
        Assert.Equal(user.Id, me.Id);

        await using var db = await App.Db();
        Assert.True(await db.Audit.AnyAsync(a => a.Action == AuditAction.SignIn && a.UserId == user.Id));
        Assert.True(await db.AccessTokens.AnyAsync(t => t.UserId == user.Id && t.Name == "API sign-in"));
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_answer()
    {
        var user = await NewUser();
        var client = signIn.Anonymous();
        var wrong = await (await Token(client, user.Email!, "not my password at all")).Problem(HttpStatusCode.Unauthorized);
        var unknown = await (await Token(client, "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@example.com", Password)).Problem(HttpStatusCode.Unauthorized);

        Assert.Equal("The email or password is not correct.", wrong.GetProperty("title").GetString());
        Assert.Equal(wrong.GetProperty("title").GetString(), unknown.GetProperty("title").GetString());
        Assert.Equal("invalid_credentials", wrong.GetProperty("reason").GetString());
        Assert.Equal("invalid_credentials", unknown.GetProperty("reason").GetString());

        await using var db = await App.Db();
        Assert.True(await db.Audit.AnyAsync(a => a.Action == AuditAction.SignInFailed && a.UserId == user.Id && a.Detail == "api-token: wrong-password"));
        Assert.True(await db.Audit.AnyAsync(a => a.Action == AuditAction.SignInFailed && a.UserId == null && a.Detail == "api-token: unknown-email"));
    }

    [Fact]
    public async Task The_answer_is_in_the_callers_language()
    {
        var client = signIn.Anonymous();
        client.DefaultRequestHeaders.AcceptLanguage.Clear();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fa-IR");
        var problem = await (await Token(client, "nobody@example.com", Password)).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal("ایمیل یا گذرواژه درست نیست.", problem.GetProperty("title").GetString());

        var missing = await (await client.PostJson("/api/auth/token", new IssueToken.Request(" ", null))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("وارد کردن ایمیل الزامی است.", missing.GetProperty("errors").GetProperty("email")[0].GetString());
        Assert.Equal("وارد کردن گذرواژه الزامی است.", missing.GetProperty("errors").GetProperty("password")[0].GetString());
    }

    [Fact]
    public async Task Five_failures_lock_the_account_out()
    {
        var user = await NewUser();
        var client = signIn.Anonymous();
        for (var i = 1; i <= 4; i++)
        {
            var failed = await (await Token(client, user.Email!, "wrong password " + i)).Problem(HttpStatusCode.Unauthorized);
            Assert.Equal("invalid_credentials", failed.GetProperty("reason").GetString());
        }

        var fifth = await Token(client, user.Email!, "wrong password 5");
        var locked = await fifth.Problem(HttpStatusCode.TooManyRequests);
        Assert.Equal("locked_out", locked.GetProperty("reason").GetString());
        Assert.Equal("Too many failed attempts. Try again in 15 minutes.", locked.GetProperty("title").GetString());
        Assert.InRange(fifth.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 800, 900);

        // Even the right password is refused while locked out.
        var right = await (await Token(client, user.Email!, Password)).Problem(HttpStatusCode.TooManyRequests);
        Assert.Equal("locked_out", right.GetProperty("reason").GetString());

        var admin = await App.AdminClient();
        var details = await (await admin.GetAsync($"/api/users/{user.Id}")).Read<UserDetails>();
        Assert.NotNull(details.LockedOutUntil);
    }

    // Lockout must not tell who has an account: an unknown email gets the answers a known one gets, in the same order.
    [Fact]
    public async Task An_unknown_email_is_locked_out_like_a_known_one()
    {
        var user = await NewUser();
        async Task<List<(HttpStatusCode, string?, string?)>> SixFailures(string email)
        {
            var client = signIn.Anonymous();
            var answers = new List<(HttpStatusCode, string?, string?)>();
            for (var i = 1; i <= 6; i++)
            {
                var response = await Token(client, email, "wrong password " + i);
                var problem = await response.Problem(response.StatusCode);
                answers.Add((response.StatusCode, problem.GetProperty("reason").GetString(), problem.GetProperty("title").GetString()));
            }

            return answers;
        }

        var known = await SixFailures(user.Email!);
        var unknown = await SixFailures("nobody-" + Guid.NewGuid().ToString("N")[..8] + "@example.com");

        Assert.Equal(HttpStatusCode.TooManyRequests, known[4].Item1);
        Assert.Equal(known, unknown);
    }

    [Fact]
    public async Task Two_step_sign_in_needs_the_authenticator_code()
    {
        var user = await NewUser();
        string key;
        using (var scope = signIn.Web.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var fresh = (await users.FindByIdAsync(user.Id.ToString(CultureInfo.InvariantCulture)))!;
            Assert.True((await users.ResetAuthenticatorKeyAsync(fresh)).Succeeded);
            key = (await users.GetAuthenticatorKeyAsync(fresh))!;
            Assert.True((await users.SetTwoFactorEnabledAsync(fresh, true)).Succeeded);
        }

        var client = signIn.Anonymous();
        var noCode = await (await Token(client, user.Email!, Password)).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal("two_factor_required", noCode.GetProperty("reason").GetString());
        Assert.Equal("Enter the code from your authenticator app.", noCode.GetProperty("title").GetString());

        var now = TimeProvider.System.GetUtcNow();
        var valid = new[] { -60, -30, 0, 30, 60 }.Select(s => Totp.Code(key, now.AddSeconds(s))).ToHashSet();
        var wrongCode = Enumerable.Range(0, 1000).Select(i => i.ToString("D6", CultureInfo.InvariantCulture)).First(c => !valid.Contains(c));
        var wrong = await (await Token(client, user.Email!, Password, wrongCode)).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_code", wrong.GetProperty("reason").GetString());

        var wrongPassword = await (await Token(client, user.Email!, "not the password", Totp.Code(key, now))).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_credentials", wrongPassword.GetProperty("reason").GetString());

        // The code as a phone shows it to a Persian user: Persian digits, with a space in the middle.
        var code = Totp.Code(key, TimeProvider.System.GetUtcNow());
        var typed = PersianText.ToPersianDigits(code[..3] + " " + code[3..]);
        var issued = await (await Token(client, user.Email!, Password, typed)).Read<IssueToken.Response>();
        Assert.Equal(HttpStatusCode.OK, (await signIn.WithToken(issued.Token).GetAsync("/api/users/me")).StatusCode);
    }

    [Fact]
    public async Task A_user_who_must_change_their_password_is_refused()
    {
        var user = await NewUser();
        await using (var db = await App.Db())
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.MustChangePassword, true));
        }

        var problem = await (await Token(signIn.Anonymous(), user.Email!, Password)).Problem(HttpStatusCode.Forbidden);
        Assert.Equal("password_change_required", problem.GetProperty("reason").GetString());
        Assert.Equal("Choose a new password in Payvand first; then you can sign in here.", problem.GetProperty("title").GetString());
        await using var check = await App.Db();
        Assert.False(await check.AccessTokens.AnyAsync(t => t.UserId == user.Id));
    }

    [Fact]
    public async Task A_deactivated_user_is_refused()
    {
        var user = await NewUser();
        await using (var db = await App.Db())
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false));
        }

        var problem = await (await Token(signIn.Anonymous(), user.Email!, Password)).Problem(HttpStatusCode.Forbidden);
        Assert.Equal("inactive", problem.GetProperty("reason").GetString());
        var wrong = await (await Token(signIn.Anonymous(), user.Email!, "a wrong password here")).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_credentials", wrong.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_role_that_must_use_two_step_sign_in_is_refused_until_it_is_set_up()
    {
        var user = await NewUser("Support");
        var admin = signIn.Web.CreateClient();
        admin.DefaultRequestHeaders.Authorization = (await App.AdminClient()).DefaultRequestHeaders.Authorization;
        await (await admin.PutJson("/api/settings", new EditSettings.Request(MoneyUnit.Toman, ["Support"]))).Read<BusinessSettings>();
        try
        {
            var problem = await (await Token(signIn.Anonymous(), user.Email!, Password)).Problem(HttpStatusCode.Forbidden);
            Assert.Equal("two_factor_setup_required", problem.GetProperty("reason").GetString());
        }
        finally
        {
            await (await admin.PutJson("/api/settings", new EditSettings.Request(MoneyUnit.Toman, []))).Read<BusinessSettings>();
        }

        Assert.Equal(HttpStatusCode.OK, (await Token(signIn.Anonymous(), user.Email!, Password)).StatusCode);
    }

    [Fact]
    public async Task One_address_gets_ten_attempts_a_minute()
    {
        var client = signIn.Anonymous();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Token(client, $"probe{i}@example.com", Password)).StatusCode);
        }

        var limited = await Token(client, "probe10@example.com", Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.DoesNotContain("locked_out", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Token(signIn.Anonymous(), "probe11@example.com", Password)).StatusCode);
    }

    // The other anonymous sign-in endpoint: a forged or expired renewal ticket is refused, and one address gets ten tries a minute.
    [Fact]
    public async Task Renewing_a_sign_in_needs_a_valid_ticket_and_is_rate_limited()
    {
        var client = signIn.Anonymous();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJson("/account/refresh-sign-in", new { ticket = "forged" + i })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostJson("/account/refresh-sign-in", new { ticket = "forged" })).StatusCode);
    }

    // The sign-in page: opening it is free, but one address gets twenty submissions a minute, whatever the accounts.
    [Fact]
    public async Task The_sign_in_form_takes_twenty_submissions_a_minute_from_one_address()
    {
        var client = signIn.Anonymous();
        var page = await client.GetStringAsync("/account/login");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        Task<HttpResponseMessage> Post(int i) => client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "login",
            ["Input.Email"] = $"spray{i}@example.com",
            ["Input.Password"] = "not the password of anyone",
        }));

        for (var i = 0; i < 20; i++)
        {
            var refused = await Post(i);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("The email or password is not correct.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await Post(20)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
    }
}
