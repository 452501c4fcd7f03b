using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Payvand.Platform.Audit;
using Payvand.Platform.Data;

namespace Payvand.Platform.Auth;

// Every endpoint needs a permission (a policy named after it, declared by its module: ContactsPermissions.Write ...)
// or one of these. Record-level (branch) checks are done by RecordAccess on top.
public static class Policies
{
    // Any signed-in user, whatever their permissions: their own account (profile, password, tokens, two-step
    // sign-in), their saved views, and the lists every form picks from. PermissionCoverageTests lists where it is used.
    public const string SignedIn = "SignedIn";
}

public sealed class SessionOptions
{
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(10);
}

public static class AuthSetup
{
    public const string SmartScheme = "Payvand";

    public static IServiceCollection AddPayvandAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var session = configuration.GetSection("Payvand:Session").Get<SessionOptions>() ?? new SessionOptions();
        services.AddSingleton(session);
        services.AddSingleton<CurrentUserAccessor>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AccessTokenService>();
        services.AddMemoryCache(); // AccessTokenHandler keeps the claims of API callers for a minute
        services.AddSingleton<UserLookup>();
        services.AddSingleton<SecurityStamps>();
        services.AddSingleton<UnknownEmailLockout>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingStateProvider>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or access token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? AccessTokenService.Scheme
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, AccessTokenHandler>(AccessTokenService.Scheme, null)
            .AddIdentityCookies();

        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<AppRole>()
            .AddEntityFrameworkStores<PayvandDb>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<PayvandClaimsFactory>()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddDefaultTokenProviders();
        services.AddScoped(sp => sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PayvandDb>>().CreateDbContext());

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            o.ExpireTimeSpan = session.IdleTimeout;
            o.SlidingExpiration = true;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Name = "payvand.auth";
            o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden);
            o.Events.OnSigningIn = ctx =>
            {
                if (ctx.Principal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == PayvandClaimsFactory.SignedInAtClaim))
                {
                    var now = ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                    identity.AddClaim(new Claim(PayvandClaimsFactory.SignedInAtClaim, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
                }

                return Task.CompletedTask;
            };
            o.Events.OnValidatePrincipal = async ctx =>
            {
                // Absolute timeout: a session ends some hours after sign-in however active it is.
                var now = ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                if (SessionExpired(ctx.Principal, now, session))
                {
                    ctx.RejectPrincipal();
                    await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }

                // A password reset or change ends every other session at once (SecurityStamps), not at Identity's next check.
                if (ctx.Principal is null || !await ctx.HttpContext.RequestServices.GetRequiredService<SecurityStamps>().Matches(ctx.Principal, ctx.HttpContext.RequestAborted))
                {
                    ctx.RejectPrincipal();
                    await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }

                await SecurityStampValidator.ValidatePrincipalAsync(ctx);
            };
        });
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(5);
            // The refreshed principal keeps the original sign-in time, so the absolute timeout still counts from sign-in.
            o.OnRefreshingPrincipal = ctx =>
            {
                var signedIn = ctx.CurrentPrincipal?.FindFirst(PayvandClaimsFactory.SignedInAtClaim);
                if (signedIn is not null && ctx.NewPrincipal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == signedIn.Type))
                {
                    identity.AddClaim(new Claim(signedIn.Type, signedIn.Value));
                }

                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser());
        services.AddSingleton<PermissionCatalog>();
        services.AddSingleton<RolePermissions>();
        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        services.AddSingleton<IClaimsTransformation, PermissionClaims>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuditedAuthorizationResultHandler>();
        return services;
    }

    public static bool SessionExpired(ClaimsPrincipal? principal, DateTimeOffset now, SessionOptions session)
    {
        var value = principal?.FindFirstValue(PayvandClaimsFactory.SignedInAtClaim);
        if (value is null || !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)) return false;
        return now - DateTimeOffset.FromUnixTimeSeconds(seconds) > session.AbsoluteTimeout;
    }

    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    // Makes the acting user known to code that is not handed it (the audit trail) for the rest of the request.
    public static IApplicationBuilder UseCurrentUser(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        var accessor = ctx.RequestServices.GetRequiredService<CurrentUserAccessor>();
        accessor.User = UserScope.From(ctx.User);
        accessor.IpAddress = ctx.Connection.RemoteIpAddress?.ToString();
        await next(ctx);
    });
}

// Refused authorizations are written to the audit log before the usual 401/403 answer.
public sealed class AuditedAuthorizationResultHandler(AuditLog audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler inner = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            await audit.Write(AuditAction.AccessDenied, null, null, $"{context.Request.Method} {context.Request.Path}", context.RequestAborted);
        }

        await inner.HandleAsync(next, context, policy, authorizeResult);
    }
}
