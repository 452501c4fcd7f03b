using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Payvand.Platform.Data;

namespace Payvand.Platform.Auth;

// Whether a sign-in cookie's security stamp is still the user's. Identity compares it only every few minutes (when it
// also rebuilds the principal, six queries); a password reset or change must end the user's other sessions at once,
// so every cookie request compares it here: one indexed read, kept for a few seconds, and forgotten on this instance
// when the stamp changes. Another instance may still accept an old cookie for StampLifetime, never refuse a new one.
public sealed class SecurityStamps(IDbContextFactory<PayvandDb> dbFactory, IMemoryCache cache, IOptions<IdentityOptions> identity)
{
    private static readonly TimeSpan StampLifetime = TimeSpan.FromSeconds(10);

    public async Task<bool> Matches(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!int.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var userId)) return false;
        var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        if (stamp is null) return false;
        if (cache.TryGetValue(Key(userId), out string? known) && known == stamp) return true;
        // Not known, or different: read it, so a stamp cached before a change here or on another instance never
        // refuses the new cookie of the user who changed it.
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var current = await db.Users.Where(u => u.Id == userId && u.IsActive).Select(u => u.SecurityStamp).FirstOrDefaultAsync(ct);
        if (current is not null) cache.Set(Key(userId), current, StampLifetime);
        return current == stamp;
    }

    // The user's stamp changed (password reset or change, deactivation): read it again on the next request.
    public void Forget(int userId) => cache.Remove(Key(userId));

    private static (string, int) Key(int userId) => (nameof(SecurityStamps), userId);
}
