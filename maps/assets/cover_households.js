// Yuanluo coverage map: households coloured by walking band on one canvas, culled by the grid index of yuanluo.js, with a card naming the nearest service point. Runs as (function(parent, map) { ... }) after `var D = <JSON>;` (yuanluo.maps.coverage).
var Y = window.yuanluo;
D.hid = Y.ids(D.hid); D.dlat = Y.ints(D.dlat); D.dlon = Y.ints(D.dlon);
var n = D.hid.length, h = Y.ints(D.h), w = Y.ints(D.w), b = Y.ints(D.b), rs = Y.ints(D.r), uu = Y.ints(D.u);
for (var f = 0; f < D.extra.length; f++) D.extra[f].c = Y.ints(D.extra[f].c);
var P_ = Y.places(D, n), lat = P_.lat, lon = P_.lon, mx = P_.mx, my = P_.my, grid = P_.grid;
var NB = D.bandColours.length, FAR = NB - 2;
// the dot of band k at the zoom's radius r: radius, ring width and colour, and whether the ring goes under the fill
function dotStyle(k, r) {
  if (k >= FAR) return {r: r + 2, line: Math.min(2, 0.4 * (r + 2)), stroke: '#000', under: true};
  return {r: r, line: r > 2 ? 0.8 : 0, stroke: '#333', under: false};
}
var Dots = Y.CanvasLayer.extend({
  _removed: function() { Y.householdsPainted = 0; this._vis = null; },
  _redraw: function() {
    var m = this._map, ctx = Y.canvas(this, m);
    var z = m.getZoom(), r = z >= 17 ? 5 : z >= 15 ? 4 : z >= 13 ? 2.5 : 1.5, v = Y.view(m, r + 5);
    this._vis = null; Y.householdsPainted = 0;
    // zoomed far out over many households: only the far and unreachable ones, so they still stand out
    var all = Y.detail(m), vis = [], sx = [], sy = [], byBand = [], k, j;
    for (k = 0; k < NB; k++) byBand.push([]);
    grid.visit(v.x0, v.y0, v.x1, v.y1, function(i) {
      if (!all && b[i] < FAR) return;
      var x = v.rx + (mx[i] - v.px) * v.s, y = v.ry - (my[i] - v.py) * v.s;
      if (x > -r - 5 && y > -r - 5 && x < v.size.x + r + 5 && y < v.size.y + r + 5) {
        byBand[b[i]].push(vis.length); vis.push(i); sx.push(x); sy.push(y);
      }
    });
    // near bands first; the far and unreachable households larger, ringed and on top: their dark ring (its width
    // scaled with the dot, dotStyle) is stroked before the fill, so only its outer half shows and, where they
    // crowd, the fills cover the rings (a 2 px ring over a 3.5 px dot turned a whole town black)
    for (k = 0; k < NB; k++) {
      var ks = byBand[k], st = dotStyle(k, r);
      if (!ks.length) continue;
      ctx.beginPath();
      for (j = 0; j < ks.length; j++) { var t = ks[j]; ctx.moveTo(sx[t] + st.r, sy[t]); ctx.arc(sx[t], sy[t], st.r, 0, 6.2832); }
      ctx.fillStyle = D.bandColours[k]; ctx.lineWidth = st.line; ctx.strokeStyle = st.stroke;
      if (st.under) ctx.stroke();
      ctx.fill();
      if (st.line > 0 && !st.under) ctx.stroke();
    }
    this._vis = vis; this._sx = sx; this._sy = sy;
    Y.householdsPainted = vis.length;
  },
  _click: function(e) {
    if (Y.hubAt && Y.hubAt(e.containerPoint) >= 0) return;
    var best = Y.householdAt(e.containerPoint);
    if (best >= 0) { Y.showHousehold(best); Y.mark([lat[best], lon[best]]); Y.keepVisible([lat[best], lon[best]]); }
  }
});
// a service point's row in a card: "P051 → 前往", a link that opens its card and shows it on the map (as the field
// map's meeting-point row), wherever it lies: off screen, the point was reachable only by a search
function hubLink(hub) {
  return Y.link(Y.fill(D.cv.goHub, {hub: hub}), function() { if (!(Y.showHub && Y.showHub(hub))) Y.find(hub); });
}
function fieldValue(k, i) { var f = D.extra[k], c = f.c[i]; return c < 0 ? null : f.v[c]; }
// the household card (the field map's card, data-card="household"): the nearest service point and the walk to
// it ("最近服务点 P001，步行 N 分钟"), or why there is none, then its band, unit and the fields asked for
Y.showHousehold = function(i) {
  var hub = h[i] >= 0 ? D.hubs[h[i]] : null, T = Y.card.lab;
  var c = Y.openCard('household', D.hid[i], Y.fill(T['card.household'], {hid: D.hid[i]}));
  var head = c.row('', hub !== null && w[i] >= 0 ? Y.fill(D.cv.card, {hub: hub, minutes: (w[i] / 10).toFixed(1)}) : D.reasons[rs[i]]);
  head.className = 'cv-head';
  if (rs[i] > 0 && w[i] >= 0) c.row('', D.reasons[rs[i]]).className = 'yl-warn';
  c.row(D.cv.band, D.bandText[b[i]]);
  if (hub !== null) c.row(D.cv.hub_id, hubLink(hub));
  if (w[i] >= 0) c.row(D.cv.walk_min, (w[i] / 10).toFixed(1));
  if (uu[i] >= 0) c.row(D.lab.unit_id, D.units[uu[i]]);
  for (var k = 0; k < D.fields.length; k++) {
    var val = fieldValue(k, i);
    if (val !== null && val !== '') c.row(D.fieldLabels[k], val);
  }
  return c.sheet;
};
// the GPS card of this map (gps.js calls it with the nearest household and its distance): the nearest service
// point and the estimated walk to it, or, beyond P.nearM of every household, how far and which way the nearest is
Y.gpsAnswer = function(ll, any) {
  var G = Y.gps, P = G.P, i = any[0], c;
  if (i < 0) return null;
  if (any[1] > P.nearM) {
    c = Y.openCard('gps', 'outside', P.title);
    c.row('', Y.fill(D.cv.gpsOutside, {hid: D.hid[i], dir: G.bearing(ll, L.latLng(lat[i], lon[i])),
                                       distance: G.distanceText(any[1])}));
    c.row('', Y.link(Y.fill(D.cv.gpsGo, {hid: D.hid[i]}), function() { Y.goHousehold(D.hid[i]); }));
    return c;
  }
  var hub = h[i] >= 0 && w[i] >= 0 ? D.hubs[h[i]] : null;
  if (hub === null) {
    c = Y.openCard('gps', 'none', P.title);
    c.row('', D.reasons[rs[i]]).className = 'yl-warn';
    return c;
  }
  c = Y.openCard('gps', hub, Y.fill(D.cv.gpsHub, {hub: hub}));
  c.row(D.cv.gpsWalk, Y.fill(P.walkValue, {minutes: G.estimate(w[i], any[1])}));
  c.row('', Y.fill(D.cv.gpsHow, {hid: D.hid[i], hub: hub, speed: P.speed}));
  c.row(D.cv.hub_id, hubLink(hub));
  return c;
};
var dots = new Dots();
Y.lookups(dots, D.hid, n);
D.u_ = uu;
parent.addLayer(dots);
Y.map = map; Y.households = D; Y.householdLayer = dots;
Y.householdsDrawn = n;
