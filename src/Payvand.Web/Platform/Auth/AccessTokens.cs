using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Payvand.Platform.Audit;
using Payvand.Platform.Data;

namespace Payvand.Platform.Auth;

// Creating, checking and revoking personal access tokens ("pv_" + 43 random characters, stored as SHA-256).
public sealed class AccessTokenService(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, AuditLog audit)
{
    public const string Scheme = "PayvandToken";
    private const string TokenPrefix = "pv_";

    public sealed record Created(int Id, string Name, string Token, string Prefix, DateTime CreatedAt, DateTime? ExpiresAt);

    public sealed record Listed(int Id, string Name, string Prefix, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt);

    public async Task<Created> Create(int userId, string name, DateTime? expiresAt, CancellationToken ct)
    {
        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        var entity = new PersonalAccessToken
        {
            UserId = userId,
            Name = name.Trim(),
            Prefix = token[..10],
            Hash = Hash(token),
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AccessTokens.Add(entity);
        await db.SaveChangesAsync(ct);
        await audit.Write(AuditAction.TokenCreated, "PersonalAccessToken", entity.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{entity.Name} ({entity.Prefix}…)", ct);
        return new Created(entity.Id, entity.Name, token, entity.Prefix, now, expiresAt);
    }

    public async Task<List<Listed>> List(int userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AccessTokens.Where(t => t.UserId == userId).OrderByDescending(t => t.CreatedAt)
            .Select(t => new Listed(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt))
            .ToListAsync(ct);
    }

    public async Task<bool> Revoke(int userId, int tokenId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.AccessTokens.Where(t => t.Id == tokenId && t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        if (changed > 0) await audit.Write(AuditAction.TokenRevoked, "PersonalAccessToken", tokenId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, ct);
        return changed > 0;
    }

    // Every token of the user stops working (their password was reset or changed): the tokens were handed out on the
    // strength of the old password, and whoever may have learned it may hold one.
    public async Task<int> RevokeAll(int userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var revoked = await db.AccessTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        if (revoked > 0)
        {
            await audit.Write(AuditAction.TokenRevoked, nameof(AppUser), userId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"all {revoked} tokens", ct);
        }

        return revoked;
    }

    // The user a token belongs to, if the token is known, not revoked, not expired, and the user is active.
    public async Task<AppUser?> Validate(string token, CancellationToken ct)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 100) return null;
        var hash = Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindToken(db, hash, now, ct);
        if (found is null || !found.User.IsActive) return null;
        if (found.LastUsedAt is null || now - found.LastUsedAt > TimeSpan.FromMinutes(5))
        {
            await db.AccessTokens.Where(t => t.Id == found.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), ct);
        }

        return found.User;
    }

    private sealed record TokenUser(int Id, DateTime? LastUsedAt, AppUser User);

    // Compiled and prepared (PreparedStatements), as every API request runs it. A join, not db.Users.First(...) in the projection, which EF Core makes a
    // ROW_NUMBER() over all users.
    private static readonly Func<PayvandDb, string, DateTime, CancellationToken, Task<TokenUser?>> FindToken = EF.CompileAsyncQuery(
        (PayvandDb db, string hash, DateTime now, CancellationToken ct) => (
            from t in db.AccessTokens
            join u in db.Users on t.UserId equals u.Id
            where t.Hash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now)
            select new TokenUser(t.Id, t.LastUsedAt, u)).AsNoTracking().TagWith(PreparedStatements.Tag).SingleOrDefault());

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

// Authenticates "Authorization: Bearer pv_..." requests. Each request checks the token and its user in one query
// (revoked, expired and deactivated take effect at once); the claims built from the user's roles and branches (six
// more queries) are reused while the user's security and concurrency stamps are unchanged, for at most a minute.
public sealed class AccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AccessTokenService tokens, IUserClaimsPrincipalFactory<AppUser> principals, IMemoryCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private static readonly TimeSpan ClaimsLifetime = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var user = await tokens.Validate(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (user is null) return AuthenticateResult.Fail("Invalid or expired access token.");
        var key = (nameof(AccessTokenHandler), user.Id, user.SecurityStamp, user.ConcurrencyStamp);
        if (!cache.TryGetValue(key, out ClaimsIdentity? identity) || identity is null)
        {
            var principal = await principals.CreateAsync(user);
            identity = new ClaimsIdentity(principal.Claims, AccessTokenService.Scheme, ClaimTypes.Name, ClaimTypes.Role);
            cache.Set(key, identity, ClaimsLifetime);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity.Clone()), AccessTokenService.Scheme));
    }
}
