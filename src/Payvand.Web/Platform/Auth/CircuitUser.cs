using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Payvand.Platform.Auth;

// Re-checks a Blazor circuit's user every few minutes: a changed security stamp (password change, revoked sign-in),
// a deactivated user or an expired absolute session ends the circuit's authentication.
public sealed class RevalidatingStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory, IOptions<IdentityOptions> options,
    TimeProvider clock, SessionOptions session)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    // A reset password or a deactivation ends open pages within a minute (a cookie request at once: SecurityStamps).
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var principal = authenticationState.User;
        if (AuthSetup.SessionExpired(principal, clock.GetUtcNow(), session)) return false;
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.GetUserAsync(principal);
        if (user is null || !user.IsActive) return false;
        if (!users.SupportsUserSecurityStamp) return true;
        var stamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }
}

// Sets the acting user for every event a circuit handles, so the audit trail knows who clicked.
public sealed class CircuitUserHandler(AuthenticationStateProvider auth, CurrentUserAccessor accessor) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var state = await auth.GetAuthenticationStateAsync();
            accessor.User = UserScope.From(state.User);
            await next(context);
        };
}
