using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Organization;

// The signed-in user's personal access tokens for integrations: list them, create one (its secret is shown
// once, only the hash is kept), revoke one.
public sealed class MyAccessTokens(AccessTokenService tokens, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    public const int MaxDays = 3650;

    // ExpiresInDays: empty for a token that does not expire (until revoked).
    public sealed record Request(string? Name, int? ExpiresInDays = null);

    public Task<List<AccessTokenService.Listed>> List(UserScope user, CancellationToken ct) => tokens.List(user.UserId, ct);

    public async Task<AccessTokenService.Created> Create(Request request, UserScope user, CancellationToken ct)
    {
        var v = new Validator(text);
        var name = UserRules.CleanText(request.Name);
        v.Required("name", name, "Name").MaxLength("name", name, 100, "Name");
        if (request.ExpiresInDays is < 1 or > MaxDays) v.Add("expiresInDays", "{0} must be between {1} and {2}.", text["Days until it expires"], 1, MaxDays);
        v.ThrowIfAny();
        DateTime? expiresAt = request.ExpiresInDays is { } days ? clock.GetUtcNow().UtcDateTime.AddDays(days) : null;
        return await tokens.Create(user.UserId, name!, expiresAt, ct);
    }

    public Task<bool> Revoke(int tokenId, UserScope user, CancellationToken ct) => tokens.Revoke(user.UserId, tokenId, ct);
}
