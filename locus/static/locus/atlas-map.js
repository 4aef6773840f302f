// National atlas map: MapLibre with GeoJSON polygons only (no tiles, no glyphs, no symbol layers).
// The values come from the same JSON as the table under the map; hover or focus (map or table)
// shows value, rank and source; a click opens the area's profile. Keyboard: the map is one tab
// stop; the arrow keys move between areas in rank order (then the areas without data, by name),
// Home/End jump to the first/last, Enter opens the focused area's profile, Escape clears. The
// focused area is outlined through feature-state and announced in a polite live region.
(function () {
  "use strict";
  var el = document.getElementById("atlas-map");
  if (!el || !window.maplibregl) { return; }
  var info = document.getElementById("map-info");
  var announce = document.getElementById("map-announce");
  var toggle = document.getElementById("layer-toggle");
  var keys = document.getElementById("map-keys");
  var legend = document.getElementById("sites-legend");
  var SITE_COLOURS = JSON.parse(el.dataset.siteColours || "{}");

  function get(url) { return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }); }

  function text(tag, content, cls) {
    var node = document.createElement(tag);
    node.textContent = content;
    if (cls) { node.className = cls; }
    return node;
  }

  function sourceText(data) {
    var p = data.provenance;
    // an indicator: each input's title with its own publisher, vintage and licence, one sentence each
    if (p.cited) { return (p.sources && p.sources.length > 1 ? "Sources: " : "Source: ") + p.cited; }
    // a derived score lists every input's licence: point to the manifest instead
    var licence = p.licence.length > 80 ? "licences of every input in the manifest" : p.licence;
    return "Source: " + (p.titles || p.source) + " (" + p.vintage + "; " + licence + ")";  // titles: what the ids are
  }

  function showInfo(code, data) {
    var v = data.values[code];
    if (!v) { return; }
    info.innerHTML = "";
    info.appendChild(text("h3", v.name, "govuk-heading-s govuk-!-margin-bottom-1"));
    info.appendChild(text("p", v.value === null ? "No data" : v.display, "govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1"));
    if (v.rank !== null) { info.appendChild(text("p", "Rank " + v.rank + " of " + data.n_with_data, "govuk-body-s govuk-!-margin-bottom-1")); }
    // an estimate without its margin of error: the band, and that nearby ranks may not differ
    if (v.band) { info.appendChild(text("p", "Band " + v.band + ". Places a few ranks apart may not really differ.", "govuk-body-s govuk-!-margin-bottom-1 locus-caution")); }
    if (v.detail) { info.appendChild(text("p", v.detail, "govuk-body-s govuk-!-margin-bottom-1")); }
    // a value built from a figure its source has wrong: its note is under the map, too long for this box
    if (v.note_ref) {
      var cue = text("p", "A note applies to this value: ", "govuk-body-s govuk-!-margin-bottom-1 locus-caution");
      var link = text("a", "read it below", "govuk-link");
      link.href = "#" + v.note_ref;
      cue.appendChild(link);
      cue.appendChild(document.createTextNode("."));
      info.appendChild(cue);
    }
    info.appendChild(text("p", sourceText(data), "govuk-body-s locus-source"));
  }

  function sentence(code, data, position, total) {
    var v = data.values[code];
    var parts = [v.name + ": " + (v.value === null ? "no data" : v.display)];
    if (v.rank !== null) { parts.push("rank " + v.rank + " of " + data.n_with_data); }
    if (v.band) { parts.push("band " + v.band + "; places a few ranks apart may not really differ"); }
    if (v.note_ref) { parts.push("A note applies to this value, under the map"); }
    parts.push(sourceText(data));
    parts.push("Area " + position + " of " + total + ". Press Enter to open its profile");
    // each part without its own closing full stop: "Open Government Licence v3.0." joined by ". " read "v3.0.."
    return parts.map(function (part) { return part.replace(/\.+\s*$/, ""); }).join(". ") + ".";
  }

  function bounds(geojson) {
    var b = [180, 90, -180, -90];
    function walk(c) {
      if (typeof c[0] === "number") {
        b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
      } else { c.forEach(walk); }
    }
    geojson.features.forEach(function (f) { if (f.geometry) { walk(f.geometry.coordinates); } });
    return [[b[0], b[1]], [b[2], b[3]]];
  }

  // Areas in rank order, then those without data by name: the keyboard's route through the map.
  function keyOrder(data, shapes) {
    var drawn = {};
    shapes.features.forEach(function (f) { drawn[f.properties.code] = true; });
    return Object.keys(data.values).filter(function (c) { return drawn[c]; }).sort(function (a, b) {
      var va = data.values[a], vb = data.values[b];
      if ((va.rank === null) !== (vb.rank === null)) { return va.rank === null ? 1 : -1; }
      if (va.rank !== null && va.rank !== vb.rank) { return va.rank - vb.rank; }
      return va.name.localeCompare(vb.name);
    });
  }

  function siteLayer(map) {
    var sc = ["match", ["get", "kind"]];
    Object.keys(SITE_COLOURS).forEach(function (k) { sc.push(k, SITE_COLOURS[k]); });
    sc.push("#505a5f");
    return get(el.dataset.sitesUrl).then(function (sites) {
      map.addSource("sites", { type: "geojson", data: sites });
      map.addLayer({ id: "sites", type: "circle", source: "sites",
        paint: { "circle-radius": 4, "circle-color": sc, "circle-stroke-color": "#ffffff", "circle-stroke-width": 1 } });
      window.atlasSitesCount = sites.features.length;
    });
  }

  // A compact key drawn over the map while the layer is on, built from the key table under the map
  // (the table is the accessible version, so this copy is hidden from screen readers).
  function overlayKey() {
    var box = document.createElement("div");
    box.className = "locus-map-overlay-legend govuk-body-s";
    box.id = "sites-overlay-key";
    box.setAttribute("aria-hidden", "true");
    var list = document.createElement("ul");
    list.className = "govuk-list govuk-body-s govuk-!-margin-bottom-0";
    document.querySelectorAll("#sites-legend-table tbody tr").forEach(function (tr) {
      var item = document.createElement("li");
      var dot = document.createElement("span");
      dot.className = "locus-site-dot";
      dot.style.background = SITE_COLOURS[tr.dataset.kind] || "#505a5f";
      item.appendChild(dot);
      item.appendChild(document.createTextNode(tr.querySelector("th").textContent.trim() + " (" +
        tr.querySelectorAll("td")[1].textContent.trim() + " shown)"));
      list.appendChild(item);
    });
    box.appendChild(list);
    el.parentNode.appendChild(box);
    return box;
  }

  function wireSites(map) {
    if (!toggle) { return; }
    toggle.hidden = false;
    var key = null;
    document.getElementById("show-sites").addEventListener("change", function (ev) {
      var on = ev.target.checked;
      if (legend) { legend.open = on; }
      if (on && !key) { key = overlayKey(); }
      if (key) { key.hidden = !on; }
      if (map.getLayer("sites")) { map.setLayoutProperty("sites", "visibility", on ? "visible" : "none"); return; }
      if (on) { siteLayer(map); }
    });
  }

  function wireKeyboard(map, data, order) {
    var current = -1, focusedCode = null;
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "application");
    el.setAttribute("aria-label", "Map: " + el.dataset.title + ". Use the arrow keys to move between areas in rank order and Enter to open a profile.");
    el.setAttribute("aria-describedby", "map-keys");
    var canvas = map.getCanvas();
    canvas.setAttribute("tabindex", "-1");  // one tab stop: the container
    canvas.removeAttribute("aria-label");
    map.keyboard.disable();  // the arrow keys move between areas rather than pan
    if (keys) { keys.hidden = false; }

    function focusArea(i) {
      if (!order.length) { return; }
      current = (i + order.length) % order.length;
      if (focusedCode !== null) { map.setFeatureState({ source: "areas", id: focusedCode }, { focused: false }); }
      focusedCode = order[current];
      map.setFeatureState({ source: "areas", id: focusedCode }, { focused: true });
      showInfo(focusedCode, data);
      announce.textContent = sentence(focusedCode, data, current + 1, order.length);
      el.dataset.focusedCode = focusedCode;
    }
    function clear() {
      if (focusedCode !== null) { map.setFeatureState({ source: "areas", id: focusedCode }, { focused: false }); }
      focusedCode = null; current = -1; delete el.dataset.focusedCode;
    }
    el.addEventListener("keydown", function (ev) {
      if (ev.target !== el && ev.target !== canvas) { return; }  // leave the zoom buttons alone
      var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[ev.key];
      if (step) { focusArea(current < 0 ? (step > 0 ? 0 : order.length - 1) : current + step); }
      else if (ev.key === "Home") { focusArea(0); }
      else if (ev.key === "End") { focusArea(order.length - 1); }
      else if (ev.key === "Enter" && focusedCode) {
        window.location.href = el.dataset.profileUrl + encodeURIComponent(focusedCode) + "/";
      } else if (ev.key === "Escape") { clear(); announce.textContent = "No area selected."; }
      else { return; }
      ev.preventDefault();
    });
    el.addEventListener("focus", function () {
      if (focusedCode === null) {
        announce.textContent = "Map of " + el.dataset.title + ", " + order.length + " areas. Press an arrow key to move between them in rank order.";
      }
    });
  }

  // Combined Authorities cover part of England: the nations are drawn grey beneath them, for place (not white, the no-data colour)
  var empty = { type: "FeatureCollection", features: [] };
  Promise.all([get(el.dataset.valuesUrl), get(el.dataset.boundariesUrl),
               el.dataset.outlineUrl ? get(el.dataset.outlineUrl) : Promise.resolve(empty)]).then(function (res) {
    var data = res[0], shapes = res[1], outline = res[2];
    shapes.features.forEach(function (f) {
      var v = data.values[f.properties.code];
      f.properties.cls = v && v["class"] !== null ? v["class"] : -1;
    });
    var colours = data.no_data_colour;  // a "match" needs at least one class
    if (data.classes.length) {
      colours = ["match", ["get", "cls"]];
      data.classes.forEach(function (c, i) { colours.push(i, c.colour); });
      colours.push(data.no_data_colour);
    }
    el.innerHTML = "";
    var focused = ["boolean", ["feature-state", "focused"], false];
    var map = new maplibregl.Map({
      container: el,
      style: { version: 8, sources: { areas: { type: "geojson", data: shapes, promoteId: "code" },
                                      outline: { type: "geojson", data: outline } },
        layers: [
          { id: "background", type: "background", paint: { "background-color": "#f3f2f1" } },
          { id: "outline-fill", type: "fill", source: "outline", paint: { "fill-color": "#dedede" } },
          { id: "outline-line", type: "line", source: "outline", paint: { "line-color": "#b1b4b6", "line-width": 0.6 } },
          { id: "areas-fill", type: "fill", source: "areas", paint: { "fill-color": colours, "fill-opacity": 0.9 } },
          { id: "areas-line", type: "line", source: "areas", paint: { "line-color": "#505a5f", "line-width": 0.4 } },
          { id: "areas-hover", type: "line", source: "areas", filter: ["==", ["get", "code"], ""],
            paint: { "line-color": "#0b0c0c", "line-width": 3 } },
          { id: "areas-focus-halo", type: "line", source: "areas",
            paint: { "line-color": "#ffdd00", "line-width": ["case", focused, 7, 0] } },
          { id: "areas-focus", type: "line", source: "areas",
            paint: { "line-color": "#0b0c0c", "line-width": ["case", focused, 3, 0] } }
        ] },
      bounds: bounds(shapes), fitBoundsOptions: { padding: 10 },
      attributionControl: { compact: true, customAttribution: "Contains OS data © Crown copyright and database right" }
    });
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    function highlight(code) {
      map.setFilter("areas-hover", ["==", ["get", "code"], code || ""]);
      if (code) { showInfo(code, data); }
    }
    map.on("mousemove", "areas-fill", function (e) {
      map.getCanvas().style.cursor = "pointer";
      highlight(e.features[0].properties.code);
    });
    map.on("mouseleave", "areas-fill", function () { map.getCanvas().style.cursor = ""; highlight(""); });
    map.on("click", "areas-fill", function (e) {
      window.location.href = el.dataset.profileUrl + encodeURIComponent(e.features[0].properties.code) + "/";
    });
    document.querySelectorAll("#map-table a[data-code]").forEach(function (a) {
      a.addEventListener("focus", function () { highlight(a.dataset.code); });
      a.addEventListener("mouseenter", function () { highlight(a.dataset.code); });
    });
    wireSites(map);
    var order = keyOrder(data, shapes);
    wireKeyboard(map, data, order);
    map.once("idle", function () {
      // MapLibre opens its compact attribution until the map is first dragged: on a phone it hides the south of
      // the map. Start it closed (the "i" opens it; the same notice is printed under the map).
      var attrib = el.querySelector(".maplibregl-ctrl-attrib.maplibregl-compact-show");
      if (attrib) { attrib.classList.remove("maplibregl-compact-show"); attrib.setAttribute("open", ""); }
      el.dataset.ready = "true";
      window.atlasMap = map;
      window.atlasMapReady = true;
      window.atlasMapData = data;
      window.atlasKeyOrder = order;
      window.atlasMapFeatureCount = map.querySourceFeatures("areas").length;
    });
  });
})();
