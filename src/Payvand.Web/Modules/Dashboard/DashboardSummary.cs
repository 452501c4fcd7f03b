using System.Text.Json.Serialization;
using Payvand.Platform.Auth;
using Payvand.Platform.Extensions;

namespace Payvand.Modules.Dashboard;

// One number of the dashboard. Label is in the caller's language; Money figures are in rials.
public sealed record DashboardFigure(string Key, string Label, long Value, FigureKind Kind, [property: JsonIgnore] string Icon, string Href);

// CountedAt: when the figures were taken (they are kept for DashboardCounts.MaxAge).
public sealed record DashboardData(IReadOnlyList<DashboardFigure> Figures, DateTime CountedAt);

// The numbers of the first screen that the caller may see, from the figures the modules registered. The cards below
// them (follow-ups, newest people...) are the modules' own components (DashboardCardAttribute) with their own APIs.
public sealed class DashboardSummary(DashboardCounts counts, Microsoft.Extensions.Localization.IStringLocalizer<Platform.Localization.SharedResource> text)
{
    public async Task<DashboardData> Handle(UserScope user, CancellationToken ct)
    {
        var counted = await counts.Get(user, ct);
        var shown = counts.All.Where(f => f.Permission is null || user.Has(f.Permission))
            .Select(f => new DashboardFigure(f.Key, text[f.Label], counted[f.Key], f.Kind, f.Icon, f.Href)).ToList();
        return new DashboardData(shown, counted.CountedAt);
    }
}
