namespace Payvand.Platform.Audit;

public enum AuditAction
{
    Create,
    Update,
    Delete,
    SignIn,
    SignInFailed,
    SignOut,
    AccessDenied,
    TokenCreated,
    TokenRevoked,
    Merged,
    Erased,
}

// Who did what, when, to which record, which fields from what to what.
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public int? UserId { get; set; }

    public string? UserName { get; set; }

    public AuditAction Action { get; set; }

    public string? EntityType { get; set; }

    public string? EntityId { get; set; }

    // JSON array of { field, from, to }.
    public string? Changes { get; set; }

    public string? Detail { get; set; }

    public string? IpAddress { get; set; }
}

public sealed record FieldChange(string Field, string? From, string? To);
