namespace Payvand.Platform.Jobs;

// When to try again after a failed attempt: the first wait, doubled with each attempt up to the longest, with a
// random fifth either side so that many failures of one cause (a gateway down) do not all come back at once.
public sealed record Backoff(TimeSpan First, TimeSpan Longest)
{
    public TimeSpan After(int attempts)
    {
        var doublings = Math.Clamp(attempts - 1, 0, 30);
        var wait = Math.Min(First.TotalMilliseconds * Math.Pow(2, doublings), Longest.TotalMilliseconds);
        var jitter = 0.8 + (0.4 * Random.Shared.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Min(wait * jitter, Longest.TotalMilliseconds));
    }
}
