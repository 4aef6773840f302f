// Suggestions under the atlas's place boxes (Find your area, Compare), filtered by the server's
// spelling rule (locus/geography/names.py; both are checked on tests/geography/fixtures/name_keys.json):
// "St Helens" suggests "St. Helens", "Stoke on Trent" suggests "Stoke-on-Trent". Without JavaScript
// the box keeps its <datalist>, which the browser filters letter for letter.
const APOSTROPHES = /['\u2019\u2018`]/g;
const SPELLINGS = { saint: "st" };
const LIMIT = 12;

export function nameWords(text) {
  const plain = (text || "").normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase()
    .replace(APOSTROPHES, "").replace(/&/g, " and ");
  return plain.replace(/[^a-z0-9]+/g, " ").split(" ").filter(Boolean).map((w) => SPELLINGS[w] || w);
}

export function nameKey(text) {
  return nameWords(text).join(" ");
}

function matches(options, text) {
  const words = nameWords(text);
  if (!words.length) return [];
  const sorted = words.slice().sort().join(" ");
  const found = options.filter((o) => words.every((w) => o.search.includes(w)));
  const exact = found.filter((o) => o.words === sorted);
  return [...exact, ...found.filter((o) => o.words !== sorted)];
}

function enhance(input, datalist, n) {
  const options = [...datalist.options].filter((o) => o.dataset.key !== undefined).map((o) => ({
    value: o.value, search: ` ${o.dataset.key} ${o.dataset.code || ""} `,
    words: o.dataset.key.split(" ").sort().join(" "),
  }));
  if (!options.length) return;
  const list = document.createElement("ul");
  const status = document.createElement("div");
  list.id = `${input.id}-suggestions`;
  list.className = "locus-suggest";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  input.removeAttribute("list");
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.parentElement.classList.add("locus-suggest-anchor");
  input.insertAdjacentElement("afterend", list);
  list.insertAdjacentElement("afterend", status);
  let active = -1;

  const items = () => [...list.querySelectorAll("[role=option]")];
  const close = () => {
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };
  const mark = (i) => {
    const all = items();
    active = i;
    all.forEach((li, k) => li.setAttribute("aria-selected", String(k === i)));
    if (all[i]) {
      input.setAttribute("aria-activedescendant", all[i].id);
      all[i].scrollIntoView({ block: "nearest" });
    }
  };
  const choose = (value) => {
    input.value = value;
    close();
    input.focus();
  };
  const show = () => {
    const found = matches(options, input.value);
    list.replaceChildren(...found.slice(0, LIMIT).map((o, k) => {
      const li = document.createElement("li");
      li.id = `${list.id}-${k}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = o.value;
      li.addEventListener("mousedown", (e) => { e.preventDefault(); choose(o.value); });
      return li;
    }));
    const more = found.length > LIMIT ? `, the first ${LIMIT} shown: type more of the name` : "";
    status.textContent = input.value.trim() ? `${found.length} suggestion${found.length === 1 ? "" : "s"}${more}` : "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    list.style.top = `${input.offsetTop + input.offsetHeight}px`;  // over the page, which does not move
    list.style.left = `${input.offsetLeft}px`;
    list.style.width = `${input.offsetWidth}px`;
    list.hidden = !found.length;
    input.setAttribute("aria-expanded", String(Boolean(found.length)));
  };
  input.addEventListener("input", show);
  input.addEventListener("blur", close);
  input.addEventListener("keydown", (e) => {
    const all = items();
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (list.hidden) show();
      if (!items().length) return;
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      mark((active + step + items().length) % items().length);
    } else if (e.key === "Enter" && !list.hidden && active >= 0 && all[active]) {
      e.preventDefault();
      choose(all[active].textContent);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      close();
    }
  });
  return n;
}

document.querySelectorAll("input[list]").forEach((input, n) => {
  const datalist = document.getElementById(input.getAttribute("list"));
  if (datalist && datalist.querySelector("option[data-key]")) enhance(input, datalist, n);
});
