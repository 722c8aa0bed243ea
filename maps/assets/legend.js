// Yuanluo map page: the legend, collapsible (its title is a button; folded at first on a phone, upright or sideways), built as DOM nodes (text by textContent, colours by CSSOM). Runs as (function(parent, map) { ... }) after `var G = <JSON>;` (yuanluo.maps.interactive).
var Legend = L.Control.extend({options: {position: 'bottomright'}, onAdd: function() {
  var d = L.DomUtil.create('div', 'yl-legend');
  var btn = L.DomUtil.create('button', 'yl-legend-toggle', d), body = L.DomUtil.create('div', 'yl-legend-body', d);
  btn.type = 'button'; btn.textContent = G.title; btn.setAttribute('aria-expanded', 'true');
  L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);
  function fold(on) { L.DomUtil[on ? 'addClass' : 'removeClass'](d, 'yl-collapsed'); btn.setAttribute('aria-expanded', on ? 'false' : 'true'); }
  // the card beside the map (a phone held sideways) makes room for the legend as it now stands (card.js lift)
  btn.addEventListener('click', function() {
    fold(!L.DomUtil.hasClass(d, 'yl-collapsed'));
    if (window.yuanluo && window.yuanluo.liftControls) window.yuanluo.liftControls();
  });
  // while a search has found something: what its marks mean, a row each (G.found, the field map's), at the top;
  // Y.legendFound(true) shows both before the search frames the view (so the view is framed clear of the legend as
  // it will stand), Y.legendFound() then shows each while its mark is there (Y.placeMarked, Y.pulsing)
  var found = G.found ? [['outline', 'yl-found-outline'], ['pulse', 'yl-found-pulse']].map(function(f) {
    var row = L.DomUtil.create('div', 'yl-found-row', body);
    L.DomUtil.create('i', f[1], row); L.DomUtil.create('span', '', row).textContent = G.found[f[0]];
    row.setAttribute('data-found', f[0]); row.hidden = true;
    return row;
  }) : [];
  window.yuanluo = window.yuanluo || {};
  window.yuanluo.legendFound = function(all) {
    var Y = window.yuanluo;
    if (found.length) { found[0].hidden = !(all || Y.placeMarked); found[1].hidden = !(all || Y.pulsing); }
  };
  G.rows.forEach(function(r, j) {
    if (j) L.DomUtil.create('br', '', body);
    (r.swatches || []).forEach(function(c) { L.DomUtil.create('span', 'sw', body).style.background = c; });
    if (r.mark) {
      var i = L.DomUtil.create('i', r.mark, body);
      Object.keys(r.style).forEach(function(k) { i.style[k] = r.style[k]; });
    }
    var t = L.DomUtil.create('span', r.note ? 'yl-note' : '', body);
    t.textContent = r.swatches ? ' ' + r.text : r.text;
  });
  fold(window.innerWidth < 600 || window.innerHeight < 500);  // a phone, upright or sideways: the map first
  return d;
}});
new Legend().addTo(map);
