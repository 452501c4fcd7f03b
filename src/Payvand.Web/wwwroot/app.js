// Marks the page interactive once the Blazor circuit has rendered (browser tests wait for it).
window.payvand = {
    ready: () => document.body.setAttribute("data-interactive", "true"),
};

// In Persian, MudBlazor draws some numbers from inside its components with Latin digits: the page size a pager offers
// (10, 25, 50, 100) in the pager and in the list it opens, the counts of a pager whose total is only "more than" (its
// InfoFormat), and the page numbers of a MudPagination. Show those with Persian digits (and the Persian thousands
// separator) too; the server draws every other number in the user's digits (UiText, MudText).
(() => {
    const persian = s => s.replace(/[0-9]/g, d => "۰۱۲۳۴۵۶۷۸۹"[d]).replace(/(?<=[۰-۹]),(?=[۰-۹])/g, "٬");
    // A list item that is a number alone: in an open popover, that is a pager's page-size list.
    const numberOnly = /^\s*[0-9][0-9,]*\s*$/;
    const convert = (root, only) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (only && !only.test(node.nodeValue)) continue;
            const text = persian(node.nodeValue);
            if (text !== node.nodeValue) node.nodeValue = text;
        }
    };
    const fix = () => {
        if (document.documentElement.lang !== "fa") return;
        for (const pager of document.querySelectorAll(".mud-table-pagination-toolbar, .mud-pagination")) convert(pager);
        for (const item of document.querySelectorAll(".mud-popover .mud-list-item")) convert(item, numberOnly);
    };
    const start = () => new MutationObserver(fix).observe(document.body, { childList: true, subtree: true, characterData: true });
    if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
