using Payvand.Platform.Auth;

namespace Payvand.Modules.Segments;

// What may be done to segments; the roles that hold each are data (see RolePermissions), these are the defaults.
public static class SegmentsPermissions
{
    public const string Read = "segments.read";
    public const string Write = "segments.write";
    public const string Delete = "segments.delete";

    internal static IServiceCollection AddSegmentsPermissions(this IServiceCollection services) => services.AddPermissions("segments", "Segments",
        // Reading includes counting a rule and listing a segment's members among the people the reader sees.
        new Permission(Read, "See segments, count rules and list their members", Roles.Admin, Roles.Manager, Roles.Marketing, Roles.Sales),
        new Permission(Write, "Create, change and freeze segments", Roles.Admin, Roles.Manager, Roles.Marketing),
        new Permission(Delete, "Delete segments", Roles.Admin, Roles.Manager, Roles.Marketing));
}
