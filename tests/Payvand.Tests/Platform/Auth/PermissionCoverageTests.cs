using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Modules.Organization;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform.Auth;

// One app whose Support role the tests rewrite (through /api/roles), so it is not shared with other classes.
public sealed class PermissionCoverageWorld : IAsyncLifetime
{
    public PayvandApp App { get; } = new();

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Support { get; private set; } = null!;

    public HttpClient Sales { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        Admin = await App.AdminClient();
        Support = await App.ClientAs(Roles.Support);
        Sales = await App.ClientAs(Roles.Sales);
    }

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}

// Generated from the declarations (the modules' *Permissions classes and the app's PermissionCatalog) and the mapped
// endpoints (EndpointDataSource): every /api endpoint carries a permission or is explicitly open; for every declared
// permission, a role without it is refused (403) on every endpoint that needs it and allowed with it.
[Trait("Category", "Integration")]
public sealed partial class PermissionCoverageTests(PermissionCoverageWorld world) : IClassFixture<PermissionCoverageWorld>
{
    // Endpoints for any signed-in user whatever their permissions: their own account, saved views, pickers, the
    // history of a record they can see. A new one must be added here on purpose.
    private static readonly string[] SignedInEndpoints =
    [
        "GET /api/branches/", "GET /api/branches/{id:int}",
        "GET /api/users/me", "PUT /api/users/me", "POST /api/users/me/password",
        "GET /api/account/tokens/", "POST /api/account/tokens/", "DELETE /api/account/tokens/{id:int}",
        "GET /api/account/two-factor/", "POST /api/account/two-factor/setup", "POST /api/account/two-factor/enable",
        "POST /api/account/two-factor/disable", "POST /api/account/two-factor/recovery-codes",
        "GET /api/views/", "POST /api/views/", "PUT /api/views/{id:int}", "DELETE /api/views/{id:int}",
        "GET /api/audit/record/{entityType}/{entityId}",
        "GET /api/notifications/", "GET /api/notifications/unread-count", "POST /api/notifications/{id:long}/read", "POST /api/notifications/read-all",
        "GET /api/notifications/preferences", "PUT /api/notifications/preferences",
    ];

    private static readonly string[] AnonymousEndpoints = ["POST /api/auth/token"];

    // Permissions checked inside a use case rather than on an endpoint, each with its own case below.
    private static readonly string[] CheckedInHandlers = [ActivitiesPermissions.Manage];

    private sealed record ApiEndpoint(string Method, string Pattern, IReadOnlyList<string> Policies, bool Anonymous, bool TakesForm)
    {
        public override string ToString() => $"{Method} {Pattern}";
    }

    // Every permission constant of every module's *Permissions class (the one with its Add*Permissions registration).
    public static TheoryData<string> DeclaredPermissions() => [.. PermissionConstants()];

    private static List<string> PermissionConstants() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: true, IsSealed: true } && t.Name.EndsWith("Permissions", StringComparison.Ordinal)
                && t.GetMethod("Add" + t.Name, BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static) is not null)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string)))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal)
            .ToList();

    private List<ApiEndpoint> Endpoints() => world.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
        .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => new ApiEndpoint(
            m, "/" + e.RoutePattern.RawText!.TrimStart('/'),
            [.. e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>()],
            e.Metadata.GetMetadata<IAllowAnonymous>() is not null,
            e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Contains("multipart/form-data") == true)))
        .Where(e => !e.Pattern.StartsWith("/api/docs", StringComparison.Ordinal))
        .ToList();

    private PermissionCatalog Catalog => world.App.Services.GetRequiredService<PermissionCatalog>();

    [Fact]
    public void The_app_declares_exactly_the_permissions_of_the_modules_classes()
    {
        Assert.Equal(PermissionConstants(), Catalog.All.Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_api_endpoint_needs_a_permission_or_is_explicitly_open()
    {
        var endpoints = Endpoints();
        Assert.NotEmpty(endpoints);
        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var permissions = endpoint.Policies.Where(p => Catalog.Find(p) is not null).ToList();
            var others = endpoint.Policies.Except(permissions).Except([Policies.SignedIn]).ToList();
            var signedIn = endpoint.Policies.Contains(Policies.SignedIn);
            if (others.Count > 0) problems.Add($"{endpoint}: policies that are not permissions: {string.Join(", ", others)}");
            if (endpoint.Anonymous != AnonymousEndpoints.Contains(endpoint.ToString())) problems.Add($"{endpoint}: anonymous={endpoint.Anonymous}, not as listed");
            if (signedIn != SignedInEndpoints.Contains(endpoint.ToString())) problems.Add($"{endpoint}: open to any signed-in user={signedIn}, not as listed");
            if (permissions.Count == 0 && !signedIn && !endpoint.Anonymous) problems.Add($"{endpoint}: no permission");
            if (permissions.Count > 0 && (signedIn || endpoint.Anonymous)) problems.Add($"{endpoint}: a permission and open as well");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        foreach (var listed in SignedInEndpoints.Concat(AnonymousEndpoints))
        {
            Assert.Contains(endpoints, e => e.ToString() == listed);
        }

        // Every permission is needed somewhere (an endpoint, or a use case tested below).
        var used = endpoints.SelectMany(e => e.Policies).Concat(CheckedInHandlers).ToHashSet();
        var unused = Catalog.All.Select(p => p.Name).Where(p => !used.Contains(p)).ToList();
        Assert.True(unused.Count == 0, "Declared but needed nowhere: " + string.Join(", ", unused));
    }

    [Fact]
    public void Every_permission_and_module_has_an_english_and_a_persian_label()
    {
        using var scope = world.App.Services.CreateScope();
        var list = scope.ServiceProvider.GetRequiredService<ListRoles>();
        foreach (var culture in new[] { "en-US", "fa-IR" })
        {
            var previous = System.Globalization.CultureInfo.CurrentUICulture;
            System.Globalization.CultureInfo.CurrentUICulture = new(culture);
            try
            {
                var modules = list.Permissions();
                foreach (var (label, source) in modules.Select(m => (m.Label, Catalog.Groups.Single(g => g.Module == m.Module).Label))
                             .Concat(modules.SelectMany(m => m.Permissions).Select(p => (p.Label, Catalog.Find(p.Name)!.Label))))
                {
                    if (culture == "fa-IR") Assert.True(PersianLetters().IsMatch(label), $"No Persian label for \"{source}\": {label}");
                    else Assert.Equal(source, label);
                }
            }
            finally
            {
                System.Globalization.CultureInfo.CurrentUICulture = previous;
            }
        }
    }

    [Theory]
    [MemberData(nameof(DeclaredPermissions))]
    public async Task A_role_without_the_permission_is_refused_and_with_it_allowed(string permission)
    {
        if (CheckedInHandlers.Contains(permission)) return; // see the cases below
        var endpoints = Endpoints().Where(e => e.Policies.Contains(permission)).ToList();
        Assert.NotEmpty(endpoints);
        var all = Catalog.All.Select(p => p.Name).ToArray();
        try
        {
            await SetSupport([.. all.Where(p => p != permission)]);
            foreach (var endpoint in endpoints)
            {
                var response = await Call(world.Support, endpoint);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden,
                    $"Support without {permission}: {endpoint} answered {(int)response.StatusCode}, not 403: {await response.Content.ReadAsStringAsync()}");
            }

            await SetSupport(all);
            foreach (var endpoint in endpoints)
            {
                var response = await Call(world.Support, endpoint);
                Assert.True(response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized),
                    $"Support with {permission}: {endpoint} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }
        finally
        {
            await SetSupport(Catalog.All.Where(p => p.DefaultRoles.Contains(Roles.Support)).Select(p => p.Name).ToArray());
        }
    }

    // activities.manage: correcting and deleting someone else's logged activity.
    [Fact]
    public async Task Changing_someone_elses_activity_needs_activities_manage()
    {
        var person = await (await world.Admin.PostJson("/api/contacts", new ContactInput { LastName = "Activity" + Guid.NewGuid().ToString("N")[..8] }))
            .Read<ContactDetails>(HttpStatusCode.Created);
        var logged = await (await world.Admin.PostJson($"/api/contacts/{person.Id}/timeline", new ActivityInput { Kind = ActivityKind.Note, Body = "by the admin" }))
            .Read<TimelineItem>(HttpStatusCode.Created);
        var all = Catalog.All.Select(p => p.Name).ToArray();
        var change = new ActivityInput { Kind = ActivityKind.Note, Body = "corrected" };
        try
        {
            await SetSupport([.. all.Where(p => p != ActivitiesPermissions.Manage)]);
            Assert.Equal(HttpStatusCode.Forbidden, (await world.Support.PutJson($"/api/activities/{logged.Id}", change)).StatusCode);
            await SetSupport(all);
            Assert.Equal(HttpStatusCode.OK, (await world.Support.PutJson($"/api/activities/{logged.Id}", change)).StatusCode);
        }
        finally
        {
            await SetSupport(Catalog.All.Where(p => p.DefaultRoles.Contains(Roles.Support)).Select(p => p.Name).ToArray());
        }
    }

    [Fact]
    public async Task Removing_a_permission_from_a_role_applies_at_its_next_request_and_is_audited()
    {
        var defaults = Catalog.All.Where(p => p.DefaultRoles.Contains(Roles.Sales)).Select(p => p.Name).ToList();
        var roles = await (await world.Admin.GetAsync("/api/roles")).Read<List<RolePermissionsDto>>();
        Assert.Equal(Roles.All, roles.Select(r => r.Name));
        Assert.Equal(defaults, roles.Single(r => r.Name == Roles.Sales).Permissions);

        Assert.Equal(HttpStatusCode.OK, (await world.Sales.GetAsync("/api/contacts")).StatusCode);
        try
        {
            var saved = await (await world.Admin.PutJson($"/api/roles/{Roles.Sales}/permissions",
                new SetRolePermissions.Request([.. defaults.Where(p => p != ContactsPermissions.Read)]))).Read<RolePermissionsDto>();
            Assert.DoesNotContain(ContactsPermissions.Read, saved.Permissions);

            Assert.Equal(HttpStatusCode.Forbidden, (await world.Sales.GetAsync("/api/contacts")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await world.Sales.GetAsync("/api/companies")).StatusCode);

            await using var db = await world.App.Db();
            var entry = await db.Audit.Where(a => a.EntityType == SetRolePermissions.AuditEntity && a.EntityId == Roles.Sales).OrderByDescending(a => a.Id).FirstAsync();
            Assert.Equal(AuditAction.Update, entry.Action);
            Assert.Contains(ContactsPermissions.Read, entry.Changes, StringComparison.Ordinal);
        }
        finally
        {
            await (await world.Admin.PutJson($"/api/roles/{Roles.Sales}/permissions", new SetRolePermissions.Request(defaults))).Read<RolePermissionsDto>();
        }

        Assert.Equal(HttpStatusCode.OK, (await world.Sales.GetAsync("/api/contacts")).StatusCode);
    }

    [Fact]
    public async Task Unknown_permissions_are_field_errors_and_admins_keep_managing_roles()
    {
        var unknown = await world.Admin.PutJson($"/api/roles/{Roles.Sales}/permissions", new SetRolePermissions.Request(["contacts.read", "contacts.fly"]));
        var problem = await unknown.Problem(HttpStatusCode.BadRequest);
        Assert.Contains("contacts.fly", problem.GetProperty("errors").GetProperty("permissions")[0].GetString(), StringComparison.Ordinal);

        var lockout = await world.Admin.PutJson($"/api/roles/{Roles.Admin}/permissions", new SetRolePermissions.Request([ContactsPermissions.Read]));
        Assert.True((await lockout.Problem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("permissions", out _));
        var admin = await (await world.Admin.GetAsync($"/api/roles/{Roles.Admin}")).Read<RolePermissionsDto>();
        Assert.Contains(OrganizationPermissions.Roles, admin.Permissions);
        Assert.Contains(ContactsPermissions.Delete, admin.Permissions);

        Assert.Equal(HttpStatusCode.NotFound, (await world.Admin.PutJson("/api/roles/Nobody/permissions", new SetRolePermissions.Request([]))).StatusCode);
    }

    [Fact]
    public async Task Permissions_are_listed_by_module_in_the_callers_language()
    {
        var fa = await world.App.AdminClient();
        fa.DefaultRequestHeaders.AcceptLanguage.Clear();
        fa.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("fa-IR"));
        var modules = await (await fa.GetAsync("/api/permissions")).Read<List<ModulePermissionsDto>>();
        var contacts = modules.Single(m => m.Module == "contacts");
        Assert.Equal("اشخاص", contacts.Label);
        var delete = contacts.Permissions.Single(p => p.Name == ContactsPermissions.Delete);
        Assert.Equal("حذف و بازگردانی اشخاص و دیدن حذف‌شده‌ها", delete.Label);
        Assert.Equal([Roles.Admin, Roles.Manager], delete.DefaultRoles);
    }

    // A permission declared after the database was seeded (a new module) goes to its default roles at the next start;
    // one an administrator took away is not given back.
    [Fact]
    public async Task Only_permissions_never_seeded_are_given_to_their_default_roles()
    {
        await using (var db = await world.App.Db())
        {
            var row = await db.Settings.SingleAsync(s => s.Key == RolePermissions.SeededKey);
            var seeded = JsonSerializer.Deserialize<List<string>>(row.Value)!;
            row.Value = JsonSerializer.Serialize(seeded.Where(p => p != ContactsPermissions.Merge).ToList());
            await db.RoleClaims.Where(c => c.ClaimType == RolePermissions.ClaimType && c.ClaimValue == ContactsPermissions.Merge).ExecuteDeleteAsync();
            await db.RoleClaims.Where(c => c.ClaimType == RolePermissions.ClaimType && c.ClaimValue == ContactsPermissions.Erase).ExecuteDeleteAsync();
            await db.SaveChangesAsync();
        }

        await RolePermissions.SeedDefaults(world.App.Services, CancellationToken.None);
        var roles = await (await world.Admin.GetAsync("/api/roles")).Read<List<RolePermissionsDto>>();
        Assert.Equal([Roles.Admin, Roles.Manager], roles.Where(r => r.Permissions.Contains(ContactsPermissions.Merge)).Select(r => r.Name));
        Assert.DoesNotContain(roles, r => r.Permissions.Contains(ContactsPermissions.Erase));
        await (await world.Admin.PutJson($"/api/roles/{Roles.Admin}/permissions", new SetRolePermissions.Request(
            [.. Catalog.All.Where(p => p.DefaultRoles.Contains(Roles.Admin)).Select(p => p.Name)]))).Read<RolePermissionsDto>();
    }

    private async Task SetSupport(string[] permissions) =>
        await (await world.Admin.PutJson($"/api/roles/{Roles.Support}/permissions", new SetRolePermissions.Request(permissions))).Read<RolePermissionsDto>();

    // The endpoint with made-up route values (records that do not exist) and an empty JSON body: enough to pass or
    // fail authorization, which comes before anything else.
    private static async Task<HttpResponseMessage> Call(HttpClient client, ApiEndpoint endpoint)
    {
        var path = RouteValue().Replace(endpoint.Pattern, m => m.Groups[1].Value switch
        {
            "list" => "contacts",
            "entityType" => "contact",
            "name" => "NoSuchRole",
            _ => "2147483000",
        });
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path);
        if (endpoint.TakesForm) request.Content = new MultipartFormDataContent { { new StringContent(""), "kind" } };
        else if (endpoint.Method is "POST" or "PUT") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        return await client.SendAsync(request);
    }

    [GeneratedRegex(@"\{(\w+)(?::\w+)?\}")]
    private static partial Regex RouteValue();

    [GeneratedRegex(@"[\u0600-\u06FF]")]
    private static partial Regex PersianLetters();
}
