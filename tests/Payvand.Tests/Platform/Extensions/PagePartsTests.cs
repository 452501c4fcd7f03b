using Microsoft.AspNetCore.Components;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Platform.Auth;
using Payvand.Platform.Extensions;

namespace Payvand.Tests.Platform.Extensions;

// The tabs, side panels and dashboard cards modules add to pages they do not own, found on their components.
public sealed class PagePartsTests
{
    private static readonly PageParts Parts = new();

    private static UserScope With(params string[] permissions) =>
        new(7, "seven", new HashSet<string>(), new HashSet<int> { 1 }) { Permissions = permissions.ToHashSet() };

    [Fact]
    public void The_person_page_gets_the_tabs_of_timeline_purchases_and_history_in_order()
    {
        var tabs = Parts.Tabs(RecordPage.Person, UserScope.System).ToList();
        Assert.Equal(["Timeline", "Purchases", "Change history"], tabs.Select(t => t.Title!).ToArray());
        Assert.Equal(["tab-timeline", "tab-purchases", "tab-history"], tabs.Select(t => t.TestId).ToArray());

        // The timeline serves both pages, so it is told which one; the purchases tab is the person's only.
        Assert.Equal(RecordPage.Person, tabs[0].ParametersFor(RecordPage.Person, 5)["Page"]);
        Assert.Equal(new Dictionary<string, object?> { ["RecordId"] = 5 }, tabs[1].ParametersFor(RecordPage.Person, 5));
    }

    [Fact]
    public void The_company_page_has_no_purchases_tab()
    {
        Assert.Equal(["Timeline", "Change history"], Parts.Tabs(RecordPage.Company, UserScope.System).Select(t => t.Title!).ToArray());
    }

    [Fact]
    public void A_tab_or_card_is_shown_only_to_holders_of_its_permission()
    {
        Assert.Equal(["Change history"], Parts.Tabs(RecordPage.Person, With()).Select(t => t.Title!).ToArray());
        Assert.Equal(["Purchases", "Change history"], Parts.Tabs(RecordPage.Person, With(PurchasesPermissions.Read)).Select(t => t.Title!).ToArray());

        Assert.Empty(Parts.DashboardCards(With()));
        Assert.Equal(["card-MyFollowUpsCard", "card-NewestPeopleCard"],
            Parts.DashboardCards(With(ActivitiesPermissions.Read, ContactsPermissions.Read)).Select(c => c.TestId).ToArray());
    }

    [Fact]
    public void A_tab_without_a_record_id_parameter_fails_at_start_up_not_on_the_page()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new PageParts(typeof(PagePartsTests).Assembly));
        Assert.Contains(nameof(TabWithoutRecordId), e.Message, StringComparison.Ordinal);
    }

    [RecordTab(RecordPage.Person, "Broken")]
    private sealed class TabWithoutRecordId : ComponentBase;
}
