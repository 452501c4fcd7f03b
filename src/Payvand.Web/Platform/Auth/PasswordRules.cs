using Microsoft.AspNetCore.Identity;
using Payvand.Platform.Persian;

namespace Payvand.Platform.Auth;

// OWASP ASVS 5 password rules: length (12+, set in IdentityOptions), no composition rules, and common or
// context-specific passwords refused (a list of the most used long passwords, the product name, the user's email).
public sealed class CommonPasswordValidator : IPasswordValidator<AppUser>
{
    private static readonly Lazy<HashSet<string>> Common = new(Load);

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        if (string.IsNullOrEmpty(password)) return Task.FromResult(IdentityResult.Success);
        var key = PersianText.ToLatinDigits(password).ToLowerInvariant();
        var emailLocal = (user.Email ?? "").Split('@')[0].ToLowerInvariant();
        var refused = Common.Value.Contains(key)
            || key.Distinct().Count() <= 2
            || IsSequence(key)
            || key.Contains("payvand", StringComparison.Ordinal)
            || (emailLocal.Length >= 4 && key.Contains(emailLocal, StringComparison.Ordinal));
        return Task.FromResult(refused
            ? IdentityResult.Failed(new IdentityError { Code = "CommonPassword", Description = "This password is too common or too easy to guess." })
            : IdentityResult.Success);
    }

    private static bool IsSequence(string s)
    {
        for (var i = 1; i < s.Length; i++)
        {
            if (s[i] - s[i - 1] != 1) return false;
        }

        return true;
    }

    private static HashSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("Payvand.Platform.Auth.common-passwords.txt")
            ?? throw new InvalidOperationException("common-passwords.txt is not embedded.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#') set.Add(line.Trim().ToLowerInvariant());
        }

        return set;
    }
}
