using System.Reflection;
using Microsoft.AspNetCore.Components;
using Payvand.Platform.Auth;

namespace Payvand.Platform.Extensions;

// The record pages other modules add to.
public enum RecordPage
{
    Person,
    Company,
}

// Marks a component as a tab of a record page: `@attribute [RecordTab(RecordPage.Person, "Purchases", Order = 20)]`.
// The page shows the registered tabs by Order, each only to users holding Permission (null: everyone who sees the
// record). Title is the English resource key, shown localized. The component takes `[Parameter] int RecordId` and,
// when it serves several pages, `[Parameter] RecordPage Page`. A module adds a tab without editing the page's module.
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class RecordTabAttribute(RecordPage page, string title) : Attribute
{
    public RecordPage Page { get; } = page;

    public string Title { get; } = title;

    public int Order { get; init; } = 100;

    public string? Permission { get; init; }

    // The data-testid of the tab; defaults to "tab-" + the component's name.
    public string? TestId { get; init; }
}

// Marks a component as a card in the side column of a record page (under the profile), with the same parameters as a tab.
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class RecordPanelAttribute(RecordPage page) : Attribute
{
    public RecordPage Page { get; } = page;

    public int Order { get; init; } = 100;

    public string? Permission { get; init; }
}

// Marks a component as a card of the dashboard (it takes no parameters and loads its own data for the signed-in user).
[AttributeUsage(AttributeTargets.Class)]
public sealed class DashboardCardAttribute : Attribute
{
    public int Order { get; init; } = 100;

    public string? Permission { get; init; }

    // Columns of 12 it spans on a wide screen.
    public int Width { get; init; } = 6;
}

// One registered part: its component, where it goes, who sees it.
public sealed record PagePart(Type Component, string? Title, int Order, string? Permission, string TestId, bool TakesPage, int Width = 6)
{
    public bool VisibleTo(UserScope user) => Permission is null || user.Has(Permission);

    // The parameters a record part is rendered with.
    public IDictionary<string, object?> ParametersFor(RecordPage page, int recordId) => TakesPage
        ? new Dictionary<string, object?> { ["RecordId"] = recordId, ["Page"] = page }
        : new Dictionary<string, object?> { ["RecordId"] = recordId };
}

// The parts found on the app's components, read once at start-up. A part whose component lacks the parameters it will be
// given fails the start (and the tests), not the page.
public sealed class PageParts
{
    private readonly List<(RecordPage Page, PagePart Part)> tabs = [];
    private readonly List<(RecordPage Page, PagePart Part)> panels = [];
    private readonly List<PagePart> cards = [];

    public PageParts()
        : this(typeof(PageParts).Assembly)
    {
    }

    public PageParts(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => typeof(IComponent).IsAssignableFrom(t) && !t.IsAbstract))
        {
            var takesPage = HasParameter(type, "Page", typeof(RecordPage));
            foreach (var tab in type.GetCustomAttributes<RecordTabAttribute>())
            {
                RequireRecordId(type);
                tabs.Add((tab.Page, new PagePart(type, tab.Title, tab.Order, tab.Permission, tab.TestId ?? "tab-" + type.Name, takesPage)));
            }

            foreach (var panel in type.GetCustomAttributes<RecordPanelAttribute>())
            {
                RequireRecordId(type);
                panels.Add((panel.Page, new PagePart(type, null, panel.Order, panel.Permission, "panel-" + type.Name, takesPage)));
            }

            if (type.GetCustomAttribute<DashboardCardAttribute>() is { } card)
            {
                cards.Add(new PagePart(type, null, card.Order, card.Permission, "card-" + type.Name, false, card.Width));
            }
        }
    }

    public IEnumerable<PagePart> Tabs(RecordPage page, UserScope user) => Select(tabs, page, user);

    public IEnumerable<PagePart> Panels(RecordPage page, UserScope user) => Select(panels, page, user);

    public IEnumerable<PagePart> DashboardCards(UserScope user) =>
        cards.Where(c => c.VisibleTo(user)).OrderBy(c => c.Order).ThenBy(c => c.Component.FullName, StringComparer.Ordinal);

    private static IEnumerable<PagePart> Select(List<(RecordPage Page, PagePart Part)> parts, RecordPage page, UserScope user) =>
        parts.Where(p => p.Page == page && p.Part.VisibleTo(user)).Select(p => p.Part)
            .OrderBy(p => p.Order).ThenBy(p => p.Component.FullName, StringComparer.Ordinal);

    private static bool HasParameter(Type type, string name, Type parameterType) =>
        type.GetProperty(name) is { } p && p.PropertyType == parameterType && p.GetCustomAttribute<ParameterAttribute>() is not null;

    private static void RequireRecordId(Type type)
    {
        if (!HasParameter(type, "RecordId", typeof(int)))
        {
            throw new InvalidOperationException($"{type.FullName} is a record tab or panel but has no [Parameter] int RecordId.");
        }
    }
}
