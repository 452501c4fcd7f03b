using System.Diagnostics;

namespace Payvand.Tests.Infrastructure;

public static class Waiting
{
    // Reads until the value says the background work is over. The limit only stops a broken job from hanging the suite.
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> over, string what)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (over(value)) return value;
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(90), $"{what} did not finish: {value}");
            await Task.Delay(100);
        }
    }
}
