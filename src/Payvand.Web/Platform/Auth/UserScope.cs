using System.Globalization;
using System.Security.Claims;

namespace Payvand.Platform.Auth;

// Who is acting and what they may see and do: built from the signed-in principal (cookie or access token).
// The branch rule lives here once, so every module applies the same one (see RecordAccess); the permissions are
// those the user's roles hold now (PermissionClaims puts them on each request's principal, RolePermissions.Resolve
// on a page's or a job's scope).
public sealed record UserScope(int UserId, string UserName, IReadOnlySet<string> Roles, IReadOnlySet<int> BranchIds)
{
    public const string BranchClaim = "payvand:branch";

    public static readonly UserScope System = new(0, "system", new HashSet<string> { Auth.Roles.Admin }, new HashSet<int>())
    {
        HasAllPermissions = true,
    };

    public IReadOnlySet<string> Permissions { get; init; } = new HashSet<string>();

    // The system itself (start-up, demo data) may do everything.
    public bool HasAllPermissions { get; private init; }

    public bool Has(string permission) => HasAllPermissions || Permissions.Contains(permission);

    // A refusal (403, audited) unless the user holds the permission.
    public void Require(string permission, string refusal)
    {
        if (!Has(permission)) throw new Errors.AccessDeniedException(refusal);
    }

    public bool IsAdmin => Roles.Contains(Auth.Roles.Admin);

    public bool SeesAllBranches => Auth.Roles.AllBranches.Any(Roles.Contains);

    public bool IsInRole(string role) => Roles.Contains(role);

    public bool IsInAnyRole(params string[] roles) => roles.Any(Roles.Contains);

    public bool CanSeeBranch(int branchId) => SeesAllBranches || BranchIds.Contains(branchId);

    // The branch new records get when the caller does not name one.
    public int? DefaultBranchId => BranchIds.Count > 0 ? BranchIds.Min() : null;

    public static UserScope? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true) return null;
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)) return null;
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var branches = principal.FindAll(BranchClaim)
            .Select(c => int.TryParse(c.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : 0)
            .Where(b => b > 0)
            .ToHashSet();
        var permissions = principal.FindAll(RolePermissions.ClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new UserScope(userId, principal.FindFirstValue(ClaimTypes.Name) ?? "", roles, branches) { Permissions = permissions };
    }
}

// The acting user of the current request or Blazor circuit event, for code (audit) that is not handed it.
public sealed class CurrentUserAccessor
{
    private static readonly AsyncLocal<Holder> Current = new();

    public UserScope? User
    {
        get => Current.Value?.Scope;
        set => Current.Value = new Holder(value, Current.Value?.IpAddress);
    }

    public string? IpAddress
    {
        get => Current.Value?.IpAddress;
        set => Current.Value = new Holder(Current.Value?.Scope, value);
    }

    private sealed record Holder(UserScope? Scope, string? IpAddress);
}

public static class ClaimsPrincipalScope
{
    // The caller of an authorized endpoint (the fallback policy guarantees one).
    public static UserScope Scope(this ClaimsPrincipal principal) =>
        UserScope.From(principal) ?? throw new InvalidOperationException("The endpoint requires an authenticated user.");
}
