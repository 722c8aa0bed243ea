// Yuanluo map page: the data credit in the attribution line. Runs as (function(parent, map) { ... }) after `var C = <JSON>;` (yuanluo.maps.interactive).
// Leaflet treats attributions as HTML: C.html is already HTML-escaped text (yuanluo.maps.interactive._esc).
map.attributionControl.addAttribution(C.html);
