using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;
using Payvand.Platform.Settings;

namespace Payvand.Modules.Organization;

// TwoFactorRequired: one of the user's roles must use an authenticator app (admin settings) — the UI asks them to set one up.
public sealed record MyProfile(
    int Id, string Email, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<BranchRef> Branches,
    string TimeZone, string? Culture, bool TwoFactorEnabled, bool TwoFactorRequired, bool MustChangePassword);

// The signed-in user's own account: their profile, their display name, language and time zone, and their password.
public sealed class MyAccount(
    IDbContextFactory<PayvandDb> dbFactory, IServiceScopeFactory scopes, PayvandSettings settings, AuditLog audit,
    AccessTokenService tokens, SecurityStamps stamps, IStringLocalizer<SharedResource> text)
{
    // Culture: fa, en, or empty to follow the browser.
    public sealed record ProfileRequest(string? DisplayName, string? Culture, string? TimeZone);

    public sealed record PasswordRequest(string? CurrentPassword, string? NewPassword);

    public async Task<MyProfile?> Get(UserScope user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var u = await db.Users.AsNoTracking().SingleOrDefaultAsync(x => x.Id == user.UserId, ct);
        if (u is null) return null;
        var (roles, branches) = await ListUsers.RolesAndBranches(db, [u.Id], ct);
        var required = (await settings.Get(ct)).TwoFactorRequiredRoles;
        return new MyProfile(
            u.Id, u.Email ?? "", u.DisplayName, roles[u.Id], branches[u.Id], u.TimeZone, u.Culture, u.TwoFactorEnabled,
            roles[u.Id].Any(r => required.Contains(r, StringComparer.OrdinalIgnoreCase)), u.MustChangePassword);
    }

    public async Task<bool> Update(ProfileRequest request, UserScope user, CancellationToken ct)
    {
        var v = new Validator(text);
        var displayName = UserRules.DisplayName(v, request.DisplayName);
        var culture = UserRules.Culture(v, request.Culture);
        var timeZone = UserRules.TimeZone(v, request.TimeZone);
        v.ThrowIfAny();

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var me = await users.FindByIdAsync(UserRules.Id(user.UserId));
        if (me is null) return false;
        me.DisplayName = displayName!;
        me.Culture = culture;
        me.TimeZone = timeZone;
        UserRules.ThrowIfFailed(await users.UpdateAsync(me), users, text);
        return true;
    }

    // Checks the current password, sets the new one (same rules as everywhere) and clears "must change password".
    // Identity gives the user a new security stamp, which ends their sign-in sessions; their access tokens are revoked.
    public async Task<bool> ChangePassword(PasswordRequest request, UserScope user, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var me = await users.FindByIdAsync(UserRules.Id(user.UserId));
        if (me is null) return false;

        var v = new Validator(text);
        if (string.IsNullOrEmpty(request.CurrentPassword)) v.Add("currentPassword", "{0} is required.", text["Current password"]);
        await UserRules.Password(v, users, me, request.NewPassword, "newPassword");
        if (!v.HasErrors && request.NewPassword == request.CurrentPassword) v.Add("newPassword", "Choose a password different from the current one.");
        v.ThrowIfAny();

        me.MustChangePassword = false;
        UserRules.ThrowIfFailed(await users.ChangePasswordAsync(me, request.CurrentPassword!, request.NewPassword!), users, text, "newPassword");
        stamps.Forget(me.Id);
        await tokens.RevokeAll(me.Id, ct);
        await audit.Write(AuditAction.Update, nameof(AppUser), UserRules.Id(me.Id), "password-changed", ct);
        return true;
    }
}
