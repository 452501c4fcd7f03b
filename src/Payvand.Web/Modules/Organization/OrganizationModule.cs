using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Payvand.Platform;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Localization;

namespace Payvand.Modules.Organization;

// Branches, users, sign-in for API clients, personal access tokens, the audit trail and the business settings:
// registration and the /api endpoints. The admin and account pages inject the same handlers.
public static class OrganizationModule
{
    public static IServiceCollection AddOrganization(this IServiceCollection services)
    {
        return services
            .AddOrganizationPermissions()
            .AddTransient<ListBranches>()
            .AddTransient<SaveBranch>()
            .AddTransient<DeleteBranch>()
            .AddTransient<ListUsers>()
            .AddTransient<SaveUser>()
            .AddTransient<ResetPassword>()
            .AddTransient<MyAccount>()
            .AddTransient<MyAccessTokens>()
            .AddTransient<IssueToken>()
            .AddTransient<SearchAudit>()
            .AddTransient<RecordHistory>()
            .AddTransient<AuditText>()
            .AddTransient<EditSettings>()
            .AddTransient<TwoFactor>()
            .AddTransient<ListRoles>()
            .AddTransient<SetRolePermissions.Handler>();
    }

    public static IEndpointRouteBuilder MapOrganization(this IEndpointRouteBuilder app)
    {
        MapBranches(app);
        MapUsers(app);
        MapAccount(app);
        MapAudit(app);
        MapSettings(app);
        TwoFactor.Map(app);
        SetRolePermissions.Map(app);
        return app;
    }

    private static void MapBranches(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/branches").WithTags("Branches");

        api.MapGet("/", async (bool? includeInactive, ListBranches list, CancellationToken ct) =>
                TypedResults.Ok(await list.Handle(includeInactive ?? false, ct)))
            .WithSummary("Branches by name, for pickers: active ones, or all with includeInactive=true")
            .RequireAuthorization(Policies.SignedIn);

        api.MapGet("/{id:int}", async Task<Results<Ok<BranchDto>, NotFound>> (int id, ListBranches list, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await list.Get(id, ct)))
            .WithSummary("One branch")
            .RequireAuthorization(Policies.SignedIn);

        api.MapPost("/", async (SaveBranch.Request request, ClaimsPrincipal me, SaveBranch save, ListBranches list, CancellationToken ct) =>
            {
                var id = await save.Create(request, me.Scope(), ct);
                return TypedResults.Created($"/api/branches/{id}", await list.Get(id, ct));
            })
            .WithSummary("Create a branch (names are unique)")
            .RequireAuthorization(OrganizationPermissions.Branches);

        api.MapPut("/{id:int}", async Task<Results<Ok<BranchDto>, NotFound>> (
                int id, SaveBranch.Request request, ClaimsPrincipal me, SaveBranch save, ListBranches list, CancellationToken ct) =>
                await save.Update(id, request, me.Scope(), ct) ? TypedResults.Ok((await list.Get(id, ct))!) : TypedResults.NotFound())
            .WithSummary("Change or deactivate a branch; send the version you read (a stale version gets 409)")
            .RequireAuthorization(OrganizationPermissions.Branches);

        api.MapDelete("/{id:int}", async Task<Results<NoContent, NotFound>> (int id, ClaimsPrincipal me, DeleteBranch delete, CancellationToken ct) =>
                await delete.Handle(id, me.Scope(), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Delete a branch; refused (409) while people, companies or users belong to it")
            .RequireAuthorization(OrganizationPermissions.Branches);
    }

    private static void MapUsers(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/users").WithTags("Users");

        api.MapGet("/", async (HttpContext http, ClaimsPrincipal me, ListUsers list, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var filter = new UserFilter
                {
                    Q = q.Text("q"),
                    Role = q.Text("role"),
                    BranchId = q.Number("branchId"),
                    Active = q.Text("active") is { } active ? active is "true" or "1" : null,
                };
                var page = q.Page(ListUsers.SortFields);
                q.ThrowIfAny();
                return TypedResults.Ok(await list.Handle(filter, page, me.Scope(), ct));
            })
            .WithSummary("List users (administrators: all; managers: those of their branches): filter (q, role, branchId, active), sort (name, email, createdAt; desc=true or -field) and page")
            .Produces<PagedResult<UserRow>>()
            .RequireAuthorization(OrganizationPermissions.ViewUsers)
            .RequireAuthorization(OrganizationPermissions.ViewUsers);

        api.MapGet("/{id:int}", async Task<Results<Ok<UserDetails>, NotFound>> (int id, ClaimsPrincipal me, ListUsers list, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await list.Get(id, me.Scope(), ct)))
            .WithSummary("One user with roles, branches, language, time zone and lockout")
            .RequireAuthorization(OrganizationPermissions.ViewUsers)
            .RequireAuthorization(OrganizationPermissions.ViewUsers);

        api.MapPost("/", async (SaveUser.CreateRequest request, ClaimsPrincipal me, SaveUser save, ListUsers list, CancellationToken ct) =>
            {
                var id = await save.Create(request, me.Scope(), ct);
                return TypedResults.Created($"/api/users/{id}", await list.Get(id, me.Scope(), ct));
            })
            .WithSummary("Create a user: email, display name, roles, branches (at least one unless Admin), time zone, culture (fa|en) and an initial password (12+ characters, not a common one)")
            .RequireAuthorization(OrganizationPermissions.Users);

        api.MapPut("/{id:int}", async Task<Results<Ok<UserDetails>, NotFound>> (
                int id, SaveUser.UpdateRequest request, ClaimsPrincipal me, SaveUser save, ListUsers list, CancellationToken ct) =>
                await save.Update(id, request, me.Scope(), ct) ? TypedResults.Ok((await list.Get(id, me.Scope(), ct))!) : TypedResults.NotFound())
            .WithSummary("Change a user's roles, branches, active state, display name, time zone or culture; send concurrencyStamp from GET to refuse stale edits (409)")
            .RequireAuthorization(OrganizationPermissions.Users);

        api.MapPost("/{id:int}/reset-password", async Task<Results<Ok<ResetPassword.Response>, NotFound>> (
                int id, ResetPassword.Request? request, ClaimsPrincipal me, ResetPassword reset, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await reset.Handle(id, request ?? new ResetPassword.Request(), me.Scope(), ct)))
            .WithSummary("Set a new password for a user (the one given, or a generated one returned once); they must change it at next sign-in")
            .RequireAuthorization(OrganizationPermissions.Users);

        api.MapGet("/me", async Task<Results<Ok<MyProfile>, NotFound>> (ClaimsPrincipal me, MyAccount account, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await account.Get(me.Scope(), ct)))
            .WithSummary("Your profile: roles, branches, language, time zone and two-step sign-in")
            .RequireAuthorization(Policies.SignedIn);

        api.MapPut("/me", async Task<Results<Ok<MyProfile>, NotFound>> (
                MyAccount.ProfileRequest request, ClaimsPrincipal me, MyAccount account, HttpContext http, CancellationToken ct) =>
            {
                if (!await account.Update(request, me.Scope(), ct)) return TypedResults.NotFound();
                await TwoFactor.RefreshCookie(http);
                return TypedResults.Ok((await account.Get(me.Scope(), ct))!);
            })
            .WithSummary("Change your display name, language (fa, en, or empty to follow the browser) and time zone")
            .RequireAuthorization(Policies.SignedIn);

        api.MapPost("/me/password", async Task<Results<NoContent, NotFound>> (
                MyAccount.PasswordRequest request, ClaimsPrincipal me, MyAccount account, HttpContext http, CancellationToken ct) =>
            {
                if (!await account.ChangePassword(request, me.Scope(), ct)) return TypedResults.NotFound();
                await TwoFactor.RefreshCookie(http);
                return TypedResults.NoContent();
            })
            .WithSummary("Change your password (current and new); your other sessions end")
            .RequireAuthorization(Policies.SignedIn);
    }

    private static void MapAccount(IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Sign-in");
        auth.MapPost("/token", async Task<Results<Ok<IssueToken.Response>, ProblemHttpResult>> (
                IssueToken.Request request, IssueToken issue, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await issue.Handle(request, ct);
                if (outcome.Refusal is not { } refusal) return TypedResults.Ok(outcome.Token!);
                if (refusal.RetryAfter is { } wait)
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                return TypedResults.Problem(title: refusal.Title, statusCode: refusal.Status,
                    extensions: new Dictionary<string, object?> { ["reason"] = refusal.Reason });
            })
            .WithSummary("Sign in with email and password (and code, from the authenticator app, when two-step sign-in is on) to get an access token; 401 wrong credentials or code, 403 account not usable, 429 locked out")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous()
            .RequireRateLimiting(PlatformSetup.PublicRateLimit);

        var tokens = app.MapGroup("/api/account/tokens").WithTags("Access tokens").RequireAuthorization(Policies.SignedIn);
        tokens.MapGet("/", async (ClaimsPrincipal me, MyAccessTokens mine, CancellationToken ct) => TypedResults.Ok(await mine.List(me.Scope(), ct)))
            .WithSummary("Your personal access tokens (without their secrets)");
        tokens.MapPost("/", async (MyAccessTokens.Request request, ClaimsPrincipal me, MyAccessTokens mine, CancellationToken ct) =>
            {
                var created = await mine.Create(request, me.Scope(), ct);
                return TypedResults.Created($"/api/account/tokens/{created.Id}", created);
            })
            .WithSummary("Create a personal access token: the token is returned this once only; expiresInDays empty for no expiry");
        tokens.MapDelete("/{id:int}", async Task<Results<NoContent, NotFound>> (int id, ClaimsPrincipal me, MyAccessTokens mine, CancellationToken ct) =>
                await mine.Revoke(id, me.Scope(), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Revoke one of your personal access tokens");
    }

    private static void MapAudit(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/audit").WithTags("Audit");

        api.MapGet("/", async (HttpContext http, ClaimsPrincipal me, SearchAudit search, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var to = q.Instant("to");
                var filter = new AuditFilter
                {
                    UserId = q.Number("userId"),
                    EntityType = q.Text("entityType"),
                    EntityId = q.Text("entityId"),
                    Action = q.Enum<Platform.Audit.AuditAction>("action"),
                    From = q.Instant("from"),
                    Before = to is { } end && q.Text("to")!.Length <= 10 ? end.AddDays(1) : to, // a date means "through that day"
                    Q = q.Text("q"),
                };
                var page = q.Page(SearchAudit.SortFields);
                q.ThrowIfAny();
                return TypedResults.Ok(await search.Handle(filter, page, me.Scope(), ct));
            })
            .WithSummary("The audit trail, newest first: filter (userId, entityType, entityId, action, from, to, q: text in details or changes) and page")
            .Produces<PagedResult<AuditRow>>()
            .RequireAuthorization(OrganizationPermissions.Audit);

        api.MapGet("/record/{entityType}/{entityId}", async Task<Results<Ok<PagedResult<AuditRow>>, NotFound>> (
                string entityType, string entityId, HttpContext http, ClaimsPrincipal me, RecordHistory history,
                IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var page = q.Page([]);
                q.ThrowIfAny();
                return ApiResults.OkOrNotFound(await history.Handle(entityType, entityId, page, me.Scope(), ct));
            })
            .WithSummary("Change history of one record you may see (e.g. /record/contact/12), newest first, with field changes")
            .RequireAuthorization(Policies.SignedIn);
    }

    private static void MapSettings(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/settings").WithTags("Settings");
        api.MapGet("/", async (ClaimsPrincipal me, EditSettings settings, CancellationToken ct) => TypedResults.Ok(await settings.Get(me.Scope(), ct)))
            .WithSummary("Business settings: money unit (Rial or Toman) and the roles that must use two-step sign-in")
            .RequireAuthorization(OrganizationPermissions.Settings);
        api.MapPut("/", async (EditSettings.Request request, ClaimsPrincipal me, EditSettings settings, CancellationToken ct) =>
                TypedResults.Ok(await settings.Save(request, me.Scope(), ct)))
            .WithSummary("Change the business settings")
            .RequireAuthorization(OrganizationPermissions.Settings);
    }
}
