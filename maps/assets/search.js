// Yuanluo map page: the search box (household or unit id). Runs as (function(parent, map) { ... }) after `var S = <JSON>;` (yuanluo.maps.interactive).
var Y = window.yuanluo = window.yuanluo || {};
Y.unitBounds = Object.assign({}, S.bounds, Y.unitBounds || {}); Y.nUnits = S.n_units;
var Search = L.Control.extend({
  options: {position: 'topleft'},
  onAdd: function() {
    var div = L.DomUtil.create('div', 'leaflet-bar yl-search');
    var input = L.DomUtil.create('input', '', div);
    input.type = 'search'; input.placeholder = S.placeholder; input.setAttribute('aria-label', S.placeholder);
    var msg = L.DomUtil.create('span', 'yl-search-msg', div);
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    L.DomEvent.on(input, 'keydown', function(e) {
      if (e.key !== 'Enter') return;
      msg.textContent = Y.find(input.value) ? '' : S.notFound;
    });
    return div;
  }
});
Y.find = function(q) {
  q = String(q || '').trim();
  if (!q) return false;
  var D = Y.households;
  if (D) {
    if (!Y._hidIndex) { Y._hidIndex = new Map(); for (var i = 0; i < D.hid.length; i++) Y._hidIndex.set(D.hid[i], i); }
    var k = Y._hidIndex.get(q);
    if (k !== undefined) {
      var ll = [D.xy.lat[k], D.xy.lon[k]];
      map.setView(ll, Math.max(map.getZoom(), 17));
      L.popup().setLatLng(ll).setContent(Y.popup(k)).openOn(map);
      return 'household';
    }
  }
  var b = Y.unitBounds[q] || Y.unitBounds[q.toUpperCase()];
  if (b) { map.fitBounds([[b[0], b[1]], [b[2], b[3]]], {maxZoom: 18}); return 'unit'; }
  return false;
};
new Search().addTo(map);
