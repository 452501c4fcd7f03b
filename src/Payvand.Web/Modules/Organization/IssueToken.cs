using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Persian;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Organization;

// Signs in with email and password (and the authenticator code when two-step sign-in is on) and returns a
// personal access token for API clients. Failed attempts count toward the lockout; every attempt is audited.
// Wrong email and wrong password get the same answer, so the endpoint does not reveal who has an account.
public sealed class IssueToken(
    IServiceScopeFactory scopes, AccessTokenService tokens, AuditLog audit, PayvandSettings settings, TimeProvider clock,
    CurrentUserAccessor currentUser, UnknownEmailLockout unknownEmails, IStringLocalizer<SharedResource> text)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 365;
    private const string AuditType = nameof(AppUser);

    public sealed record Request(string? Email, string? Password, string? Name = null, int? ExpiresInDays = null, string? Code = null);

    public sealed record Response(string Token, DateTime? ExpiresAt);

    // Why a sign-in was refused: the HTTP status, a message in the user's language, a stable reason code for
    // API clients (invalid_credentials, locked_out, two_factor_required, invalid_code, inactive,
    // password_change_required, two_factor_setup_required) and, for a lockout, when to try again.
    public sealed record Refusal(int Status, string Title, string Reason, TimeSpan? RetryAfter = null);

    public sealed record Outcome(Response? Token, Refusal? Refusal);

    public async Task<Outcome> Handle(Request request, CancellationToken ct)
    {
        var v = new Validator(text);
        var email = UserRules.Email(v, request.Email);
        if (string.IsNullOrEmpty(request.Password)) v.Add("password", "{0} is required.", text["Password"]);
        var name = UserRules.CleanText(request.Name) ?? text["API sign-in"];
        v.MaxLength("name", name, 100, "Name");
        if (request.ExpiresInDays is < 1 or > MaxDays) v.Add("expiresInDays", "{0} must be between {1} and {2}.", text["Days until it expires"], 1, MaxDays);
        v.ThrowIfAny();

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
        var user = await users.FindByEmailAsync(email!);
        if (user is null)
        {
            // Hash anyway, so an unknown email takes as long to refuse as a wrong password.
            users.PasswordHasher.HashPassword(new AppUser { DisplayName = "" }, request.Password!);
            // Locked out after as many failures as an account would be, so a 429 does not tell that the email has one.
            if ((unknownEmails.LockedUntil(email!) ?? unknownEmails.Failed(email!)) is { } lockedUntil)
            {
                return await LockedOut(null, email!, lockedUntil, ct);
            }

            return await Refuse(null, email!, "unknown-email", StatusCodes.Status401Unauthorized, "invalid_credentials",
                text["The email or password is not correct."], ct);
        }

        var check = await signIn.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: true);
        if (check.IsLockedOut) return await LockedOut(users, user, ct);
        if (!check.Succeeded)
        {
            return await Refuse(user, email!, "wrong-password", StatusCodes.Status401Unauthorized, "invalid_credentials",
                text["The email or password is not correct."], ct);
        }

        if (!user.IsActive)
        {
            return await Refuse(user, email!, "inactive", StatusCodes.Status403Forbidden, "inactive",
                text["This account is deactivated. Ask an administrator."], ct);
        }

        if (user.TwoFactorEnabled)
        {
            var code = PersianText.ToLatinDigits(request.Code).Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
            if (code.Length == 0)
            {
                return await Refuse(user, email!, "no-code", StatusCodes.Status401Unauthorized, "two_factor_required",
                    text["Enter the code from your authenticator app."], ct);
            }

            if (!await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, code))
            {
                await users.AccessFailedAsync(user);
                if (await users.IsLockedOutAsync(user)) return await LockedOut(users, user, ct);
                return await Refuse(user, email!, "wrong-code", StatusCodes.Status401Unauthorized, "invalid_code",
                    text["The authenticator code is not correct."], ct);
            }

            await users.ResetAccessFailedCountAsync(user);
        }

        if (user.MustChangePassword)
        {
            return await Refuse(user, email!, "must-change-password", StatusCodes.Status403Forbidden, "password_change_required",
                text["Choose a new password in Payvand first; then you can sign in here."], ct);
        }

        var roles = await users.GetRolesAsync(user);
        var required = (await settings.Get(ct)).TwoFactorRequiredRoles;
        if (!user.TwoFactorEnabled && roles.Any(r => required.Contains(r, StringComparer.OrdinalIgnoreCase)))
        {
            return await Refuse(user, email!, "two-factor-not-set-up", StatusCodes.Status403Forbidden, "two_factor_setup_required",
                text["Your role must use two-step sign-in. Set up an authenticator app in Payvand first."], ct);
        }

        // From here on the user is known: the token's own audit row names them.
        currentUser.User = new UserScope(user.Id, user.UserName ?? email!, roles.ToHashSet(StringComparer.Ordinal), new HashSet<int>());
        var expiresAt = clock.GetUtcNow().UtcDateTime.AddDays(request.ExpiresInDays ?? DefaultDays);
        var created = await tokens.Create(user.Id, name, expiresAt, ct);
        await audit.Write(AuditAction.SignIn, AuditType, UserRules.Id(user.Id), $"api-token: {created.Prefix}…", ct, user.Id, user.UserName);
        return new Outcome(new Response(created.Token, created.ExpiresAt), null);
    }

    private async Task<Outcome> LockedOut(UserManager<AppUser> users, AppUser user, CancellationToken ct) =>
        await LockedOut(user, user.Email ?? "", await users.GetLockoutEndDateAsync(user), ct);

    private async Task<Outcome> LockedOut(AppUser? user, string email, DateTimeOffset? until, CancellationToken ct)
    {
        var wait = until is { } end ? end - clock.GetUtcNow() : TimeSpan.Zero;
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        var minutes = Math.Max(1, (int)Math.Ceiling(Math.Min(wait.TotalMinutes, int.MaxValue)));
        return await Refuse(user, email, "locked-out", StatusCodes.Status429TooManyRequests, "locked_out",
            text["Too many failed attempts. Try again in {0} minutes.", minutes], ct, wait);
    }

    private async Task<Outcome> Refuse(
        AppUser? user, string email, string why, int status, string reason, string title, CancellationToken ct, TimeSpan? retryAfter = null)
    {
        await audit.Write(AuditAction.SignInFailed, AuditType, user is null ? null : UserRules.Id(user.Id), $"api-token: {why}", ct,
            user?.Id, user?.UserName ?? email);
        return new Outcome(null, new Refusal(status, title, reason, retryAfter));
    }
}
