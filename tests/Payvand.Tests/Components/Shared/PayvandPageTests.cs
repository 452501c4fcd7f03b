using System.Reflection;
using MudBlazor;
using Payvand.Components.Shared;

namespace Payvand.Tests.Components.Shared;

// A page's token ends with the page: reads stop when it is disposed, and the stop is not shown as an error.
public sealed class PayvandPageTests
{
    private sealed class Page : PayvandPage
    {
        public Page() => Snackbar = DispatchProxy.Create<ISnackbar, SilentSnackbar>();

        public TaskCompletionSource Reading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken Token => PageToken;

        public Task Load() => OnInitializedAsync();

        public Task<bool> Act(Func<CancellationToken, Task> action) => Try(() => action(PageToken));

        // A first load that reads until the page goes away.
        protected override async Task OnPageInitializedAsync()
        {
            Reading.SetResult();
            await Task.Delay(Timeout.Infinite, PageToken);
        }
    }

    [Fact]
    public async Task A_load_running_when_the_page_closes_stops_quietly()
    {
        var page = new Page();
        var load = page.Load();
        await page.Reading.Task;
        Assert.False(load.IsCompleted);

        page.Dispose();

        await load.WaitAsync(TimeSpan.FromSeconds(10)); // no exception: nobody is left to show it to
        Assert.True(page.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task An_action_whose_read_is_stopped_by_closing_reports_nothing()
    {
        var page = new Page();
        var read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var acting = page.Act(async ct =>
        {
            read.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        await read.Task;

        page.Dispose();

        Assert.False(await acting.WaitAsync(TimeSpan.FromSeconds(10))); // no snackbar: the page has none left
    }

    [Fact]
    public async Task A_cancellation_the_page_did_not_cause_is_not_hidden()
    {
        var page = new Page();
        using var elsewhere = new CancellationTokenSource();
        await elsewhere.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => page.Act(_ => Task.FromCanceled(elsewhere.Token)));
        page.Dispose();
    }

    // The page's snackbar outside a circuit: every call does nothing and answers the default.
    public class SilentSnackbar : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.ReturnType is { IsValueType: true } type && type != typeof(void) ? Activator.CreateInstance(type) : null;
    }
}
