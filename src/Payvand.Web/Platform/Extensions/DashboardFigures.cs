using Payvand.Platform.Auth;
using Payvand.Platform.Data;

namespace Payvand.Platform.Extensions;

public enum FigureKind
{
    Count,

    // Rials, shown in the unit the business chose (toman or rial).
    Money,
}

// One number on the dashboard that a module contributes (people, customers, sales this month...), registered with
// services.AddDashboardFigure<T>(). Counted for what the user may see; the dashboard keeps the result a few minutes
// for everyone who sees the same branches (so Count must depend only on the user's branches, not on who they are).
public interface IDashboardFigure
{
    // Unique among figures; also the field name in /api/dashboard's figures.
    string Key { get; }

    // The English resource key of the label.
    string Label { get; }

    // A MudBlazor icon (an SVG path string).
    string Icon { get; }

    // The list behind the number.
    string Href { get; }

    int Order { get; }

    // Who sees the figure (null: everyone who sees the dashboard).
    string? Permission { get; }

    FigureKind Kind => FigureKind.Count;

    Task<long> Count(PayvandDb db, UserScope user, DateTime now, CancellationToken ct);
}

public static class DashboardFigureRegistration
{
    public static IServiceCollection AddDashboardFigure<T>(this IServiceCollection services) where T : class, IDashboardFigure =>
        services.AddSingleton<IDashboardFigure, T>();
}
