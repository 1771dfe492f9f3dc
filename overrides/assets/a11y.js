// Material builds parts of the page in the browser; one of them needs a touch for screen
// readers (axe-core checks this in tests/site/test_browser.py): each code block's copy button
// sits in an unnamed <nav>, so a page lists a dozen identical navigation landmarks: make them
// plain containers. (Tables get their focusable scrolling box at build time, in
// hooks/material_bundle.py.)
new MutationObserver(() => {
  for (const nav of document.querySelectorAll("nav.md-code__nav:not([role])")) {
    nav.setAttribute("role", "none");
  }
}).observe(document.documentElement, { childList: true, subtree: true });
