// Yuanluo map page: the data credit in the attribution line. Runs as (function(parent, map) { ... }) after `var C = <JSON>;` (yuanluo.maps.interactive).
// Leaflet treats attributions as HTML: C.html is already HTML-escaped text (yuanluo.maps.interactive._esc).
map.attributionControl.addAttribution(C.html);
// whole lines, a long credit folded to three (one over an open card) and shown whole by a tap; the controls above it
// and the scale beside it move with it (card.js Y.liftControls)
window.yuanluo.foldCredit(map, function() { if (window.yuanluo.liftControls) window.yuanluo.liftControls(); });
