using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Payvand.Modules.Messaging;

// The secret a channel's webhook calls carry (SMS and email), stored protected: a call's secret is compared with it in
// constant time (hashes of equal length), so the comparison tells nothing about how much of it was right.
public static class WebhookSecret
{
    public static bool Matches(IDataProtector protector, string? protectedSecret, string? given)
    {
        if (protectedSecret is null || string.IsNullOrEmpty(given)) return false;
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(protector.Unprotect(protectedSecret)));
        return CryptographicOperations.FixedTimeEquals(expected, SHA256.HashData(Encoding.UTF8.GetBytes(given)));
    }
}
