using System.Security.Cryptography;

namespace Payvand.Platform;

// The headers every answer carries, set as the answer starts (so error pages, which clear the headers, get them too):
// no content-type sniffing, no referrer to other sites, no framing, a content security policy, and no caching of
// anything that is not a static file (API answers and pages hold personal data; shared and browser caches must not keep them).
public static class SecurityHeaders
{
    public const string NonceKey = "payvand:csp-nonce";

    // Scripts only from Payvand itself, and the one inline script it renders (the import map) by a per-request nonce.
    // Blazor Server's websocket is 'self' (CSP 3 browsers match ws: and wss: of the same host). MudBlazor sets inline
    // styles on its components, hence style-src 'unsafe-inline'; styles cannot run code.
    private static string AppPolicy(string nonce) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    // The API reference (Scalar) configures itself with inline scripts; it shows no personal data and, like the rest of
    // Payvand, loads nothing from other sites.
    private const string DocsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static string Nonce(HttpContext context) => context.Items[NonceKey] as string ?? "";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((ctx, next) =>
    {
        // Hex, not base64: a "+" or "/" of base64 is HTML-encoded in the page and would then not match the header.
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        ctx.Items[NonceKey] = nonce;
        ctx.Response.OnStarting(() =>
        {
            var headers = ctx.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = ctx.Request.Path.StartsWithSegments("/api/docs")
                ? DocsPolicy
                : AppPolicy(nonce);
            // Static files (MapStaticAssets) say how long they may be cached; everything else is not cached at all.
            if (string.IsNullOrEmpty(headers.CacheControl)) headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(ctx);
    });
}
