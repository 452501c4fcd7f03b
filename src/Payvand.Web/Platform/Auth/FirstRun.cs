using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;

namespace Payvand.Platform.Auth;

public sealed class AdminOptions
{
    public string? Email { get; set; }

    public string? Password { get; set; }
}

// On an empty database: the five roles, a main branch, and the first administrator, from configuration
// (Payvand:Admin:Email / Password) or admin@localhost with a one-time password printed once.
public static class FirstRun
{
    // The first administrator's name in the business's language (Payvand:Culture), like the main branch's: "مدیر سامانه".
    private static string AdminName(IServiceProvider services, IConfiguration configuration)
    {
        var ui = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(Cultures.Normalize(configuration["Payvand:Culture"]));
        try
        {
            return services.GetRequiredService<IStringLocalizer<SharedResource>>()["Administrator"];
        }
        finally
        {
            CultureInfo.CurrentUICulture = ui;
        }
    }

    public static async Task EnsureBasics(IServiceProvider services, IConfiguration configuration, ILogger log, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var roles = sp.GetRequiredService<RoleManager<AppRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new AppRole(role));
        }

        var db = sp.GetRequiredService<PayvandDb>();
        var branch = await db.Branches.OrderBy(b => b.Id).FirstOrDefaultAsync(ct);
        if (branch is null)
        {
            branch = new Branch { Name = configuration["Payvand:MainBranch"] ?? "دفتر مرکزی", Code = "HQ" };
            db.Branches.Add(branch);
            await db.SaveChangesAsync(ct);
        }

        var users = sp.GetRequiredService<UserManager<AppUser>>();
        if (await users.Users.AnyAsync(ct)) return;

        var options = configuration.GetSection("Payvand:Admin").Get<AdminOptions>() ?? new AdminOptions();
        var generated = string.IsNullOrEmpty(options.Password);
        var email = string.IsNullOrWhiteSpace(options.Email) ? "admin@localhost" : options.Email.Trim();
        var password = generated ? OneTimePassword() : options.Password!;
        var admin = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = AdminName(sp, configuration),
            MustChangePassword = generated,
            Branches = [new UserBranch { BranchId = branch.Id }],
        };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("The first administrator could not be created: " +
                string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(admin, Roles.Admin);
        if (generated)
        {
            // Printed once, to the console only (never to the log files): the first sign-in must replace it.
            Console.WriteLine();
            Console.WriteLine("==============================================================");
            Console.WriteLine($" Payvand first administrator: {email}");
            Console.WriteLine($" One-time password:           {password}");
            Console.WriteLine(" You will be asked to choose a new password at first sign-in.");
            Console.WriteLine("==============================================================");
            Console.WriteLine();
        }
        else
        {
            log.LogInformation("Created the first administrator {Email} from configuration", email);
        }
    }

    private static string OneTimePassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(20, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }
}
