using Microsoft.AspNetCore.Identity;
using Payvand.Platform.Audit;

namespace Payvand.Platform.Auth;

public static class AccountPaths
{
    public const string MustChangePasswordClaim = "payvand:must-change-password";
    public const string TwoFactorSetupClaim = "payvand:two-factor-setup-required";

    // Only local paths are followed after sign-in or a language switch (no open redirects): one leading slash, then
    // neither a second slash nor a backslash (browsers read "/\host" as "//host"), and no control characters, which
    // browsers drop ("/\t/host" becomes "//host"). The same rule as ASP.NET Core's LocalRedirect, which throws instead.
    public static string SafeReturn(string? returnUrl) => IsLocal(returnUrl) ? returnUrl! : "/";

    private static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/') return false;
        if (url.Length > 1 && url[1] is '/' or '\\') return false;
        return !url.Any(char.IsControl);
    }

    // Sign-out, and the gates a signed-in person must pass first: a forced password change, a required authenticator.
    public static IEndpointRouteBuilder MapAccount(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async (SignInManager<AppUser> signIn, AuditLog audit, HttpContext ctx) =>
            {
                await audit.Write(AuditAction.SignOut, "User", null, null, ctx.RequestAborted);
                await signIn.SignOutAsync();
                return TypedResults.LocalRedirect("/account/login");
            })
            .ExcludeFromDescription();
        return app;
    }

    public static IApplicationBuilder UseAccountGates(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        var path = ctx.Request.Path;
        var open = path.StartsWithSegments("/account") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
            || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/culture") || path.StartsWithSegments("/api")
            || Path.HasExtension(path.Value);
        if (!open && ctx.User.Identity?.IsAuthenticated == true)
        {
            if (ctx.User.HasClaim(c => c.Type == MustChangePasswordClaim))
            {
                ctx.Response.Redirect("/account/change-password");
                return;
            }

            if (ctx.User.HasClaim(c => c.Type == TwoFactorSetupClaim))
            {
                ctx.Response.Redirect("/account/security");
                return;
            }
        }

        await next(ctx);
    });
}

// Identity's error codes become our own translated messages.
public static class IdentityMessages
{
    public static string KeyFor(IdentityError error) => error.Code switch
    {
        "PasswordTooShort" => "The password must be at least 12 characters.",
        "CommonPassword" => "This password is too common or too easy to guess.",
        "PasswordMismatch" => "The current password is not correct.",
        "DuplicateEmail" or "DuplicateUserName" => "This email is already used by another user.",
        "InvalidEmail" or "InvalidUserName" => "The email address is not valid.",
        _ => "The password was not accepted.",
    };
}
