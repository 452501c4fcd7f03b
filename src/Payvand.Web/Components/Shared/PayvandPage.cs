using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using MudBlazor;
using Payvand.Platform.Auth;
using Payvand.Platform.Errors;
using Payvand.Platform.Localization;

namespace Payvand.Components.Shared;

// Base of interactive pages: the signed-in user's scope (the same UserScope the API handlers take) and the
// one way to show a handler's validation errors and refusals.
public abstract class PayvandPage : ComponentBase
{
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

    protected override async Task OnInitializedAsync()
    {
        // The permissions the user's roles hold now, not those of the request that opened the circuit.
        if (AuthState is not null && UserScope.From((await AuthState).User) is { } me) Me = await Permissions.Resolve(me, CancellationToken.None);
        await OnPageInitializedAsync();
    }

    protected virtual Task OnPageInitializedAsync() => Task.CompletedTask;

    protected string? ErrorFor(string field) => FieldErrors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    // Runs a handler call; validation errors go to FieldErrors (shown beside their fields), refusals to a snackbar.
    protected async Task<bool> Try(Func<Task> action, string? success = null)
    {
        FieldErrors = [];
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

        return false;
    }
}
