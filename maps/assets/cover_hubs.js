// Yuanluo coverage map: service points on a canvas, one symbol per level, with a card. Runs as (function(parent, map) { ... }) after `var H = <JSON>;` (yuanluo.maps.coverage).
var Y = window.yuanluo, hn = H.id.length, hlat = new Float64Array(hn), hlon = new Float64Array(hn), yy = 0, xx = 0;
for (var i = 0; i < hn; i++) { yy += H.d[2 * i]; xx += H.d[2 * i + 1]; hlat[i] = H.lat0 + yy * H.q; hlon[i] = H.lon0 + xx * H.q; }
// a closed path of the symbol (star, diamond, square, triangle, pentagon, cross, circle) of radius r at (x, y)
Y.symbol = function(ctx, s, x, y, r) {
  var pts = [], k, a;
  if (s === 'star') for (k = 0; k < 10; k++) { a = -Math.PI / 2 + k * Math.PI / 5; pts.push([Math.cos(a) * (k % 2 ? r * 0.6 : r * 1.5), Math.sin(a) * (k % 2 ? r * 0.6 : r * 1.5)]); }
  else if (s === 'diamond') pts = [[0, -r * 1.2], [r * 1.2, 0], [0, r * 1.2], [-r * 1.2, 0]];
  else if (s === 'square') pts = [[-r, -r], [r, -r], [r, r], [-r, r]];
  else if (s === 'triangle') pts = [[0, -r * 1.2], [r * 1.1, r * 0.8], [-r * 1.1, r * 0.8]];
  else if (s === 'cross') { a = r * 0.35; pts = [[0, -a * 1.4], [r - a, -r], [r, a - r], [a * 1.4, 0], [r, r - a], [r - a, r], [0, a * 1.4], [a - r, r], [-r, r - a], [-a * 1.4, 0], [-r, a - r], [a - r, -r]]; }
  else if (s === 'pentagon') for (k = 0; k < 5; k++) { a = -Math.PI / 2 + k * 2 * Math.PI / 5; pts.push([Math.cos(a) * r * 1.1, Math.sin(a) * r * 1.1]); }
  else { ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 6.2832); return; }
  ctx.moveTo(x + pts[0][0], y + pts[0][1]);
  for (k = 1; k < pts.length; k++) ctx.lineTo(x + pts[k][0], y + pts[k][1]);
  ctx.closePath();
};
var Hubs = Y.CanvasLayer.extend({
  _removed: function() { Y.hubsPainted = 0; this._pts = null; },
  _redraw: function() {
    var m = this._map, ctx = Y.canvas(this, m), size = m.getSize(), r = m.getZoom() >= 15 ? 8 : 6, t = 0, pts = [];
    for (var k = 0; k < hn; k++) pts.push(m.latLngToContainerPoint([hlat[k], hlon[k]]));
    H.levels.forEach(function(lv, j) {
      ctx.beginPath();
      for (var k = 0; k < hn; k++) {
        var p = pts[k];
        if (H.lv[k] !== j || p.x < -2 * r || p.y < -2 * r || p.x > size.x + 2 * r || p.y > size.y + 2 * r) continue;
        Y.symbol(ctx, lv.symbol, p.x, p.y, r); t++;
      }
      ctx.fillStyle = lv.colour; ctx.fill(); ctx.lineWidth = 1.5; ctx.strokeStyle = '#ffffff'; ctx.stroke();
    });
    this._pts = pts; Y.hubsPainted = t;
  },
  _click: function(e) {
    var k = Y.hubAt(e.containerPoint);
    if (k >= 0) hubCard(k);
  }
});
function lines(texts) {
  var d = document.createElement('div');
  texts.forEach(function(t) { Y.el('div', '', d, t); });
  return d;
}
// a point's site: where it is a household's id, "H005434 户 → 前往", a link that opens that household's card and shows
// it (as the field map's meeting-point row); any other site (a place's name) as it is
function siteValue(s) {
  var T = Y.card.lab;
  if (!s || !Y.householdIndex || Y.householdIndex(s) < 0) return s;
  return Y.link(Y.fill(T['card.go_household'], {hid: s}), function() { Y.showHousehold(Y.householdIndex(s)); Y.goHousehold(s); });
}
// the service point's card (data-card="hub"); a given point left out has no id: its site names the card
function hubCard(k) {
  var c = Y.openCard('hub', H.id[k] || H.site[k], H.id[k] || H.site[k]);
  if (H.note[k]) c.row('', H.note[k]).className = 'yl-warn';
  var rows = [[H.lab[0], H.id[k]], [H.lab[1], H.id[k] ? siteValue(H.site[k]) : ''], [H.lab[2], H.levels[H.lv[k]].text]];
  for (var j = 0; j < H.rows.length; j++) rows.push([H.lab[3 + j], H.rows[j][k]]);
  // a list (what a point of several villages serves: a line per village) is shown a line each
  rows.forEach(function(r) { if (r[1] !== '') c.row(r[0], Array.isArray(r[1]) ? lines(r[1]) : r[1]); });
  return c.sheet;
}
// a service point found by its id (width- and case-insensitive), else by its site's name (村委会: the first point
// of that name, a given point left out too): its card opens and the map shows it clear of the controls and the
// card, as a tap does; false when no service point has that id or name
Y.showHub = function(id) {
  var q = Y.norm(id), k;
  for (var pass = 0; pass < 2; pass++) {
    for (k = 0; k < hn; k++) {
      var v = pass ? H.site[k] : H.id[k];
      if (!v || Y.norm(v) !== q) continue;
      hubCard(k); Y.goTo([hlat[k], hlon[k]], 17); Y.mark([hlat[k], hlon[k]]);
      return true;
    }
  }
  return false;
};
var hubs = new Hubs();
// the service point under a screen point (within 12 px), or -1; the household layer leaves such clicks to it
Y.hubAt = function(p) {
  if (!hubs._map || !hubs._pts) return -1;
  var best = -1, bd = 144;
  for (var k = 0; k < hn; k++) { var dx = hubs._pts[k].x - p.x, dy = hubs._pts[k].y - p.y, d = dx * dx + dy * dy; if (d < bd) { bd = d; best = k; } }
  return best;
};
parent.addLayer(hubs);
Y.hubs = H; Y.hubCard = hubCard; Y.hubsDrawn = hn;
