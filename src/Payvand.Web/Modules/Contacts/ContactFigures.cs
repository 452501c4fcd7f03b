using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Extensions;

namespace Payvand.Modules.Contacts;

// The people figures of the dashboard.
internal sealed class PeopleFigure : IDashboardFigure
{
    public string Key => "people";

    public string Label => "People";

    public string Icon => Icons.Material.Filled.People;

    public string Href => "contacts";

    public int Order => 10;

    public string? Permission => ContactsPermissions.Read;

    public Task<long> Count(PayvandDb db, UserScope user, DateTime now, CancellationToken ct) => db.Contacts.VisibleTo(user).LongCountAsync(ct);
}

internal sealed class CustomersFigure : IDashboardFigure
{
    public string Key => "customers";

    public string Label => "Customers";

    public string Icon => Icons.Material.Filled.Verified;

    public string Href => "contacts?lifecycle=Customer";

    public int Order => 20;

    public string? Permission => ContactsPermissions.Read;

    public Task<long> Count(PayvandDb db, UserScope user, DateTime now, CancellationToken ct) =>
        db.Contacts.VisibleTo(user).LongCountAsync(c => c.Lifecycle == LifecycleStage.Customer, ct);
}

internal sealed class NewPeopleFigure : IDashboardFigure
{
    public string Key => "newPeopleLast30Days";

    public string Label => "New people in 30 days";

    public string Icon => Icons.Material.Filled.PersonAdd;

    public string Href => "contacts";

    public int Order => 40;

    public string? Permission => ContactsPermissions.Read;

    public Task<long> Count(PayvandDb db, UserScope user, DateTime now, CancellationToken ct) =>
        db.Contacts.VisibleTo(user).LongCountAsync(c => c.CreatedAt >= now.AddDays(-30), ct);
}
