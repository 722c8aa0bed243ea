// Yuanluo map page: a metric-only scale bar and the controls' titles in the page's language. Runs as (function(parent, map) { ... }) after `var T = <JSON>;` (yuanluo.maps.interactive._add_controls).
// the attribution's prefix as plain text: no tiny link to mis-tap
map.attributionControl.setPrefix('Leaflet');
L.control.scale({imperial: false, metric: true, position: 'bottomleft'}).addTo(map);
function title(sel, text) {
  var el = map.getContainer().querySelectorAll(sel);
  for (var k = 0; k < el.length; k++) { el[k].title = text; el[k].setAttribute('aria-label', text); }
}
title('.leaflet-control-zoom-in', T.zoomIn);
title('.leaflet-control-zoom-out', T.zoomOut);
title('.leaflet-control-layers-toggle', T.layers);
title('.leaflet-control-locate a', T.locate);
