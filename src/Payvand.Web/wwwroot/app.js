// Marks the page interactive once the Blazor circuit has rendered (browser tests wait for it).
window.payvand = {
    ready: () => document.body.setAttribute("data-interactive", "true"),
};
