// Yuanluo map page: six-sided service maturity — the hexagon in the unit card (inline SVG from the vertices computed in Python by yuanluo.gis.maturity.hexagon_vertices, the same the print sheet draws), a shading of the units by weakest category or by mean, and the village panel. No chart library; every text by textContent. Runs as (function(parent, map) { ... }) after `var H = <JSON>;` (yuanluo.planners.maturity.map_data).
var Y = window.yuanluo, mode = 'weakest', shades = [], SVG = 'http://www.w3.org/2000/svg';
Y.maturity = H;
// the shading: copies of the unit territories that take no taps (the unit underneath still opens its card)
Object.keys(Y.unitPolys || {}).sort().forEach(function(id) {
  Y.unitPolys[id].forEach(function(p) {
    var s = L.polygon(p.getLatLngs(), {fillOpacity: 0.55, weight: 0, interactive: false});
    s._ylId = id; shades.push(s); parent.addLayer(s);
  });
});
function paint() {
  shades.forEach(function(s) { s.setStyle({fillColor: H.shade[mode][s._ylId] || H.unratedColour}); });
  if (Y.maturityKey) Y.maturityKey();
}
function svgEl(tag, attrs, parent) {
  var e = document.createElementNS(SVG, tag);
  Object.keys(attrs).forEach(function(k) { e.setAttribute(k, String(attrs[k])); });
  if (parent) parent.appendChild(e);
  return e;
}
// the hatching of a side not rated (未评): one <pattern> per hexagon, its id numbered, never the unit's id
var hatches = 0;
function hatch(svg) {
  var id = 'yl-hatch-' + (++hatches), defs = svgEl('defs', {}, svg);
  var p = svgEl('pattern', {id: id, patternUnits: 'userSpaceOnUse', width: 5, height: 5, patternTransform: 'rotate(45)'}, defs);
  svgEl('line', {x1: 0, y1: 0, x2: 0, y2: 5, stroke: H.unratedHatch, 'stroke-width': 1.4}, p);
  return 'url(#' + id + ')';
}
// the hexagon of one unit: grid rings, spokes, the scores' hexagon (or a dot per rated axis), axis names and scores;
// a side not rated: its wedge of the full hexagon hatched (H.wedges, the print sheet's) and 未评 at its axis, so it is
// never read as a score near 0
function radar(uid, u) {
  var w = 320, h = 190, c = w / 2, cy = h / 2, rad = 62;  // wide enough for "Civ not rated" beside the hexagon
  var xy = function(p, f) { return (c + p[0] * rad * f).toFixed(2) + ',' + (cy - p[1] * rad * f).toFixed(2); };
  var svg = svgEl('svg', {'class': 'yl-radar', width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, role: 'img'});
  svg.setAttribute('data-radar', uid);
  var vals = H.categories.map(function(name, k) { return name + ' ' + (u.v[k] === null ? (u.part[k] || H.lab.unrated) : u.v[k].toFixed(1)); });
  svg.setAttribute('aria-label', Y.fill(H.lab.radar, {unit: uid, values: vals.join(H.lab.sep)}));
  var missing = u.v.some(function(x) { return x === null; }), fill = missing ? hatch(svg) : '';
  H.wedges.forEach(function(wd, k) {
    if (u.v[k] !== null) return;
    var g = svgEl('polygon', {points: wd.map(function(p) { return xy(p, 1); }).join(' '), fill: fill, stroke: 'none'}, svg);
    g.setAttribute('data-unrated', String(k));
  });
  for (var level = 2; level <= 10; level += 2)
    svgEl('polygon', {points: H.axes.map(function(p) { return xy(p, level / 10); }).join(' '), fill: 'none', stroke: '#c8c8c8', 'stroke-width': 0.6}, svg);
  H.axes.forEach(function(p) { svgEl('line', {x1: c, y1: cy, x2: c + p[0] * rad, y2: cy - p[1] * rad, stroke: '#c8c8c8', 'stroke-width': 0.6}, svg); });
  if (!missing) svgEl('polygon', {points: u.verts.map(function(p) { return xy(p, 1); }).join(' '), fill: '#2f7d5b', 'fill-opacity': 0.35, stroke: '#2f7d5b', 'stroke-width': 1.5}, svg);
  else u.verts.forEach(function(p) { if (p[0] !== null) svgEl('circle', {cx: c + p[0] * rad, cy: cy - p[1] * rad, r: 2.5, fill: '#2f7d5b'}, svg); });
  H.axes.forEach(function(p, k) {
    var none = u.v[k] === null;
    var t = svgEl('text', {x: c + p[0] * rad * 1.18, y: cy - p[1] * rad * 1.22 + 4, 'font-size': 12, fill: none ? H.unratedText : '#222',
                           'text-anchor': Math.abs(p[0]) < 0.1 ? 'middle' : p[0] > 0 ? 'start' : 'end'}, svg);
    t.textContent = H.short[k] + ' ' + (none ? H.lab.unrated : u.v[k].toFixed(1));
  });
  return svg;
}
// the key of the hatching, under a hexagon with a side not rated: a hatched swatch and what it means
function unratedKey(box) {
  var line = Y.el('small', 'yl-unrated-key', box), svg = svgEl('svg', {width: 14, height: 10, viewBox: '0 0 14 10', 'aria-hidden': 'true'});
  svgEl('rect', {x: 0.5, y: 0.5, width: 13, height: 9, fill: hatch(svg), stroke: H.unratedHatch}, svg);
  svg.style.marginRight = '4px'; svg.style.verticalAlign = '-1px';
  line.appendChild(svg); line.appendChild(document.createTextNode(H.lab.unratedKey));
  return line;
}
// the unit card's maturity part (card.js calls it for every unit card)
Y.unitExtra = function(sheet, uid) {
  var box = Y.el('div', 'yl-maturity', sheet), u = H.units[uid];
  Y.el('h3', '', box, H.lab.title + ' · ' + H.lab.period + ' ' + H.period);
  if (!u) {
    Y.el('b', 'yl-unrated', box, H.lab.unrated).setAttribute('data-radar', uid);
    // nothing rated, but some categories scored in part (MAT-PARTIAL): said under its 未评, as the report does
    if (H.unratedPart[uid]) Y.el('small', 'yl-partial', box, H.unratedPart[uid]).style.color = H.partialColour;
    return;
  }
  box.appendChild(radar(uid, u));
  if (u.v.some(function(x) { return x === null; })) unratedKey(box);
  var t = Y.el('table', 'yl-pop', box);
  H.categories.forEach(function(name, k) {
    var tr = t.insertRow(), td;
    Y.el('th', '', tr, name); td = tr.insertCell();
    if (u.v[k] !== null) { td.textContent = u.v[k].toFixed(1); return; }
    td.textContent = u.part[k] || H.lab.unrated;  // 未评（评了 1/3 项） where scored in part
    td.className = u.part[k] ? 'yl-partial' : 'yl-unrated';
    td.style.color = u.part[k] ? H.partialColour : H.unratedText;
  });
  [[H.lab.mean, u.mean], [H.lab.fullness, u.fullness], ['', u.rated], [H.lab.weakest, u.weakest], ['', u.change]].forEach(function(r) {
    if (!r[1]) return;
    var tr = t.insertRow();
    Y.el('th', '', tr, r[0]); tr.insertCell().textContent = r[1];
  });
  Y.el('small', 'yl-axis-note', box, H.lab.axis);
};
// the panel: shading switch, its key and the village lines (folded at first on a phone)
var Panel = L.Control.extend({options: {position: 'topright'}, onAdd: function() {
  var d = L.DomUtil.create('div', 'yl-legend yl-maturity-panel yl-clears-title');  // moves below the title (clearTitle)
  var btn = L.DomUtil.create('button', 'yl-legend-toggle', d), body = L.DomUtil.create('div', 'yl-legend-body', d);
  btn.type = 'button'; btn.textContent = H.lab.title;
  L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);
  btn.addEventListener('click', function() {
    var open = L.DomUtil.hasClass(d, 'yl-collapsed');
    L.DomUtil[open ? 'removeClass' : 'addClass'](d, 'yl-collapsed');
    sync();
    if (open && window.innerHeight < 500 && Y.legendFold) Y.legendFold();  // one at a time on a low screen (legend.js)
  });
  Y.maturityFold = function() { if (!L.DomUtil.hasClass(d, 'yl-collapsed')) { L.DomUtil.addClass(d, 'yl-collapsed'); refit(); sync(); } };
  // opened by a tap where it starts folded (a phone, upright or sideways), in the history (yuanluo.js Y.backable): a
  // Back folds it, as the legend's (opened, a Back left the page)
  var folds = window.innerWidth < 600 || window.innerHeight < 500;
  function sync() { if (folds && Y.backSync) Y.backSync(); }
  if (folds && Y.backable) {
    Y.backable(function() { return !L.DomUtil.hasClass(d, 'yl-collapsed'); }, function() {
      L.DomUtil.addClass(d, 'yl-collapsed'); refit();
      if (Y.liftControls) Y.liftControls();
    });
  }
  var sw = L.DomUtil.create('div', 'yl-switch', body);
  [['weakest', H.lab.byWeakest], ['mean', H.lab.byMean]].forEach(function(m) {
    var b = Y.el('button', 'yl-link', sw, m[1]);
    b.type = 'button'; b.setAttribute('data-mode', m[0]);
    b.addEventListener('click', function() { mode = m[0]; paint(); });
  });
  var key = L.DomUtil.create('div', 'yl-key', body);
  Y.maturityKey = function() {
    key.textContent = '';
    var rows = mode === 'weakest' ? H.categories.map(function(n, k) { return [H.colours[k], n]; })
                                  : [[H.ramp[0], '1 ' + H.lab.low], [H.ramp[H.ramp.length - 1], '10 ' + H.lab.high]];
    rows.concat([[H.unratedColour, H.lab.unrated]]).forEach(function(r) {
      var line = Y.el('div', '', key), i = Y.el('i', '', line);
      i.style.background = r[0]; Y.el('span', '', line, r[1]);
    });
    Array.prototype.forEach.call(sw.children, function(b) { b.setAttribute('aria-pressed', b.getAttribute('data-mode') === mode ? 'true' : 'false'); });
  };
  Y.el('b', '', body, H.lab.villages);
  H.villages.forEach(function(line) { Y.el('div', 'yl-village', body, line); });
  // more of the panel below than it shows (capped at 60 % of the screen's height: a phone's, with its villages): a
  // line at its foot says so over the fading lines, until the foot is reached; a tap on it scrolls on
  var more = Y.el('button', 'yl-more', d, H.lab.more);
  more.type = 'button'; more.hidden = true;
  more.addEventListener('click', function() { d.scrollTop += Math.round(d.clientHeight * 0.7); });
  Y.maturityMore = function() {
    more.hidden = true;  // measured without it
    more.hidden = L.DomUtil.hasClass(d, 'yl-collapsed') || d.scrollHeight - d.clientHeight - d.scrollTop <= 2;
  };
  d.addEventListener('scroll', Y.maturityMore);
  btn.addEventListener('click', Y.maturityMore);
  sw.addEventListener('click', Y.maturityMore);
  // folded at first on a phone, upright or sideways (as the legend): held sideways (740 x 360) the open panel stood
  // over the card beside the map, its close button under it, and pushed the layers button under the legend's
  if (folds) L.DomUtil.addClass(d, 'yl-collapsed');
  return d;
}});
var panel = new Panel().addTo(map);
// on a narrow screen the panel (top right) would sit on the stamp and the page title (top centre): it starts
// below them instead (measured, as the title wraps to two lines in English); on a wide screen it stays put
function clearTitle() {
  var d = panel.getContainer();
  d.style.marginTop = '';
  var r = d.getBoundingClientRect(), low = 0;
  // and, open on a low screen, the head of a card beside the map: opened over the card (640 x 360, 740 x 360) the
  // panel covered its title and close button; it starts below them (the controls then stand over the card, card.js)
  var over = window.innerHeight < 500 && !L.DomUtil.hasClass(d, 'yl-collapsed') ? ', .yl-card:not([hidden]) .yl-card-head' : '';
  Array.prototype.forEach.call(document.querySelectorAll('.yl-stamp, .yl-title' + over), function(el) {
    var t = el.getBoundingClientRect();
    if (t.width > 0 && t.left < r.right && r.left < t.right && t.top < r.bottom && r.top < t.bottom) low = Math.max(low, t.bottom);
  });
  if (low) d.style.marginTop = Math.ceil(parseFloat(getComputedStyle(d).marginTop) + low - r.top + 6) + 'px';
}
// the open panel and the controls under it (the layers button) end above the controls at the map's foot (the
// legend, lifted above a card across the screen): opened by a tap sideways or over a card, the panel ran down over
// the legend's button and the layers button went under it or under the card; the panel scrolls instead (96 px at least)
Y.maturityFit = function() {
  clearTitle();
  var d = panel.getContainer(), foot = Infinity, under = 0, i, r, lay = d.parentNode.querySelector('.leaflet-control-layers'),
      side = map.getContainer().querySelectorAll('.leaflet-bottom.leaflet-right .leaflet-control:not(.leaflet-control-attribution)');
  d.style.maxHeight = '';
  [lay].concat(Array.prototype.slice.call(side)).forEach(function(c) { if (c) { c.style.position = ''; c.style.top = ''; c.style.right = ''; c.style.bottom = ''; c.style.width = ''; } });
  if (Y.legendLoose) Y.legendLoose();  // measured as it stands unscrolled; it then ends below the layers button
  if (L.DomUtil.hasClass(d, 'yl-collapsed')) { if (Y.legendFit) Y.legendFit(); return Y.maturityMore(); }
  // on a low screen the layers button stands left of the open panel, at its top, not under it: under it, it left the
  // panel 145 px of the 360 (640 x 360), its title and one row; where it would meet the stamp or title it stays under
  if (lay && window.innerHeight < 500) {
    var pr = d.getBoundingClientRect(), cr = d.parentNode.getBoundingClientRect();
    lay.style.position = 'absolute'; lay.style.right = Math.ceil(cr.right - pr.left) + 'px';
    lay.style.top = Math.round(pr.top - cr.top - parseFloat(getComputedStyle(lay).marginTop)) + 'px';
    var lr = lay.getBoundingClientRect(), hit = false;
    Array.prototype.forEach.call(document.querySelectorAll('.yl-stamp, .yl-title, .leaflet-top.leaflet-left .leaflet-control'), function(el) {
      var t = el.getBoundingClientRect();
      if (t.width && t.left < lr.right && lr.left < t.right && t.top < lr.bottom && lr.top < t.bottom) hit = true;
    });
    if (hit) { lay.style.position = ''; lay.style.top = ''; lay.style.right = ''; }
  }
  // and so does the legend's button at the map's foot (folded: one of the two is open at a time on a low screen), so
  // the panel runs down to the credit: it then shows its switch, its key and villages below them
  if (window.innerHeight < 500) {
    var pl = d.getBoundingClientRect().left;
    Array.prototype.forEach.call(side, function(c) {
      var b = c.getBoundingClientRect(), cr = c.parentNode.getBoundingClientRect(), cs = getComputedStyle(c);
      if (!b.height || b.right <= pl) return;
      c.style.width = Math.ceil(b.width) + 'px'; c.style.position = 'absolute'; c.style.right = Math.ceil(cr.right - pl) + 'px';
      c.style.bottom = Math.round(cr.bottom - b.bottom - parseFloat(cs.marginBottom)) + 'px';
      var nb = c.getBoundingClientRect(), hit = false;
      Array.prototype.forEach.call(document.querySelectorAll('.leaflet-left .leaflet-control'), function(el) {
        var t = el.getBoundingClientRect();
        if (t.width && t.left < nb.right && nb.left < t.right && t.top < nb.bottom && nb.top < t.bottom) hit = true;
      });
      if (hit) { c.style.position = ''; c.style.right = ''; c.style.bottom = ''; c.style.width = ''; }
    });
  }
  var low = map.getContainer().querySelectorAll('.leaflet-bottom.leaflet-right .leaflet-control');
  for (i = 0; i < low.length; i++) {
    r = low[i].getBoundingClientRect();
    // (the credit too on a low screen, where the legend's button stands aside: the panel ends on its line)
    if (r.height && r.right > d.getBoundingClientRect().left &&
        (!L.DomUtil.hasClass(low[i], 'leaflet-control-attribution') || window.innerHeight < 500)) foot = Math.min(foot, r.top);
  }
  for (var n = d.nextElementSibling; n; n = n.nextElementSibling) {
    r = n.getBoundingClientRect();
    if (r.height && n.style.position !== 'absolute') under += r.height + parseFloat(getComputedStyle(n).marginTop);
  }
  foot = Math.min(foot, map.getContainer().getBoundingClientRect().bottom);
  var top = d.getBoundingClientRect().top, room = Math.floor(foot - 8 - under - top), least = 96;
  // the open legend's rows scroll down to three, to end below the layers button; what is still short comes off the
  // panel (56 px at least: its button and a line): held sideways with both open the legend stood over the layers button
  var cs = getComputedStyle(d), pad = d.getBoundingClientRect().height - d.clientHeight + parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom);
  if (Y.legendLowest) least = Math.max(56, Math.min(least, Math.floor(Y.legendLowest() - 6 - under - top - pad)));
  if (room < d.getBoundingClientRect().height) d.style.maxHeight = Math.max(least, room) + 'px';
  if (Y.legendFit) Y.legendFit();
  Y.maturityMore();
};
function refit() { Y.maturityFit(); }
refit();
map.on('resize yltitle', refit);  // yltitle: the title folded or shown whole (ui.js)
window.addEventListener('load', refit);
// opened by a tap: below the title if it now meets it (held sideways it opened wider than its folded button)
// and the card beside the map placed again: the controls that now meet it stand over it (card.js beside)
panel.getContainer().querySelector('.yl-legend-toggle').addEventListener('click', function() {
  refit();
  if (Y.liftControls) Y.liftControls();
});
Y.maturityMode = function(m) { mode = m; paint(); return mode; };
paint();
