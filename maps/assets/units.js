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
// unit ids on a canvas, drawn once at most 60 of them are in view (so they never pile up)
function controlRects(m) {  // the map's controls, stamp and title, in the map's own pixels
  var box = m.getContainer().getBoundingClientRect(), out = [];
  var els = document.querySelectorAll('.leaflet-control, .yl-stamp, .yl-title');
  for (var i = 0; i < els.length; i++) {
    var r = els[i].getBoundingClientRect();
    if (r.width && r.height) out.push([r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top]);
  }
  return out;
}
function covered(p, w, covers) {  // a label centred at p, half as wide as w, under a control
  for (var i = 0; i < covers.length; i++) {
    var c = covers[i];
    if (p.x + w > c[0] && p.x - w < c[2] && p.y + 9 > c[1] && p.y - 9 < c[3]) return true;
  }
  return false;
}
function hidden(p, w, covers, size) {  // ... or partly off the map
  return p.x - w < 0 || p.x + w > size.x || p.y - 9 < 0 || p.y + 9 > size.y || covered(p, w, covers);
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
    Y.unitLabelsAt = {};
    if (pts.length > 60) return;
    ctx.font = 'bold 13px sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(255,255,255,0.9)'; ctx.fillStyle = '#222';
    var covers = controlRects(m), painted = 0, placed = [];
    Y.unitLabelBoxes = {};
    pts.forEach(function(q) {
      // a label a control (search box, buttons, legend), the title or an id drawn before would hide goes to the
      // unit's second place, if that is clear; with none clear it is left out rather than drawn over the other
      var w = ctx.measureText(U.ids[q[0]]).width / 2 + 3, p = q[1];
      var clear = function(x) { return !hidden(x, w, covers, size) && !covered(x, w, placed); };
      if (!clear(p)) {
        var p2 = U.alt && U.alt[q[0]] ? m.latLngToContainerPoint(U.alt[q[0]]) : null;
        if (p2 && clear(p2)) p = p2;
        else {  // partly off the map: moved in just far enough to be read whole, unless something is there
          p = {x: Math.min(Math.max(p.x, w), size.x - w), y: Math.min(Math.max(p.y, 9), size.y - 9)};
          if (covered(p, w, covers) || covered(p, w, placed)) return;
        }
      }
      ctx.strokeText(U.ids[q[0]], p.x, p.y); ctx.fillText(U.ids[q[0]], p.x, p.y);
      Y.unitLabelsAt[U.ids[q[0]]] = [Math.round(p.x), Math.round(p.y)];
      placed.push([p.x - w, p.y - 9, p.x + w, p.y + 9]);
      Y.unitLabelBoxes[U.ids[q[0]]] = placed[placed.length - 1];
      painted++;
    });
    Y.unitLabelsPainted = painted;
  }
});
parent.addLayer(new Labels());
Y.unitLabelPlaces = {ids: U.ids, at: U.at, alt: U.alt || []};  // where each unit's id goes: first, second place
