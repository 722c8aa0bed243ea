// Yuanluo map page: unit territories (a tap opens the unit card) and their id labels. Runs as (function(parent, map) { ... }) after `var U = <JSON>;` (yuanluo.maps.interactive).
var Y = window.yuanluo, geo = Y.unpack(U.g), ci = Y.ints(U.ci), bad = Y.ints(U.bad);
Y.unitBounds = Y.unitBounds || {}; Y.unitPolys = {};
for (var i = 0; i < geo.length; i++) {
  var b = bad[i], id = U.ids[i], base = {fillColor: U.pal[ci[i]], fillOpacity: 0.25, color: b ? Y.K.exc : '#444',
                                         weight: b ? 3 : 1, dashArray: b ? '6 4' : null, smoothFactor: 0.5};
  var poly = L.polygon(geo[i], base);
  poly._ylId = id; poly._ylBase = base; poly._ylGeo = geo[i];
  parent.addLayer(poly);
  (Y.unitPolys[id] = Y.unitPolys[id] || []).push(poly);
  var bb = poly.getBounds(), old = Y.unitBounds[id];
  Y.unitBounds[id] = old ? [Math.min(old[0], bb.getSouth()), Math.min(old[1], bb.getWest()),
                            Math.max(old[2], bb.getNorth()), Math.max(old[3], bb.getEast())]
                         : [bb.getSouth(), bb.getWest(), bb.getNorth(), bb.getEast()];
}
// a tap on a territory opens its card, unless it lands on a household (whose card opens instead)
parent.on('click', function(e) {
  if (Y.householdAt && Y.householdAt(e.containerPoint) >= 0) return;
  Y.showUnit(e.layer._ylId, false);
  setTimeout(function() { Y.keepVisible(e.latlng); }, 0);  // after the map's own click handlers of this tap
});
Y.unitLayer = parent;
// unit ids on a canvas, drawn once at most 60 of them are in view (so they never pile up), each clear of the map's
// controls, stamp and title, of the ids drawn before it and (from zoom 15, where the dots are 4 px and the meeting
// points 7 px) of the household dots and meeting points drawn
Y.idsAmongDots = 15;  // the zoom from which they are (ui.js keeps the first view from there at a whole zoom)
function covered(b, covers) {  // box b ([left, top, right, bottom]) overlaps one of the boxes
  for (var i = 0; i < covers.length; i++) {
    var c = covers[i];
    if (b[2] > c[0] && b[0] < c[2] && b[3] > c[1] && b[1] < c[3]) return true;
  }
  return false;
}
// the household dots (an exception's red ring included) and meeting points in view, bucketed by 32 px cells:
// hits(b) says whether box b touches one of them
function discs(m) {
  var cell = 32, cells = new Map(), h = Y.householdDots ? Y.householdDots(m) : null, g = Y.meetingDots ? Y.meetingDots(m) : null;
  function add(x, y, r) {
    for (var cy = Math.floor((y - r) / cell); cy <= Math.floor((y + r) / cell); cy++)
      for (var cx = Math.floor((x - r) / cell); cx <= Math.floor((x + r) / cell); cx++) {
        var key = cy * 4096 + cx, a = cells.get(key);
        if (!a) cells.set(key, a = []);
        a.push(x, y, r);
      }
  }
  var k;
  if (h) for (k = 0; k < h.vis.length; k++) add(h.sx[k], h.sy[k], h.r + (h.ring[h.vis[k]] ? 2.5 : 0.5));
  if (g) for (k = 0; k < g.sx.length; k++) add(g.sx[k], g.sy[k], g.r + 1);
  return function(b) {
    for (var cy = Math.floor(b[1] / cell); cy <= Math.floor(b[3] / cell); cy++)
      for (var cx = Math.floor(b[0] / cell); cx <= Math.floor(b[2] / cell); cx++) {
        var a = cells.get(cy * 4096 + cx);
        if (!a) continue;
        for (var i = 0; i < a.length; i += 3) {
          var dx = Math.max(b[0] - a[i], 0, a[i] - b[2]), dy = Math.max(b[1] - a[i + 1], 0, a[i + 1] - b[3]);
          if (dx * dx + dy * dy < a[i + 2] * a[i + 2]) return true;
        }
      }
    return false;
  };
}
// where an id may be drawn at the screen point (x, y) of map m: 2 inside its unit's territory; 1 outside every
// territory (beyond the village's edge, or in a gap between units) with its own unit the nearest; 0 inside or
// nearest another unit
function placeOf(m) {
  return function(id, x, y) {
    var ll = m.containerPointToLatLng([x, y]), lat = ll.lat, lon = ll.lng, ps = Y.unitPolys[id] || [], i, o;
    for (i = 0; i < ps.length; i++) if (Y.inside(ps[i]._ylGeo, lat, lon)) return 2;
    var ids = Object.keys(Y.unitPolys), own = Infinity, c = Math.cos(lat * Math.PI / 180);
    for (i = 0; i < ps.length; i++) own = Math.min(own, Y.outlineDistance(ps[i]._ylGeo, lat, lon));
    for (var k = 0; k < ids.length; k++) {
      if (ids[k] === id) continue;
      var bb = Y.unitBounds[ids[k]], qs = Y.unitPolys[ids[k]];
      var dy = Math.max(bb[0] - lat, 0, lat - bb[2]), dx = Math.max(bb[1] - lon, 0, lon - bb[3]) * c;
      if (dx * dx + dy * dy > own * own) continue;  // farther than the own unit
      for (o = 0; o < qs.length; o++)
        if (Y.inside(qs[o]._ylGeo, lat, lon) || Y.outlineDistance(qs[o]._ylGeo, lat, lon) <= own) return 0;
    }
    return 1;
  };
}
var Labels = Y.CanvasLayer.extend({
  _pane: 'markerPane',  // drawn over the meeting points, under cards and tooltips
  _redraw: function() {
    var m = this._map, ctx = Y.canvas(this, m), size = m.getSize(), pts = [];
    Y.unitLabelsPainted = 0;
    for (var k = 0; k < U.ids.length; k++) {
      var p = m.latLngToContainerPoint(U.at[k]);
      if (p.x > -30 && p.y > -10 && p.x < size.x + 30 && p.y < size.y + 10) pts.push([k, p]);
    }
    Y.unitLabelsAt = {}; Y.unitLabelBoxes = {}; Y.unitLabelsLeftOut = [];
    if (pts.length > 60) return;
    ctx.font = 'bold 13px sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(255,255,255,0.9)'; ctx.fillStyle = '#222';
    var covers = Y.controlRects(m), painted = 0, placed = [], hits = discs(m), near = m.getZoom() >= Y.idsAmongDots;
    var where = placeOf(m);
    pts.forEach(function(q) {
      // the unit's first place, its second, its first moved in from the map's edge just far enough to be read
      // whole, then (from zoom 15) spots just around each of these (above, below, beside, the diagonals): the
      // first of them clear of the controls, the ids drawn before and the dots and meeting points, and (but for
      // the two places, which lie inside the unit) not over a neighbouring unit, where it would name the wrong one;
      // with none clear the id is left out (the unit is still found by a tap or the search box)
      var id = U.ids[q[0]], w = ctx.measureText(id).width / 2 + 3, a = q[1];
      var b = U.alt && U.alt[q[0]] ? m.latLngToContainerPoint(U.alt[q[0]]) : null;
      var edge = {x: Math.min(Math.max(a.x, w), size.x - w), y: Math.min(Math.max(a.y, 9), size.y - 9)};
      var off = [[0, -17], [0, 17], [-w - 9, 0], [w + 9, 0], [-w - 5, -15], [w + 5, -15], [-w - 5, 15], [w + 5, 15],
                 [0, -28], [0, 28]];
      var bases = [a, b, edge].filter(Boolean), cands = bases.map(function(c) { return [c.x, c.y]; }), spot = null;
      // zoomed out below 15, where the dots are specks of 1.5–2.5 px that fill whole small units: only the places
      // themselves (a spot beside one could lie in the next unit), and an id none of them is clear of the dots for
      // goes to the first clear of the rest rather than being left out
      if (near) bases.forEach(function(c) { off.forEach(function(d) { cands.push([c.x + d[0], c.y + d[1]]); }); });
      // a spot moved off the two places is taken inside the unit's own territory, or failing that outside every
      // territory where the unit is the nearest (placeOf)
      var places = b ? 2 : 1;
      for (var pass = 0; pass < (near ? 1 : 2) && !spot; pass++) {
        var beside = null;
        for (var i = 0; i < (pass ? bases.length : cands.length) && !spot; i++) {
          var x = cands[i][0], y = cands[i][1], box = [x - w, y - 9, x + w, y + 9];
          if (box[0] >= 0 && box[1] >= 0 && box[2] <= size.x && box[3] <= size.y && !covered(box, covers) &&
              !covered(box, placed) && (pass || !hits(box))) {
            var at = i < places ? 2 : where(id, x, y);
            if (at === 2) spot = {x: x, y: y, box: box};
            else if (at === 1 && !beside) beside = {x: x, y: y, box: box};
          }
        }
        spot = spot || beside;
      }
      if (!spot) { Y.unitLabelsLeftOut.push(id); return; }
      ctx.strokeText(id, spot.x, spot.y); ctx.fillText(id, spot.x, spot.y);
      Y.unitLabelsAt[id] = [Math.round(spot.x), Math.round(spot.y)];
      placed.push(spot.box);
      Y.unitLabelBoxes[id] = spot.box;
      painted++;
    });
    Y.unitLabelsPainted = painted;
  }
});
Y.unitLabels = new Labels();
parent.addLayer(Y.unitLabels);
Y.unitLabelPlaces = {ids: U.ids, at: U.at, alt: U.alt || []};  // where each unit's id goes: first, second place
