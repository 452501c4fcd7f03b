using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Payvand.Platform.Data;

namespace Payvand.Platform.Auth;

// Adds the user's branches and display name to the sign-in principal, so the branch rule needs no query per request.
public sealed class PayvandClaimsFactory(
    UserManager<AppUser> users, RoleManager<AppRole> roles, IOptions<IdentityOptions> options, IDbContextFactory<PayvandDb> dbFactory,
    Settings.PayvandSettings settings)
    : UserClaimsPrincipalFactory<AppUser, AppRole>(users, roles, options)
{
    public const string DisplayNameClaim = "payvand:display-name";
    public const string SignedInAtClaim = "payvand:signed-in-at";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);

        // Identity copies every role claim into the principal; the permissions among them are read per request
        // instead (PermissionClaims), so a change applies without signing in again.
        foreach (var permission in identity.FindAll(RolePermissions.ClaimType).ToList()) identity.RemoveClaim(permission);
        await using var db = await dbFactory.CreateDbContextAsync();
        var branches = await db.UserBranches.Where(b => b.UserId == user.Id).Select(b => b.BranchId).ToListAsync();
        foreach (var branch in branches)
        {
            identity.AddClaim(new Claim(UserScope.BranchClaim, branch.ToString(CultureInfo.InvariantCulture)));
        }

        identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        if (user.MustChangePassword) identity.AddClaim(new Claim(AccountPaths.MustChangePasswordClaim, "true"));
        if (!user.TwoFactorEnabled)
        {
            var required = (await settings.Get()).TwoFactorRequiredRoles;
            var roles = await UserManager.GetRolesAsync(user);
            if (roles.Any(required.Contains)) identity.AddClaim(new Claim(AccountPaths.TwoFactorSetupClaim, "true"));
        }

        if (user.Culture is not null) identity.AddClaim(new Claim(Localization.Cultures.UserClaim, user.Culture));
        return identity;
    }
}
