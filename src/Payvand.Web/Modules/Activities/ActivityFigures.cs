using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Extensions;

namespace Payvand.Modules.Activities;

// The timeline figure of the dashboard: what was logged or happened in the last 7 days on records the user sees.
internal sealed class RecentActivitiesFigure : IDashboardFigure
{
    public string Key => "activitiesLast7Days";

    public string Label => "Activities in 7 days";

    public string Icon => Icons.Material.Filled.Timeline;

    public string Href => "contacts";

    public int Order => 50;

    public string? Permission => ActivitiesPermissions.Read;

    public Task<long> Count(PayvandDb db, UserScope user, DateTime now, CancellationToken ct) =>
        ListTimeline.Visible(db, user).LongCountAsync(a => a.OccurredAt >= now.AddDays(-7), ct);
}
