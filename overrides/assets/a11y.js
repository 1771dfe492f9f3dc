// Material wraps each code block's copy button in an unnamed <nav>, one per block, and
// screen readers then list a dozen identical navigation landmarks: make them plain containers.
new MutationObserver(() => {
  for (const nav of document.querySelectorAll("nav.md-code__nav:not([role])")) {
    nav.setAttribute("role", "none");
  }
}).observe(document.documentElement, { childList: true, subtree: true });
