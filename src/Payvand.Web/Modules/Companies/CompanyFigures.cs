using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Extensions;

namespace Payvand.Modules.Companies;

// The companies figure of the dashboard.
internal sealed class CompaniesFigure : IDashboardFigure
{
    public string Key => "companies";

    public string Label => "Companies";

    public string Icon => Icons.Material.Filled.Business;

    public string Href => "companies";

    public int Order => 30;

    public string? Permission => CompaniesPermissions.Read;

    public Task<long> Count(PayvandDb db, UserScope user, DateTime now, CancellationToken ct) => db.Companies.VisibleTo(user).LongCountAsync(ct);
}
