using Microsoft.AspNetCore.Identity;
using Payvand.Platform.Data;

namespace Payvand.Platform.Auth;

// A person who signs in to Payvand. Belongs to one or more branches (managers often to several).
public sealed class AppUser : IdentityUser<int>, IAudited, ITimestamped
{
    public required string DisplayName { get; set; }

    // IANA time zone used to show and enter times; default Asia/Tehran.
    public string TimeZone { get; set; } = "Asia/Tehran";

    // fa or en; null follows cookie / browser / configuration.
    public string? Culture { get; set; }

    public bool IsActive { get; set; } = true;

    // Set for the generated first administrator: the next sign-in must choose a new password.
    public bool MustChangePassword { get; set; }

    public List<UserBranch> Branches { get; set; } = [];

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

public sealed class UserBranch
{
    public int UserId { get; set; }

    public int BranchId { get; set; }

    public Branch? Branch { get; set; }
}

public sealed class AppRole : IdentityRole<int>
{
    public AppRole()
    {
    }

    public AppRole(string name)
        : base(name)
    {
    }
}

// A branch (شعبه) of the business. Records and users belong to branches.
public sealed class Branch : IAudited, IVersioned, ITimestamped
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public string? Code { get; set; }

    public string? City { get; set; }

    public bool IsActive { get; set; } = true;

    public int Version { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
