// Yuanluo map page: what a GPS fix means here — the unit you stand in and the walk to its meeting point, or how far and which way the nearest unit is (the coverage map answers with its own Y.gpsAnswer, using Y.gps) — in the card (data-card="gps"; locating errors: card.js). Runs as (function(parent, map) { ... }) after `var P = <JSON>;` (yuanluo.maps.interactive._add_controls).
var Y = window.yuanluo;
// even-odd test of a point in a unit territory (nested [lat, lon] rings, any depth)
function inside(lat, lon, g) {
  var odd = false;
  (function walk(x) {
    if (typeof x[0][0] === 'number') {
      for (var i = 0, j = x.length - 1; i < x.length; j = i++) {
        var yi = x[i][0], xi = x[i][1], yj = x[j][0], xj = x[j][1];
        if ((yi > lat) !== (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) odd = !odd;
      }
    } else x.forEach(walk);
  })(g);
  return odd;
}
Y.unitAt = function(ll) {
  var polys = Y.unitPolys || {}, ids = Object.keys(polys).sort();
  for (var k = 0; k < ids.length; k++)
    for (var j = 0; j < polys[ids[k]].length; j++) if (inside(ll.lat, ll.lng, polys[ids[k]][j]._ylGeo)) return ids[k];
  return null;
};
// the nearest household (optionally of one unit index): [index, metres], or [-1, Infinity]
function nearest(ll, unit) {
  var D = Y.households, best = -1, bd = Infinity;
  if (!D) return [best, bd];
  for (var i = 0; i < D.hid.length; i++) {
    if (unit !== undefined && D.u_[i] !== unit) continue;
    var d = ll.distanceTo([D.xy.lat[i], D.xy.lon[i]]);
    if (d < bd) { bd = d; best = i; }
  }
  return [best, bd];
}
function bearing(a, b) {
  var f1 = a.lat * Math.PI / 180, f2 = b.lat * Math.PI / 180, dl = (b.lng - a.lng) * Math.PI / 180;
  var y = Math.sin(dl) * Math.cos(f2), x = Math.cos(f1) * Math.sin(f2) - Math.sin(f1) * Math.cos(f2) * Math.cos(dl);
  return P.dirs[Math.round(((Math.atan2(y, x) * 180 / Math.PI + 360) % 360) / 45) % 8];
}
function distanceText(m) {
  return m >= 1000 ? Y.fill(P.km, {km: (m / 1000).toFixed(1)}) : Y.fill(P.m, {m: Math.round(m)});
}
// the field map's answer: the unit you stand in and the walk to its meeting point, or the nearest unit outside
function unitAnswer(ll, any) {
  var D = Y.households, R = Y.card, uid = Y.unitAt(ll);
  if (!uid && any[0] >= 0 && any[1] <= P.nearM && D.u_[any[0]] >= 0) uid = R.units[D.u_[any[0]]];
  var c;
  if (uid) {
    var k = Y.unitIndex.get(uid), near = nearest(ll, k), w = near[0] >= 0 && D.w_ ? D.w_[near[0]] : -1;
    c = Y.openCard('gps', uid, Y.fill(P.inUnit, {unit: uid}));
    c.row(R.lab.unit_id, Y.link(Y.fill(R.lab['card.open_unit'], {unit: uid}), function() { Y.showUnit(uid, true); }));
    if (w >= 0) {
      c.row(P.walk, Y.fill(P.walkValue, {minutes: Y.gps.estimate(w, near[1])}));
      c.row('', Y.fill(P.how, {hid: D.hid[near[0]], speed: P.speed}));
    } else c.row(P.walk, R.lab['card.no_value']);
    var m = Y.cardF.meet[k], mi = m && Y.householdIndex ? Y.householdIndex(m) : -1;
    if (mi >= 0) meetAt = [D.xy.lat[mi], D.xy.lon[mi]];
    if (m) c.row(R.lab['card.meeting'], Y.link(Y.fill(R.lab['card.go_household'], {hid: m}), function() { Y.goHousehold(m); }));
  } else if (any[0] >= 0) {
    var u = D.u_[any[0]], target = [D.xy.lat[any[0]], D.xy.lon[any[0]]], name = u >= 0 ? R.units[u] : D.hid[any[0]];
    c = Y.openCard('gps', 'outside', P.title);
    c.row('', Y.fill(P.outside, {unit: name, dir: bearing(ll, L.latLng(target)), distance: distanceText(any[1])}));
    c.row('', Y.link(Y.fill(P.go, {unit: name}), function() { if (u >= 0) Y.showUnit(name, true); else Y.goTo(target, 17); }));
  } else return null;
  return c;
}
// shared with other pages (the coverage map's Y.gpsAnswer): the estimate is a household's walk (tenths of a
// minute) plus the straight line from you to it at P.speed, in minutes with one decimal
Y.gps = {P: P, nearest: nearest, bearing: bearing, distanceText: distanceText,
         estimate: function(tenths, metres) { return (tenths / 10 + metres / P.speed).toFixed(1); }};
// a fix: the page's answer (Y.gpsAnswer(ll, [nearest household, metres]) when the page has its own) in the card
Y.showGps = function(ll, accuracy) {
  ll = L.latLng(ll); meetAt = null;
  var c = (Y.gpsAnswer || unitAnswer)(ll, nearest(ll));
  if (!c) return null;
  if (accuracy) c.row('', Y.fill(P.accuracy, {m: Math.round(accuracy)}));
  return c.sheet;
};
// the ◎ control flies to the fix (after a tap on it, and after each fix while it follows) and puts it in the middle
// of the map; with the card open across a phone (360 x 640) that middle lies under the credit at the card's top edge,
// and the official saw no ring at all. Once that flight ends, a fix standing under a control, the credit or the card
// is moved to Y.freeSpot (card.js: clear of them, as a found household is). Only the control's own flights: one that
// began while this fix or the tap was handled (armed), so a map the official moved away from the fix stays put.
// A fix in a unit: the fix and its unit's meeting point (meetAt, the card's 议事点) are framed clear of them instead
// (card.js Y.frame), as the editor frames you and your unit: at zoom 18 on the fix neither the meeting point nor the
// unit's id was in view. That move is not the control's: it stops following, later fixes move the ring, not the map
var fix = null, armed = false, flying = false, meetAt = null;
function arm() {
  armed = true; flying = false;
  setTimeout(function() { if (!flying) armed = false; }, 0);  // no flight began with it: nothing to move
}
function covered(ll) {
  var p = map.latLngToContainerPoint(ll), size = map.getSize(), r = 12;
  if (p.x < r || p.y < r || p.x > size.x - r || p.y > size.y - r) return true;
  return Y.controlRects(map, true).some(function(c) {
    return p.x + r > c[0] && p.x - r < c[2] && p.y + r > c[1] && p.y - r < c[3];
  });
}
map.on('movestart', function() { if (armed) flying = true; });
map.on('moveend', function() {
  if (!armed || !flying) return;
  armed = flying = false;
  if (fix && meetAt && Y.frame) { Y.frame([[fix.lat, fix.lng], meetAt], 18); return; }
  if (!fix || !Y.freeSpot || !covered(fix)) return;
  var s = Y.freeSpot(40), p = map.latLngToContainerPoint(fix);
  map.panBy([p.x - s.x, p.y - s.y], {animate: false});
});
// a tap on ◎ (caught on the way down, before the control's own handler): a fix it holds flies at once
map.getContainer().addEventListener('click', function(e) {
  if (fix && e.target.closest && e.target.closest('.leaflet-control-locate')) arm();
}, true);
map.on('locationfound', function(e) { fix = e.latlng; arm(); Y.showGps(e.latlng, e.accuracy); });
