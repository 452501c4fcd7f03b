using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Tests.Infrastructure;

// The whole application in memory over a real database (SQLite file or PostgreSQL), shared by the tests of
// one class (IClassFixture). Helpers create users of any role and branch and give HttpClients that act as them.
public sealed class PayvandApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "correct horse battery staple";

    private TestDatabase? database;
    private int userCounter;

    public TestDatabase Database => database ?? throw new InvalidOperationException("Not initialized.");

    public int MainBranchId { get; private set; }

    public async Task InitializeAsync()
    {
        database = await TestDatabase.Create();
        using var scope = Services.CreateScope(); // starts the host: migrations and first-run seeding
        await using var db = await Db();
        MainBranchId = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Payvand:Database:Provider", Database.Provider);
        builder.UseSetting("Payvand:Database:ConnectionString", Database.ConnectionString);
        builder.UseSetting("Payvand:Admin:Email", AdminEmail);
        builder.UseSetting("Payvand:Admin:Password", AdminPassword);
        builder.UseSetting("Payvand:Culture", "en-US");
    }

    public Task<PayvandDb> Db() => Services.GetRequiredService<IDbContextFactory<PayvandDb>>().CreateDbContextAsync();

    public async Task<int> CreateBranch(string name)
    {
        await using var db = await Db();
        var branch = new Branch { Name = name };
        db.Branches.Add(branch);
        await db.SaveChangesAsync();
        return branch.Id;
    }

    // A new active user with the given role in the given branches.
    public async Task<AppUser> CreateUser(string role, params int[] branchIds)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var n = Interlocked.Increment(ref userCounter);
        var email = $"{role.ToLowerInvariant()}{n}-{Guid.NewGuid().ToString("N")[..6]}@test.local";
        var user = new AppUser
        {
            UserName = email,
            Email = email,
            DisplayName = $"{role} {n}",
            Branches = branchIds.Select(b => new UserBranch { BranchId = b }).ToList(),
        };
        var result = await users.CreateAsync(user, "a long test password " + n);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        return user;
    }

    // An HttpClient that authenticates as the user with a personal access token, asking for the given language.
    public async Task<HttpClient> ClientFor(AppUser user, string culture = "en-US")
    {
        var tokens = Services.GetRequiredService<AccessTokenService>();
        var token = await tokens.Create(user.Id, "test", null, CancellationToken.None);
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        return client;
    }

    public async Task<HttpClient> ClientAs(string role, params int[] branchIds) =>
        await ClientFor(await CreateUser(role, branchIds.Length == 0 ? [MainBranchId] : branchIds));

    public async Task<HttpClient> AdminClient()
    {
        await using var db = await Db();
        var admin = await db.Users.SingleAsync(u => u.Email == AdminEmail);
        return await ClientFor(admin);
    }
}
