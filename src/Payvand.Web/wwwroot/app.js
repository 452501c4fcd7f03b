// Marks the page interactive once the Blazor circuit has rendered (browser tests wait for it).
window.payvand = {
    ready: () => document.body.setAttribute("data-interactive", "true"),
};

// In Persian, MudBlazor's pagers draw the page size they offer (10, 25, 50, 100) from inside the component with Latin
// digits (the counts beside them come translated from the server): show those with Persian digits too.
(() => {
    const persian = s => s.replace(/[0-9]/g, d => "۰۱۲۳۴۵۶۷۸۹"[d]);
    const fix = () => {
        if (document.documentElement.lang !== "fa") return;
        for (const pager of document.querySelectorAll(".mud-table-pagination-toolbar")) {
            const walker = document.createTreeWalker(pager, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const text = persian(node.nodeValue);
                if (text !== node.nodeValue) node.nodeValue = text;
            }
        }
    };
    const start = () => new MutationObserver(fix).observe(document.body, { childList: true, subtree: true, characterData: true });
    if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
