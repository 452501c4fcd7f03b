using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Events;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;
using Payvand.Platform.Notifications;
using Payvand.Platform.Settings;
using Payvand.Platform.Telemetry;
using Scalar.AspNetCore;

namespace Payvand.Platform;

// Everything cross-cutting, registered and wired in one place so Program.cs reads top-down.
public static class PlatformSetup
{
    public const string PublicRateLimit = "public";
    public const string ApiRateLimit = "api";
    public const string SignInRateLimit = "sign-in";

    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        // Serve the files of MudBlazor and the framework from the build output too, not only in Development.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddSingleton(TimeProvider.System);
        services.AddPayvandData(configuration, builder.Environment);
        services.AddPayvandAuth(configuration);
        services.AddScoped<CircuitHandler, CircuitUserHandler>();
        services.AddSingleton<PayvandSettings>();
        services.AddSingleton<Extensions.PageParts>();
        services.AddHostedService<StartupTasks>();
        services.AddEvents(configuration);
        services.AddNotifications();
        services.AddJobs(configuration); // after StartupTasks: the runner reads the job table once migrations have run
        services.AddJobHandler<Payvand.Platform.Search.SearchReindexJob>();
        services.AddJobHandler<IdempotencyCleanup>().AddSchedule(IdempotencyCleanup.ScheduleName, "30 * * * *", IdempotencyCleanup.ScheduleName);
        services.AddTransient<BulkUpdate>();

        services.AddLocalization();
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemMapping>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        services.AddPayvandOpenApi();

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(PublicRateLimit, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) }));
            // The sign-in forms: lockout guards each account, this guards against one address trying many accounts.
            // Only submissions count, so an office behind one address can still open the page as often as it likes.
            o.AddPolicy(SignInRateLimit, ctx => HttpMethods.IsPost(ctx.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) })
                : RateLimitPartition.GetNoLimiter("pages"));
        });

        services.AddRazorComponents().AddInteractiveServerComponents();
        // Notifications appear at the bottom (never over a page's title) and close themselves after a few seconds.
        services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomCenter;
            o.SnackbarConfiguration.VisibleStateDuration = 5000;
            o.SnackbarConfiguration.RequireInteraction = false;
            o.SnackbarConfiguration.PreventDuplicates = true;
            o.SnackbarConfiguration.ShowCloseIcon = true;
        });
        services.AddTransient<MudBlazor.MudLocalizer, MudText>();
        services.AddHttpContextAccessor();
        // Sign-in cookies and tokens survive restarts: keys live beside the data (Payvand:DataProtectionPath).
        var keys = configuration["Payvand:DataProtectionPath"] ?? Path.Combine(builder.Environment.ContentRootPath, "data", "keys");
        services.AddDataProtection().SetApplicationName("Payvand").PersistKeysToFileSystem(Directory.CreateDirectory(keys));

        services.AddSingleton<PayvandMetrics>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("Payvand"))
            .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddMeter(PayvandMetrics.MeterName))
            .WithTracing(t => t.AddAspNetCoreInstrumentation().AddSource("Payvand"));
        // Metrics, traces and logs go to an OpenTelemetry collector when one is named; without it nothing is exported.
        if (configuration["Payvand:Telemetry:OtlpEndpoint"] is { Length: > 0 } endpoint)
        {
            var protocol = configuration["Payvand:Telemetry:OtlpProtocol"] is "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            telemetry.UseOtlpExporter(protocol, new Uri(endpoint));
        }

        return builder;
    }

    public static WebApplication UsePlatform(this WebApplication app)
    {
        app.UseSecurityHeaders(); // first: its headers go on every answer, error pages included
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        var defaultCulture = app.Configuration["Payvand:Culture"] ?? Cultures.Persian;
        app.UseAuthentication();
        app.UseRequestLocalization(Cultures.Options(defaultCulture)); // after authentication: the user's own choice comes first
        app.UseCurrentUser();
        app.UseOriginCheck(); // after localization: the refusal is in the user's language
        app.UseAccountGates();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        // Payvand runs offline: the API reference loads nothing from the internet (no CDN fonts, no telemetry) and shows
        // none of the viewer's cloud services (AI chat, MCP, the developer toolbar with Deploy and SDK generation).
        app.MapScalarApiReference("/api/docs", o => o
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools()
                .HideClientButton())
            .AllowAnonymous();
        app.MapAccount();
        app.MapEvents();
        app.MapNotifications();
        app.MapGet("/culture/{culture}", (string culture, string? returnUrl, HttpContext ctx) =>
            {
                var chosen = Cultures.Normalize(culture);
                ctx.Response.Cookies.Append(Cultures.CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                    new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
                return TypedResults.LocalRedirect(AccountPaths.SafeReturn(returnUrl));
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }
}
