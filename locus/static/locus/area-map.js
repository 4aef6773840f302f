// Boundary map for an area page: MapLibre with GeoJSON polygons only (no tiles, no glyphs).
(function () {
  "use strict";
  var el = document.getElementById("area-map");
  if (!el || !window.maplibregl) { return; }
  el.innerHTML = "";
  fetch(el.dataset.boundaryUrl).then(function (r) { return r.json(); }).then(function (data) {
    var map = new maplibregl.Map({
      container: el,
      style: {
        version: 8,
        sources: { places: { type: "geojson", data: data } },
        layers: [
          { id: "background", type: "background", paint: { "background-color": "#f3f2f1" } },
          { id: "area-fill", type: "fill", source: "places", filter: ["==", ["get", "role"], "area"],
            paint: { "fill-color": "#1d70b8", "fill-opacity": 0.35 } },
          { id: "member-line", type: "line", source: "places", filter: ["==", ["get", "role"], "member"],
            paint: { "line-color": "#ffffff", "line-width": 1 } },
          { id: "area-line", type: "line", source: "places", filter: ["==", ["get", "role"], "area"],
            paint: { "line-color": "#003078", "line-width": 2 } }
        ]
      },
      bounds: data.bbox,
      fitBoundsOptions: { padding: 20 },
      attributionControl: { compact: true, customAttribution: "Contains OS data © Crown copyright and database right" },
      interactive: true
    });
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    map.once("idle", function () {
      el.dataset.ready = "true";
      window.mapReady = true;
      window.mapFeatureCount = map.querySourceFeatures("places").length;
    });
  });
})();
