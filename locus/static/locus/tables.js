// A table wider than the screen scrolls inside its .locus-table-scroll box: make that box a named,
// focusable region so keyboard users can scroll it too (only while it actually scrolls).
function markScrollingTables() {
  for (const box of document.querySelectorAll(".locus-table-scroll")) {
    if (box.scrollWidth > box.clientWidth + 1) {
      const caption = box.querySelector("caption");
      const name = caption ? caption.textContent.trim().replace(/\s+/g, " ") : "Table";
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", `${name} (scroll sideways for more columns)`);
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}
markScrollingTables();
window.addEventListener("resize", markScrollingTables);
