using System.Data.Common;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using MudBlazor;
using Payvand.Platform.Auth;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Components.Shared;

// Base of interactive pages: the signed-in user's scope (the same UserScope the API handlers take), the
// one way to show a handler's validation errors and refusals, and a token that ends with the page.
public abstract class PayvandPage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource closed = new();

    [CascadingParameter]
    private Task<AuthenticationState>? AuthState { get; set; }

    [Inject]
    protected ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    protected IStringLocalizer<SharedResource> Text { get; set; } = default!;

    [Inject]
    private RolePermissions Permissions { get; set; } = default!;

    protected UserScope Me { get; private set; } = UserScope.System;

    protected Dictionary<string, string[]> FieldErrors { get; private set; } = [];

    // Cancelled when the page (or component) is disposed: the user went elsewhere or closed the tab, so reads
    // they started stop. Pass it to every handler that reads. A change the user asked for (a save, a delete)
    // gets CancellationToken.None instead: it finishes even when they leave at once, as a click on Save promises.
    // A read stopped this way throws OperationCanceledException (SQLite's interrupted statement may throw a
    // DbException instead). The page is gone, so nobody is shown an error: the first load drops both, Try the
    // former (as Blazor does for a cancelled event handler), and loops that poll catch it (PageClosed).
    protected CancellationToken PageToken { get; }

    protected PayvandPage() => PageToken = closed.Token;

    protected bool PageClosed => closed.IsCancellationRequested;

    private bool StoppedByClosing(Exception e) => PageClosed && e is (OperationCanceledException or DbException);

    protected override async Task OnInitializedAsync()
    {
        // The permissions the user's roles hold now, not those of the request that opened the circuit.
        if (AuthState is not null && UserScope.From((await AuthState).User) is { } me) Me = await Permissions.Resolve(me, PageToken);
        try
        {
            await OnPageInitializedAsync();
        }
        catch (Exception e) when (StoppedByClosing(e))
        {
            // The user left before the page had loaded.
        }
    }

    protected virtual Task OnPageInitializedAsync() => Task.CompletedTask;

    protected string? ErrorFor(string field) => FieldErrors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    // Runs a handler call; validation errors go to FieldErrors (shown beside their fields), refusals to a snackbar.
    protected async Task<bool> Try(Func<Task> action, string? success = null)
    {
        FieldErrors = [];
        Snackbar.Clear(); // what an earlier attempt reported no longer holds once the user tries again
        try
        {
            await action();
            if (success is not null) Snackbar.Add(success, Severity.Success);
            return true;
        }
        catch (ValidationException e)
        {
            FieldErrors = e.Errors.ToDictionary(x => x.Key, x => x.Value);
            Snackbar.Add(Text["Some fields are not valid."], Severity.Warning);
        }
        catch (DomainRuleException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException)
        {
            Snackbar.Add(Text["Someone else changed this record after you opened it. Reload it and apply your change again."], Severity.Error);
        }
        catch (OperationCanceledException) when (PageClosed)
        {
            // The user left the page while a read ran (a change, run with CancellationToken.None, is not stopped).
        }

        return false;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    // Pages with more to release (timers) override this and call it last.
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        closed.Cancel();
        closed.Dispose();
    }
}
