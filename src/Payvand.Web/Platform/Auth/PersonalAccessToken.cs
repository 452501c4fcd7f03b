namespace Payvand.Platform.Auth;

// A token an integration sends as "Authorization: Bearer pv_...". Only its SHA-256 hash is stored.
public sealed class PersonalAccessToken
{
    public int Id { get; set; }

    public int UserId { get; set; }

    public required string Name { get; set; }

    // First characters of the token, shown in the UI so people can tell tokens apart.
    public required string Prefix { get; set; }

    public required string Hash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}
