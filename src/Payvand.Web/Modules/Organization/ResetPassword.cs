using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Organization;

// An administrator sets a new password for a user who forgot theirs: the one given, or a generated one shown once.
// The user must choose their own at the next sign-in; the lockout is lifted, their sessions end at once and their
// access tokens are revoked (whoever learned the old password may hold one).
public sealed class ResetPassword(
    IServiceScopeFactory scopes, AuditLog audit, AccessTokenService tokens, SecurityStamps stamps, IStringLocalizer<SharedResource> text)
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public sealed record Request(string? Password = null);

    // TemporaryPassword is set only when the server generated it.
    public sealed record Response(string? TemporaryPassword);

    public async Task<Response?> Handle(int id, Request request, UserScope actor, CancellationToken ct)
    {
        UserRules.Require(actor, OrganizationPermissions.Users, text);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<PayvandDb>();
        var user = await users.FindByIdAsync(UserRules.Id(id));
        if (user is null) return null;

        var generated = string.IsNullOrEmpty(request.Password);
        var password = generated ? RandomNumberGenerator.GetString(Alphabet, 20) : request.Password!;
        var v = new Validator(text);
        await UserRules.Password(v, users, user, password, "password");
        v.ThrowIfAny();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await users.HasPasswordAsync(user)) UserRules.ThrowIfFailed(await users.RemovePasswordAsync(user), users, text);
        user.MustChangePassword = true;
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        UserRules.ThrowIfFailed(await users.AddPasswordAsync(user, password), users, text);
        UserRules.ThrowIfFailed(await users.UpdateSecurityStampAsync(user), users, text);
        await tx.CommitAsync(ct);
        stamps.Forget(user.Id);
        await tokens.RevokeAll(user.Id, ct);
        await audit.Write(AuditAction.Update, nameof(AppUser), UserRules.Id(id), "password-reset", ct);
        return new Response(generated ? password : null);
    }
}
