// The course site: make every region that scrolls reachable with the keyboard.
// Material wraps wide tables in a scrolling box when a page loads, and notebook outputs and
// code blocks scroll too; a box that scrolls but holds nothing focusable cannot be scrolled
// without a mouse (axe-core: scrollable-region-focusable). Give each such box a tab stop.
(function () {
  function focusable(box) {
    return box.querySelector("a[href], button, input, select, textarea, [tabindex]") !== null;
  }
  function mark() {
    var boxes = document.querySelectorAll(
      ".md-typeset__scrollwrap, .jupyter-wrapper .jp-OutputArea-output, .jupyter-wrapper " +
        ".highlight-ipynb, .jupyter-wrapper .jp-RenderedHTMLCommon, .jupyter-wrapper pre, " +
        ".md-typeset pre, .md-typeset .highlight"
    );
    boxes.forEach(function (box) {
      var style = getComputedStyle(box);
      var scrolls = /(auto|scroll)/.test(style.overflowX + style.overflowY);
      var wider = box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight;
      if (scrolls && wider && !box.hasAttribute("tabindex") && !focusable(box)) {
        box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("role")) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", "scrollable content");
        }
      }
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { window.requestAnimationFrame(mark); });
  } else {
    window.addEventListener("load", mark);
  }
  window.addEventListener("resize", mark);
})();
