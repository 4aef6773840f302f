// A table wider than the screen scrolls inside its .locus-table-scroll box: make that box a named,
// focusable region so keyboard users can scroll it too (only while it actually scrolls).

// The table's own name (its caption, or the heading it is labelled by), so that no two regions share one.
function tableName(table) {
  const caption = table && table.querySelector("caption");
  const labelledBy = table && table.getAttribute("aria-labelledby");
  const label = labelledBy && document.getElementById(labelledBy);
  const text = (caption || label || {}).textContent || (table && table.getAttribute("aria-label")) || "Table";
  return text.trim().replace(/\s+/g, " ");
}

function markScrollingTables() {
  for (const box of document.querySelectorAll(".locus-table-scroll")) {
    if (box.scrollWidth > box.clientWidth + 1) {
      const name = tableName(box.querySelector("table"));
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
