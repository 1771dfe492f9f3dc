// Material builds parts of the page in the browser; two of them need a touch for screen
// readers and keyboards (axe-core checks this in tests/site/test_browser.py):
// - each code block's copy button sits in an unnamed <nav>, so a page lists a dozen identical
//   navigation landmarks: make them plain containers;
// - wide tables are wrapped in a scrolling box that a keyboard cannot reach: make it focusable.
new MutationObserver(() => {
  for (const nav of document.querySelectorAll("nav.md-code__nav:not([role])")) {
    nav.setAttribute("role", "none");
  }
  for (const box of document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])")) {
    box.setAttribute("tabindex", "0");
  }
}).observe(document.documentElement, { childList: true, subtree: true });
