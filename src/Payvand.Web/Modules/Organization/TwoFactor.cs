using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Payvand.Platform;
using Payvand.Platform.Api;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Organization;

// The signed-in user's two-step sign-in with an authenticator app: status, setup (shared key and otpauth:// link
// for the QR code), turning it on with a first code (which returns 10 recovery codes, shown once), turning it off
// (refused while one of their roles must use it) and new recovery codes.
// Turning it on or off changes the security stamp, which would end the browser's sign-in at its next check;
// a browser renews it through POST /account/refresh-sign-in with the one-use ticket Renew gives (see below).
public sealed class TwoFactor(
    IServiceScopeFactory scopes, PayvandSettings settings, AuditLog audit, IDataProtectionProvider protection,
    IStringLocalizer<SharedResource> text)
{
    public const string Issuer = "Payvand";
    public const int RecoveryCodeCount = 10;
    private const string TicketPurpose = "Payvand.RefreshSignIn.v1";
    private static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(2);

    // Required: one of the user's roles must use two-step sign-in (admin settings), so it cannot be turned off.
    public sealed record StatusResponse(bool Enabled, bool Required, int RecoveryCodesLeft);

    // SharedKey in groups of four for typing; AuthenticatorUri for the QR code.
    public sealed record SetupResponse(string SharedKey, string AuthenticatorUri);

    public sealed record EnableRequest(string? Code);

    public sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);

    // A browser's renewed principal (for a Blazor circuit) and the ticket that renews its cookie.
    public sealed record Renewal(ClaimsPrincipal Principal, string Ticket);

    public async Task<StatusResponse?> Status(UserScope user, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var me = await users.FindByIdAsync(UserRules.Id(user.UserId));
        if (me is null) return null;
        var left = me.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(me) : 0;
        return new StatusResponse(me.TwoFactorEnabled, await Required(users, me, ct), left);
    }

    // A new key each time, until a code from it turns two-step sign-in on. Refused while it is on (turn it off first).
    public async Task<SetupResponse?> BeginSetup(UserScope user, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var me = await users.FindByIdAsync(UserRules.Id(user.UserId));
        if (me is null) return null;
        if (me.TwoFactorEnabled)
        {
            throw new DomainRuleException(text["Two-step sign-in is already on. Turn it off first to use another authenticator app."]);
        }

        UserRules.ThrowIfFailed(await users.ResetAuthenticatorKeyAsync(me), users, text);
        var key = await users.GetAuthenticatorKeyAsync(me) ?? throw new InvalidOperationException("The authenticator key was not stored.");
        var email = me.Email ?? me.UserName ?? UserRules.Id(me.Id);
        var uri = string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{UrlEncoder.Default.Encode(Issuer)}:{UrlEncoder.Default.Encode(email)}?secret={key}&issuer={UrlEncoder.Default.Encode(Issuer)}&digits=6");
        return new SetupResponse(FormatKey(key), uri);
    }

    // Checks a code from the app (Persian digits and spaces accepted), turns two-step sign-in on and returns recovery codes.
    public async Task<RecoveryCodesResponse?> Enable(EnableRequest request, UserScope user, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var me = await users.FindByIdAsync(UserRules.Id(user.UserId));
        if (me is null) return null;
        if (me.TwoFactorEnabled) throw new DomainRuleException(text["Two-step sign-in is already on."]);
        if (string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(me)))
        {
            throw new DomainRuleException(text["Start the setup first: add Payvand to your authenticator app."]);
        }

        var code = PersianText.ToLatinDigits(request.Code).Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var v = new Validator(text);
        if (code.Length == 0) v.Add("code", "{0} is required.", text["Code"]);
        else if (code.Length != 6 || !code.All(char.IsAsciiDigit)) v.Add("code", "Enter the 6-digit code from your authenticator app.");
        else if (!await users.VerifyTwoFactorTokenAsync(me, TokenOptions.DefaultAuthenticatorProvider, code)) v.Add("code", "The code is not correct.");
        v.ThrowIfAny();

        UserRules.ThrowIfFailed(await users.SetTwoFactorEnabledAsync(me, true), users, text);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(me, RecoveryCodeCount) ?? [];
        await audit.Write(AuditAction.Update, nameof(AppUser), UserRules.Id(me.Id), "two-factor-enabled", ct);
        return new RecoveryCodesResponse(codes.ToList());
    }

    public async Task<bool> Disable(UserScope user, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var me = await users.FindByIdAsync(UserRules.Id(user.UserId));
        if (me is null) return false;
        if (!me.TwoFactorEnabled) return true;
        if (await Required(users, me, ct)) throw new DomainRuleException(text["Your role must use two-step sign-in, so it cannot be turned off."]);

        UserRules.ThrowIfFailed(await users.SetTwoFactorEnabledAsync(me, false), users, text);
        // The old app's codes must not work if it is turned on again later.
        UserRules.ThrowIfFailed(await users.ResetAuthenticatorKeyAsync(me), users, text);
        await audit.Write(AuditAction.Update, nameof(AppUser), UserRules.Id(me.Id), "two-factor-disabled", ct);
        return true;
    }

    // Replaces the recovery codes (the old ones stop working).
    public async Task<RecoveryCodesResponse?> NewRecoveryCodes(UserScope user, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var me = await users.FindByIdAsync(UserRules.Id(user.UserId));
        if (me is null) return null;
        if (!me.TwoFactorEnabled) throw new DomainRuleException(text["Turn on two-step sign-in first."]);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(me, RecoveryCodeCount) ?? [];
        await audit.Write(AuditAction.Update, nameof(AppUser), UserRules.Id(me.Id), "recovery-codes-renewed", ct);
        return new RecoveryCodesResponse(codes.ToList());
    }

    // After a change to the user's own account (security stamp, roles, language), the principal a browser should now
    // carry, and a ticket for POST /account/refresh-sign-in that sets it as the sign-in cookie. The ticket is bound to
    // the current security stamp and lives two minutes; the original sign-in time is kept for the absolute session limit.
    public async Task<Renewal?> Renew(ClaimsPrincipal current)
    {
        if (UserScope.From(current) is not { } scopeUser) return null;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var principals = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>();
        var me = await users.FindByIdAsync(UserRules.Id(scopeUser.UserId));
        if (me is null || !me.IsActive) return null;

        var kept = KeptClaims(current);
        var principal = await principals.CreateAsync(me);
        ((ClaimsIdentity)principal.Identity!).AddClaims(kept);
        var stamp = await users.GetSecurityStampAsync(me);
        var payload = string.Join('\n', [UserRules.Id(me.Id), stamp, .. kept.Select(c => c.Type + "=" + c.Value)]);
        var ticket = protection.CreateProtector(TicketPurpose).ToTimeLimitedDataProtector().Protect(payload, TicketLifetime);
        return new Renewal(principal, ticket);
    }

    public static string FormatKey(string key)
    {
        var result = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0) result.Append(' ');
            result.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }

        return result.ToString().ToLowerInvariant();
    }

    private async Task<bool> Required(UserManager<AppUser> users, AppUser user, CancellationToken ct)
    {
        var required = (await settings.Get(ct)).TwoFactorRequiredRoles;
        return (await users.GetRolesAsync(user)).Any(r => required.Contains(r, StringComparer.OrdinalIgnoreCase));
    }

    private static List<Claim> KeptClaims(ClaimsPrincipal principal) => principal.Claims
        .Where(c => c.Type is PayvandClaimsFactory.SignedInAtClaim or ClaimTypes.AuthenticationMethod or "amr")
        .Select(c => new Claim(c.Type, c.Value)).ToList();

    public sealed record RefreshRequest(string? Ticket);

    internal static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/account/two-factor").WithTags("Two-step sign-in").RequireAuthorization(Policies.SignedIn);

        api.MapGet("/", async Task<Results<Ok<StatusResponse>, NotFound>> (ClaimsPrincipal me, TwoFactor twoFactor, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await twoFactor.Status(me.Scope(), ct)))
            .WithSummary("Your two-step sign-in: on or off, required for your role, recovery codes left");

        api.MapPost("/setup", async Task<Results<Ok<SetupResponse>, NotFound>> (ClaimsPrincipal me, TwoFactor twoFactor, HttpContext http, CancellationToken ct) =>
            {
                var setup = await twoFactor.BeginSetup(me.Scope(), ct);
                if (setup is null) return TypedResults.NotFound();
                await RefreshCookie(http);
                return TypedResults.Ok(setup);
            })
            .WithSummary("Start setting up an authenticator app: a new shared key and its otpauth:// link (409 while two-step sign-in is on)");

        api.MapPost("/enable", async Task<Results<Ok<RecoveryCodesResponse>, NotFound>> (
                EnableRequest request, ClaimsPrincipal me, TwoFactor twoFactor, HttpContext http, CancellationToken ct) =>
            {
                var codes = await twoFactor.Enable(request, me.Scope(), ct);
                if (codes is null) return TypedResults.NotFound();
                await RefreshCookie(http);
                return TypedResults.Ok(codes);
            })
            .WithSummary("Turn two-step sign-in on with a code from the app; returns 10 recovery codes, this once only");

        api.MapPost("/disable", async Task<Results<NoContent, NotFound>> (ClaimsPrincipal me, TwoFactor twoFactor, HttpContext http, CancellationToken ct) =>
            {
                if (!await twoFactor.Disable(me.Scope(), ct)) return TypedResults.NotFound();
                await RefreshCookie(http);
                return TypedResults.NoContent();
            })
            .WithSummary("Turn two-step sign-in off (409 while your role must use it)");

        api.MapPost("/recovery-codes", async Task<Results<Ok<RecoveryCodesResponse>, NotFound>> (ClaimsPrincipal me, TwoFactor twoFactor, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await twoFactor.NewRecoveryCodes(me.Scope(), ct)))
            .WithSummary("Replace your recovery codes; the new ones are returned this once only");

        // The ticket, not the cookie, says who is signing in: by the time the page posts it the cookie may already have
        // been refused for its old security stamp. No antiforgery token is needed as the ticket itself cannot be forged.
        app.MapPost("/account/refresh-sign-in", async Task<Results<NoContent, BadRequest>> (
                RefreshRequest request, IDataProtectionProvider protection, SignInManager<AppUser> signIn) =>
            {
                string payload;
                try
                {
                    payload = protection.CreateProtector(TicketPurpose).ToTimeLimitedDataProtector().Unprotect(request.Ticket ?? "");
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    return TypedResults.BadRequest();
                }

                var lines = payload.Split('\n');
                var user = await signIn.UserManager.FindByIdAsync(lines[0]);
                if (user is null || !user.IsActive || await signIn.UserManager.GetSecurityStampAsync(user) != lines[1]) return TypedResults.BadRequest();
                var kept = lines.Skip(2).Select(l => l.Split('=', 2)).Select(p => new Claim(p[0], p[1])).ToList();
                await signIn.SignInWithClaimsAsync(user, new AuthenticationProperties { IsPersistent = false }, kept);
                return TypedResults.NoContent();
            })
            .AllowAnonymous()
            .RequireRateLimiting(PlatformSetup.PublicRateLimit)
            .ExcludeFromDescription();
    }

    // After a change to your own account (two-step sign-in, language, display name), an API call from a signed-in
    // browser gets its cookie renewed in the same answer, keeping the original sign-in time so the absolute session
    // limit still counts from it; token callers need nothing.
    internal static async Task RefreshCookie(HttpContext http)
    {
        if (http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return;
        var auth = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!auth.Succeeded) return;
        var signIn = http.RequestServices.GetRequiredService<SignInManager<AppUser>>();
        var user = await signIn.UserManager.GetUserAsync(auth.Principal);
        if (user is null) return;
        await signIn.SignInWithClaimsAsync(user, auth.Properties, KeptClaims(auth.Principal));
    }
}
