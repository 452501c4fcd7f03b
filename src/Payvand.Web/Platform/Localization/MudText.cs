using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Localization;
using MudBlazor;
using Payvand.Platform.Persian;

namespace Payvand.Platform.Localization;

// MudBlazor's own words (Select row, Rows per page, 1-25 of 300, Close, Clear...) in the user's language: each of
// MudBlazor's keys that Payvand's screens show is mapped to an English resource string, and in Persian the numbers
// MudBlazor puts in (the pager's counts) get Persian digits. Keys not listed keep MudBlazor's English.
public sealed class MudText(IStringLocalizer<SharedResource> localizer) : MudLocalizer
{
    // MudBlazor key -> the English text of Payvand's resource ({0}, {1}... where MudBlazor passes arguments).
    public static readonly FrozenDictionary<string, string> Keys = new Dictionary<string, string>
    {
        ["MudAlert_Close"] = "Close",
        ["MudBaseDatePicker_NextMonth"] = "Next month",
        ["MudBaseDatePicker_NextYear"] = "Next year",
        ["MudBaseDatePicker_Open"] = "Open the calendar",
        ["MudBaseDatePicker_PrevMonth"] = "Previous month",
        ["MudBaseDatePicker_PrevYear"] = "Previous year",
        ["MudChip_Close"] = "Remove",
        ["MudDataGridPager_AllItems"] = "All",
        ["MudDataGridPager_FirstPage"] = "First page",
        ["MudDataGridPager_InfoFormat"] = "{0}-{1} of {2}",
        ["MudDataGridPager_LastPage"] = "Last page",
        ["MudDataGridPager_NextPage"] = "Next page",
        ["MudDataGridPager_PreviousPage"] = "Previous page",
        ["MudDataGridPager_RowsPerPage"] = "Rows per page:",
        ["MudDataGrid_Apply"] = "Apply",
        ["MudDataGrid_Cancel"] = "Cancel",
        ["MudDataGrid_Clear"] = "Clear",
        ["MudDataGrid_ClearFilter"] = "Clear the filter",
        ["MudDataGrid_CollapseGroup"] = "Collapse group",
        ["MudDataGrid_Column"] = "Column",
        ["MudDataGrid_Columns"] = "Columns",
        ["MudDataGrid_ExpandGroup"] = "Expand group",
        ["MudDataGrid_Filter"] = "Filter",
        ["MudDataGrid_FilterValue"] = "Filter value",
        ["MudDataGrid_Group"] = "Group",
        ["MudDataGrid_Hide"] = "Hide",
        ["MudDataGrid_HideAll"] = "Hide all",
        ["MudDataGrid_Loading"] = "Loading...",
        ["MudDataGrid_MoveDown"] = "Move down",
        ["MudDataGrid_MoveUp"] = "Move up",
        ["MudDataGrid_Operator"] = "Operator",
        ["MudDataGrid_RefreshData"] = "Refresh",
        ["MudDataGrid_Save"] = "Save",
        ["MudDataGrid_SelectAllRows"] = "Select all rows",
        ["MudDataGrid_SelectRow"] = "Select row",
        ["MudDataGrid_ShowAll"] = "Show all",
        ["MudDataGrid_ShowColumnOptions"] = "Column options",
        ["MudDataGrid_Sort"] = "Sort",
        ["MudDataGrid_Ungroup"] = "Ungroup",
        ["MudDataGrid_Unsort"] = "Unsort",
        ["MudDataGrid_Value"] = "Value",
        ["MudDialog_Close"] = "Close",
        ["MudFileUpload_Button"] = "Choose a file",
        ["MudFormComponent_Required"] = "Required",
        ["MudInput_Clear"] = "Clear",
        ["MudInput_Decrement"] = "Decrease",
        ["MudInput_Increment"] = "Increase",
        ["MudNavGroup_ToggleExpand"] = "Open or close {0}",
        ["MudPagination_CurrentPage"] = "Current page {0}",
        ["MudPagination_FirstPage"] = "First page",
        ["MudPagination_LastPage"] = "Last page",
        ["MudPagination_NextPage"] = "Next page",
        ["MudPagination_PageIndex"] = "Page {0}",
        ["MudPagination_PreviousPage"] = "Previous page",
        ["MudSelect_SelectAll"] = "Select all",
        ["MudSnackbar_Close"] = "Close",
        ["MudTablePager_FirstPage"] = "First page",
        ["MudTablePager_LastPage"] = "Last page",
        ["MudTablePager_NextPage"] = "Next page",
        ["MudTablePager_PreviousPage"] = "Previous page",
        ["MudTable_CollapseGroup"] = "Collapse group",
        ["MudTable_ExpandGroup"] = "Expand group",
        ["MudTable_Loading"] = "Loading...",
        ["MudTable_SelectAllRows"] = "Select all rows",
        ["MudTable_SelectRow"] = "Select row",
        ["MudTabs_ScrollLeft"] = "Scroll left",
        ["MudTabs_ScrollRight"] = "Scroll right",
        ["MudTimePicker_Open"] = "Open the clock",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public override LocalizedString this[string key] => this[key, []];

    public override LocalizedString this[string key, params object[] arguments]
    {
        get
        {
            // English keeps MudBlazor's own words (and its grouping of the pager's numbers).
            if (!Keys.TryGetValue(key, out var english) || !Cultures.IsPersian(CultureInfo.CurrentUICulture))
                return new LocalizedString(key, key, resourceNotFound: true);
            var text = localizer[english].Value;
            if (arguments.Length > 0) text = PersianText.ToPersianDigits(string.Format(CultureInfo.CurrentCulture, text, arguments)).Replace(',', '\u066C');
            return new LocalizedString(key, text);
        }
    }
}
