// Yuanluo map page: the legend, built as DOM nodes (text by textContent, colours by CSSOM). Runs as (function(parent, map) { ... }) after `var G = <JSON>;` (yuanluo.maps.interactive).
var Legend = L.Control.extend({options: {position: 'bottomright'}, onAdd: function() {
  var d = L.DomUtil.create('div', 'yl-legend');
  L.DomUtil.create('b', '', d).textContent = G.title;
  G.rows.forEach(function(r) {
    L.DomUtil.create('br', '', d);
    (r.swatches || []).forEach(function(c) { L.DomUtil.create('span', 'sw', d).style.background = c; });
    if (r.mark) {
      var i = L.DomUtil.create('i', r.mark, d);
      Object.keys(r.style).forEach(function(k) { i.style[k] = r.style[k]; });
    }
    var t = L.DomUtil.create('span', r.note ? 'yl-note' : '', d);
    t.textContent = r.swatches ? ' ' + r.text : r.text;
  });
  return d;
}});
new Legend().addTo(map);
