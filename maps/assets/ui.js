// Yuanluo map page: a metric-only scale bar (above the attribution line where that wraps) and the controls' titles in the page's language. Runs as (function(parent, map) { ... }) after `var T = <JSON>;` (yuanluo.maps.interactive._add_controls).
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
// on a phone the attribution line spans the width and wraps: the scale bar sits just above it, not under it
function liftScale() {
  var a = map.attributionControl.getContainer(), c = map.getContainer().querySelector('.leaflet-bottom.leaflet-left');
  if (!a || !c) return;
  c.style.bottom = '';
  var ar = a.getBoundingClientRect(), cr = c.getBoundingClientRect();
  if (ar.height > 0 && ar.left < cr.right && ar.top < cr.bottom) c.style.bottom = Math.ceil(cr.bottom - ar.top) + 'px';
}
map.on('resize', liftScale);
window.addEventListener('load', liftScale);
