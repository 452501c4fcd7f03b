using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Primitives;
using Payvand.Platform.Localization;

namespace Payvand.Platform.Auth;

// A request signed in by cookie that changes something (POST, PUT, PATCH, DELETE) must come from a Payvand page:
// its Origin (or, when a browser sends none, its Referer) must be this site. A browser adds the cookie to a request
// another site makes it send (an upload form, a fetch), so without this the cookie alone would authorize it; SameSite=Lax
// keeps the cookie off cross-site posts but not off those from a sibling site. Callers with an access token
// (Authorization: Bearer) send no cookie and need no Origin. Behind a proxy that rewrites Host, name the public
// addresses in Payvand:AllowedOrigins (e.g. https://crm.example.com).
public static class OriginCheck
{
    public static IApplicationBuilder UseOriginCheck(this IApplicationBuilder app)
    {
        var configured = app.ApplicationServices.GetRequiredService<IConfiguration>().GetSection("Payvand:AllowedOrigins").Get<string[]>() ?? [];
        var allowed = configured.Select(o => Uri.TryCreate(o, UriKind.Absolute, out var u) ? u.Authority : null).OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return app.Use(async (ctx, next) =>
        {
            if (!NeedsCheck(ctx) || Allowed(ctx, allowed))
            {
                await next(ctx);
                return;
            }

            var text = ctx.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OriginCheck))
                .LogWarning("Refused a cookie-authenticated {Method} {Path} from origin {Origin}", ctx.Request.Method, ctx.Request.Path, OriginOf(ctx) ?? "(none)");
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            await ctx.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = ctx,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status403Forbidden,
                    Title = text["This request did not come from a Payvand page. Open Payvand and try again."],
                },
            });
        });
    }

    private static bool NeedsCheck(HttpContext ctx) =>
        !(HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method) || HttpMethods.IsOptions(ctx.Request.Method) || HttpMethods.IsTrace(ctx.Request.Method))
        && ctx.User.Identity?.IsAuthenticated == true
        && !ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase); // as AuthSetup's scheme selector

    private static bool Allowed(HttpContext ctx, HashSet<string> configured)
    {
        if (OriginOf(ctx) is not { } origin || !Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        var host = ctx.Request.Host.Value;
        return string.Equals(uri.Authority, host, StringComparison.OrdinalIgnoreCase)
            || (ctx.Request.Headers["X-Forwarded-Host"] is { Count: > 0 } forwarded && string.Equals(uri.Authority, forwarded[0], StringComparison.OrdinalIgnoreCase))
            || configured.Contains(uri.Authority);
    }

    // The Origin header, or the origin of the Referer when there is no Origin ("null" is an opaque origin: refused).
    private static string? OriginOf(HttpContext ctx)
    {
        StringValues origin = ctx.Request.Headers.Origin;
        if (!StringValues.IsNullOrEmpty(origin)) return origin[0];
        return Uri.TryCreate(ctx.Request.Headers.Referer.ToString(), UriKind.Absolute, out var referer) ? referer.GetLeftPart(UriPartial.Authority) : null;
    }
}
