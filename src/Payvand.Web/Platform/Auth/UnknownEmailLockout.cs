using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Payvand.Platform.Auth;

// Failed sign-ins with an email no account has are counted as Identity counts an account's own: after as many
// failures the email is "locked out" for as long, so a known and an unknown email get the same answers in the same
// order (401 four times, then 429 with the same wait) and the answers do not tell who has an account. Counted in
// this instance's memory: enough for the difference not to show, as the sign-in rate limits are per instance too.
public sealed class UnknownEmailLockout(IMemoryCache cache, TimeProvider clock, IOptions<IdentityOptions> identity)
{
    private sealed class Attempts
    {
        public int Failures { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }
    }

    // When the lockout of this email ends, if it is locked out now.
    public DateTimeOffset? LockedUntil(string email)
    {
        lock (cache)
        {
            return cache.TryGetValue(Key(email), out Attempts? a) && a!.LockedUntil > clock.GetUtcNow() ? a.LockedUntil : null;
        }
    }

    // Counts a failure; returns when the lockout ends if this failure locked the email out (as Identity's AccessFailed does).
    public DateTimeOffset? Failed(string email)
    {
        var lockout = identity.Value.Lockout;
        var now = clock.GetUtcNow();
        lock (cache)
        {
            var key = Key(email);
            if (!cache.TryGetValue(key, out Attempts? a) || a is null || a.LockedUntil <= now) a = new Attempts();
            if (a.LockedUntil > now) return a.LockedUntil;
            a.Failures++;
            if (a.Failures >= lockout.MaxFailedAccessAttempts)
            {
                a.Failures = 0;
                a.LockedUntil = now + lockout.DefaultLockoutTimeSpan;
            }

            // Forgotten once a lockout would have ended, like an account whose failures were long ago (kept no longer, so
            // addresses sprayed at the sign-in do not pile up).
            cache.Set(key, a, lockout.DefaultLockoutTimeSpan);
            return a.LockedUntil;
        }
    }

    private static (string, string) Key(string email) => (nameof(UnknownEmailLockout), email.Trim().ToUpperInvariant());
}
