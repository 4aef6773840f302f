// National atlas map: MapLibre with GeoJSON polygons only (no tiles, no glyphs, no symbol layers).
// The values come from the same JSON as the table under the map; hover or focus (map or table)
// shows value, rank and source; a click opens the area's profile.
(function () {
  "use strict";
  var el = document.getElementById("atlas-map");
  if (!el || !window.maplibregl) { return; }
  var info = document.getElementById("map-info");
  var toggle = document.getElementById("layer-toggle");
  var SITE_COLOURS = { university: "#4c2c92", makerspace: "#b58840", catapult: "#d4351c", science_park: "#00703c",
    incubator: "#f47738", accelerator: "#d53880", poc_fund: "#0b0c0c", innovation_hub: "#28a197", other: "#505a5f" };

  function get(url) { return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }); }

  function text(tag, content, cls) {
    var node = document.createElement(tag);
    node.textContent = content;
    if (cls) { node.className = cls; }
    return node;
  }

  function showInfo(code, data) {
    var v = data.values[code];
    if (!v) { return; }
    info.innerHTML = "";
    info.appendChild(text("h3", v.name, "govuk-heading-s govuk-!-margin-bottom-1"));
    info.appendChild(text("p", v.value === null ? "No data" : v.display, "govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1"));
    if (v.rank !== null) { info.appendChild(text("p", "Rank " + v.rank + " of " + data.n_with_data, "govuk-body-s govuk-!-margin-bottom-1")); }
    if (v.detail) { info.appendChild(text("p", v.detail, "govuk-body-s govuk-!-margin-bottom-1")); }
    info.appendChild(text("p", "Source: " + data.provenance.source + " (" + data.provenance.vintage + "; " + data.provenance.licence + ")", "govuk-body-s locus-source"));
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

  Promise.all([get(el.dataset.valuesUrl), get(el.dataset.boundariesUrl)]).then(function (res) {
    var data = res[0], shapes = res[1];
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
    var map = new maplibregl.Map({
      container: el,
      style: { version: 8, sources: { areas: { type: "geojson", data: shapes } },
        layers: [
          { id: "background", type: "background", paint: { "background-color": "#f3f2f1" } },
          { id: "areas-fill", type: "fill", source: "areas", paint: { "fill-color": colours, "fill-opacity": 0.9 } },
          { id: "areas-line", type: "line", source: "areas", paint: { "line-color": "#505a5f", "line-width": 0.4 } },
          { id: "areas-hover", type: "line", source: "areas", filter: ["==", ["get", "code"], ""],
            paint: { "line-color": "#0b0c0c", "line-width": 3 } }
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
    if (toggle) {
      toggle.hidden = false;
      document.getElementById("show-sites").addEventListener("change", function (ev) {
        if (!ev.target.checked) { if (map.getLayer("sites")) { map.setLayoutProperty("sites", "visibility", "none"); } return; }
        if (map.getLayer("sites")) { map.setLayoutProperty("sites", "visibility", "visible"); return; }
        get(el.dataset.sitesUrl).then(function (sites) {
          var sc = ["match", ["get", "kind"]];
          Object.keys(SITE_COLOURS).forEach(function (k) { sc.push(k, SITE_COLOURS[k]); });
          sc.push("#505a5f");
          map.addSource("sites", { type: "geojson", data: sites });
          map.addLayer({ id: "sites", type: "circle", source: "sites",
            paint: { "circle-radius": 4, "circle-color": sc, "circle-stroke-color": "#ffffff", "circle-stroke-width": 1 } });
          window.atlasSitesCount = sites.features.length;
        });
      });
    }
    map.once("idle", function () {
      el.dataset.ready = "true";
      window.atlasMap = map;
      window.atlasMapReady = true;
      window.atlasMapData = data;
      window.atlasMapFeatureCount = map.querySourceFeatures("areas").length;
    });
  });
})();
