// Yuanluo map page: households drawn on one canvas, culled by a grid index. Runs as (function(parent, map) { ... }) after `var D = <JSON>;` (yuanluo.maps.interactive).
var Y = window.yuanluo;
D.hid = Y.ids(D.hid); D.dlat = Y.ints(D.dlat); D.dlon = Y.ints(D.dlon);
var n = D.hid.length, st = Y.ints(D.st), u = Y.ints(D.u), cols = D.colours;
D.u_ = u; D.st_ = st; D.w_ = D.w ? Y.ints(D.w) : null;
for (var f = 0; f < D.extra.length; f++) D.extra[f].c = Y.ints(D.extra[f].c);
// positions, the grid index and the zoom rule (yuanluo.js Y.places)
var P_ = Y.places(D, n), lat = P_.lat, lon = P_.lon, mx = P_.mx, my = P_.my, grid = P_.grid;
// the households map m draws in its view: their indices, screen positions and the dot radius; null when the view
// shows none (Y.detail). The unit ids (units.js) are placed clear of them.
Y.householdDots = function(m) {
  var z = m.getZoom(), r = z >= 17 ? 5 : z >= 15 ? 4 : z >= 13 ? 2.5 : 1.5, v = Y.view(m, r + 2);
  if (!Y.detail(m)) return null;
  var vis = [], sx = [], sy = [];
  grid.visit(v.x0, v.y0, v.x1, v.y1, function(k) {
    var x = v.rx + (mx[k] - v.px) * v.s, y = v.ry - (my[k] - v.py) * v.s;
    if (x > -r - 2 && y > -r - 2 && x < v.size.x + r + 2 && y < v.size.y + r + 2) { vis.push(k); sx.push(x); sy.push(y); }
  });
  return {vis: vis, sx: sx, sy: sy, r: r, ring: st};
};
var Dots = Y.CanvasLayer.extend({
  _removed: function() { Y.householdsPainted = 0; this._vis = null; },
  _redraw: function() {
    var m = this._map, ctx = Y.canvas(this, m), on = Y.householdDots(m);
    this._vis = null; Y.householdsPainted = 0;
    if (!on) return;
    var vis = on.vis, sx = on.sx, sy = on.sy, r = on.r;
    // one path per colour, then red rings for exceptions and unassigned households
    var byColour = {}, k;
    for (k = 0; k < vis.length; k++) {
      var col = u[vis[k]] >= 0 ? cols[u[vis[k]]] : Y.K.unassigned;
      (byColour[col] = byColour[col] || []).push(k);
    }
    ctx.lineWidth = 0.8; ctx.strokeStyle = '#222';
    Object.keys(byColour).sort().forEach(function(col) {
      var ks = byColour[col]; ctx.beginPath();
      for (var j = 0; j < ks.length; j++) { var t = ks[j]; ctx.moveTo(sx[t] + r, sy[t]); ctx.arc(sx[t], sy[t], r, 0, 6.2832); }
      ctx.fillStyle = col; ctx.fill(); if (r > 2) ctx.stroke();
    });
    ctx.beginPath();
    for (k = 0; k < vis.length; k++) { if (st[vis[k]]) { ctx.moveTo(sx[k] + r + 1.5, sy[k]); ctx.arc(sx[k], sy[k], r + 1.5, 0, 6.2832); } }
    ctx.lineWidth = 2; ctx.strokeStyle = Y.K.exc; ctx.stroke();
    this._vis = vis; this._sx = sx; this._sy = sy;
    Y.householdsPainted = vis.length;
  },
  _click: function(e) {
    var best = Y.householdAt(e.containerPoint);
    if (best >= 0) { Y.showHousehold(best); Y.mark([lat[best], lon[best]]); Y.keepVisible([lat[best], lon[best]]); }
  }
});
var dots = new Dots();
Y.lookups(dots, D.hid, n);
parent.addLayer(dots);
Y.map = map; Y.households = D; Y.householdLayer = dots;
Y.householdsDrawn = n;
if (Y.unitLabels && Y.unitLabels._map) Y.unitLabels._redraw();  // the unit ids placed again, clear of these
