using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Organization;

// Creates a user or changes one (Admin): roles, branches, active, display name, time zone and language.
// Identity's password rules (12+ characters, common passwords refused) come back as field errors.
// Role and branch changes are audited too; they and deactivation end the user's other sessions.
// UserManager is scoped over one DbContext and Blazor circuits live long, so each call takes its own scope.
public sealed class SaveUser(
    IServiceScopeFactory scopes, TimeProvider clock, CurrentUserAccessor currentUser, SecurityStamps stamps, IStringLocalizer<SharedResource> text)
{
    public sealed record CreateRequest(
        string? Email, string? DisplayName, List<string>? Roles, List<int>? BranchIds, string? Password,
        string? TimeZone = null, string? Culture = null);

    // The whole editable state: send what you read, changed. ConcurrencyStamp (from GET) makes a stale edit a 409.
    public sealed record UpdateRequest(
        string? DisplayName, List<string>? Roles, List<int>? BranchIds, bool IsActive = true,
        string? TimeZone = null, string? Culture = null, string? ConcurrencyStamp = null);

    public async Task<int> Create(CreateRequest request, UserScope actor, CancellationToken ct)
    {
        UserRules.Require(actor, OrganizationPermissions.Users, text);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<PayvandDb>();

        var v = new Validator(text);
        var email = UserRules.Email(v, request.Email);
        var displayName = UserRules.DisplayName(v, request.DisplayName);
        var roles = UserRules.RoleNames(v, request.Roles);
        var branchIds = await UserRules.BranchIds(v, db, request.BranchIds, roles, [], ct);
        var timeZone = UserRules.TimeZone(v, request.TimeZone);
        var culture = UserRules.Culture(v, request.Culture);
        if (email is not null && await users.FindByEmailAsync(email) is not null) v.Add("email", "Another user already has this email address.");
        var user = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName ?? "",
            TimeZone = timeZone,
            Culture = culture,
            Branches = branchIds.Select(b => new UserBranch { BranchId = b }).ToList(),
        };
        await UserRules.Password(v, users, user, request.Password, "password");
        v.ThrowIfAny();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        UserRules.ThrowIfFailed(await users.CreateAsync(user, request.Password!), users, text);
        UserRules.ThrowIfFailed(await users.AddToRolesAsync(user, roles), users, text);
        db.Audit.Add(UserRules.AuditChanges(actor, currentUser.IpAddress, clock.GetUtcNow().UtcDateTime, nameof(AppUser), UserRules.Id(user.Id),
            [new FieldChange("Roles", null, string.Join(", ", roles)), new FieldChange("Branches", null, await BranchNames(db, branchIds, ct))]));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return user.Id;
    }

    public async Task<bool> Update(int id, UpdateRequest request, UserScope actor, CancellationToken ct)
    {
        UserRules.Require(actor, OrganizationPermissions.Users, text);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<PayvandDb>();
        var user = await users.FindByIdAsync(UserRules.Id(id));
        if (user is null) return false;
        if (request.ConcurrencyStamp is not null && request.ConcurrencyStamp != user.ConcurrencyStamp) throw new DbUpdateConcurrencyException();

        var currentRoles = (await users.GetRolesAsync(user)).ToList();
        var currentBranches = await db.UserBranches.Where(b => b.UserId == id).ToListAsync(ct);
        var v = new Validator(text);
        var displayName = UserRules.DisplayName(v, request.DisplayName);
        var roles = UserRules.RoleNames(v, request.Roles);
        var branchIds = await UserRules.BranchIds(v, db, request.BranchIds, roles, currentBranches.Select(b => b.BranchId).ToList(), ct);
        var timeZone = UserRules.TimeZone(v, request.TimeZone);
        var culture = UserRules.Culture(v, request.Culture);
        v.ThrowIfAny();

        if (id == actor.UserId && !request.IsActive) throw new DomainRuleException(text["You cannot deactivate your own account."]);
        if (id == actor.UserId && currentRoles.Contains(Roles.Admin) && !roles.Contains(Roles.Admin))
        {
            throw new DomainRuleException(text["You cannot remove your own administrator role."]);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var removedRoles = currentRoles.Except(roles).ToList();
        var addedRoles = roles.Except(currentRoles).ToList();
        if (removedRoles.Count > 0) UserRules.ThrowIfFailed(await users.RemoveFromRolesAsync(user, removedRoles), users, text);
        if (addedRoles.Count > 0) UserRules.ThrowIfFailed(await users.AddToRolesAsync(user, addedRoles), users, text);

        var oldBranchIds = currentBranches.Select(b => b.BranchId).Order().ToList();
        db.UserBranches.RemoveRange(currentBranches.Where(b => !branchIds.Contains(b.BranchId)));
        db.UserBranches.AddRange(branchIds.Except(oldBranchIds).Select(b => new UserBranch { UserId = id, BranchId = b }));

        var changes = new List<FieldChange>();
        if (removedRoles.Count + addedRoles.Count > 0)
        {
            changes.Add(new FieldChange("Roles", string.Join(", ", currentRoles.OrderBy(r => Array.IndexOf(Roles.All, r))), string.Join(", ", roles)));
        }

        if (!oldBranchIds.SequenceEqual(branchIds))
        {
            changes.Add(new FieldChange("Branches", await BranchNames(db, oldBranchIds, ct), await BranchNames(db, branchIds, ct)));
        }

        if (changes.Count > 0)
        {
            db.Audit.Add(UserRules.AuditChanges(actor, currentUser.IpAddress, clock.GetUtcNow().UtcDateTime, nameof(AppUser), UserRules.Id(id), changes));
        }

        var endSessions = changes.Count > 0 || user.IsActive != request.IsActive;
        user.DisplayName = displayName!;
        user.IsActive = request.IsActive;
        user.TimeZone = timeZone;
        user.Culture = culture;
        UserRules.ThrowIfFailed(await users.UpdateAsync(user), users, text);
        if (endSessions) UserRules.ThrowIfFailed(await users.UpdateSecurityStampAsync(user), users, text);
        await tx.CommitAsync(ct);
        if (endSessions) stamps.Forget(user.Id);
        return true;
    }

    private static async Task<string?> BranchNames(PayvandDb db, List<int> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return null;
        var names = await db.Branches.Where(b => ids.Contains(b.Id)).OrderBy(b => b.Name).Select(b => b.Name).ToListAsync(ct);
        return string.Join(", ", names);
    }
}
