// Yuanluo map page: the legend, collapsible (its title is a button; folded at first on a phone, upright or sideways), built as DOM nodes (text by textContent, colours by CSSOM). Runs as (function(parent, map) { ... }) after `var G = <JSON>;` (yuanluo.maps.interactive).
var Legend = L.Control.extend({options: {position: 'bottomright'}, onAdd: function() {
  var d = L.DomUtil.create('div', 'yl-legend');
  var btn = L.DomUtil.create('button', 'yl-legend-toggle', d), body = L.DomUtil.create('div', 'yl-legend-body', d);
  btn.type = 'button'; btn.textContent = G.title; btn.setAttribute('aria-expanded', 'true');
  L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);
  function fold(on) { L.DomUtil[on ? 'addClass' : 'removeClass'](d, 'yl-collapsed'); btn.setAttribute('aria-expanded', on ? 'false' : 'true'); }
  // the card beside the map (a phone held sideways) makes room for the legend as it now stands (card.js lift)
  // on a low screen (a phone held sideways) one of the legend and the maturity panel is open at a time: both open, each
  // showed one or two of its rows (640 x 360); opening the one folds the other (maturity.js Y.maturityFold)
  // opened by a tap where it starts folded (a phone), in the history (yuanluo.js Y.backable): a Back folds it
  var folded = window.innerWidth < 600 || window.innerHeight < 500, Yb = window.yuanluo;
  if (folded && Yb && Yb.backable) {
    Yb.backable(function() { return !L.DomUtil.hasClass(d, 'yl-collapsed'); }, function() { fold(true); fit(); });
  }
  function sync() { if (folded && Yb && Yb.backSync) Yb.backSync(); }
  btn.addEventListener('click', function() {
    fold(!L.DomUtil.hasClass(d, 'yl-collapsed'));
    sync();
    var Y = window.yuanluo;
    if (!L.DomUtil.hasClass(d, 'yl-collapsed') && window.innerHeight < 500 && Y && Y.maturityFold) Y.maturityFold();
    fit();
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
    fit();
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
  // opened on a low screen the legend rose over the page's title and, standing over a card beside the map (a phone
  // held sideways, card.js yl-over-card), over the card's title and close button (the cover map's, 740 x 360: its
  // top at 98 px, the card's head to 124 px). Its rows scroll instead, its top kept 6 px below the stamp, the title,
  // the controls at the top right and a card's head (three rows at least); a line at their foot says there is more
  // below, until the foot is reached
  var more = L.DomUtil.create('button', 'yl-more', body);
  more.type = 'button'; more.textContent = G.more; more.hidden = true;
  more.addEventListener('click', function() { body.scrollTop += Math.round(body.clientHeight * 0.7); });
  function showMore() {
    more.hidden = true;  // measured without it
    more.hidden = L.DomUtil.hasClass(d, 'yl-collapsed') || body.scrollHeight - body.clientHeight - body.scrollTop <= 2;
  }
  body.addEventListener('scroll', showMore);
  function fit() {
    body.style.maxHeight = ''; L.DomUtil.removeClass(body, 'yl-scrolls');
    if (!L.DomUtil.hasClass(d, 'yl-collapsed') && d.parentNode) {
      var r = d.getBoundingClientRect(), floor = -Infinity, i, t;
      // and the controls at the top, left and right: lifted above a card across the screen (360 x 640) the open cover
      // legend rose over the search box's Find button; held sideways the maturity map's, under its open panel, over
      // the layers button (the panel ends above the legend as it stands unscrolled: Y.maturityFit, then this)
      var over = document.querySelectorAll('.yl-stamp, .yl-title, .yl-card:not([hidden]) .yl-card-head, .leaflet-top .leaflet-control');
      for (i = 0; i < over.length; i++) {
        t = over[i].getBoundingClientRect();
        if (t.width && t.height && t.left < r.right && r.left < t.right && t.top < r.bottom && t.bottom < r.bottom) floor = Math.max(floor, t.bottom + 6);
      }
      if (r.top < floor) {
        var line = parseFloat(getComputedStyle(d).lineHeight) || 18;
        body.style.maxHeight = Math.floor(Math.max(3 * line, body.getBoundingClientRect().height - (floor - r.top))) + 'px';
        L.DomUtil.addClass(body, 'yl-scrolls');
      }
    }
    showMore();
  }
  window.yuanluo.legendFit = fit;
  window.yuanluo.legendFold = function() { if (!L.DomUtil.hasClass(d, 'yl-collapsed')) { fold(true); fit(); sync(); } };
  window.yuanluo.legendLoose = function() { body.style.maxHeight = ''; L.DomUtil.removeClass(body, 'yl-scrolls'); };
  // the highest its top can be kept (its rows scrolled down to three), measured unscrolled: the maturity panel ends
  // above it, shorter than its 96 px if it must (held sideways, both open)
  window.yuanluo.legendLowest = function() {
    if (L.DomUtil.hasClass(d, 'yl-collapsed') || !d.parentNode) return Infinity;
    var r = d.getBoundingClientRect(), h = body.getBoundingClientRect().height, line = parseFloat(getComputedStyle(d).lineHeight) || 18;
    return r.bottom - (r.height - h + Math.min(h, Math.floor(3 * line)));
  };
  window.addEventListener('resize', fit);
  map.on('yltitle', fit);  // the title folded or shown whole (ui.js)
  fold(folded);  // a phone, upright or sideways: the map first
  return d;
}});
new Legend().addTo(map);
