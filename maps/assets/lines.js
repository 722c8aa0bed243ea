// Yuanluo map page: a context layer (boundary, rivers, water, roads). Runs as (function(parent, map) { ... }) after `var P = <JSON>;` (yuanluo.maps.interactive).
var Y = window.yuanluo, style = P.style;
if (P.lines.d.length) parent.addLayer(L.polyline(Y.unpack(P.lines), style));
if (P.polygons.d.length) parent.addLayer(L.polygon(Y.unpack(P.polygons), L.extend({}, style, {fillOpacity: 0.35})));
