// Yuanluo map page: meeting points on a canvas. Runs as (function(parent, map) { ... }) after `var M = <JSON>;` (yuanluo.maps.interactive).
var Y = window.yuanluo, mu = Y.ints(M.u), mh = Y.col(M.hid), mn = mu.length;
var mlat = new Float64Array(mn), mlon = new Float64Array(mn), y = 0, x = 0;
for (var i = 0; i < mn; i++) { y += M.d[2 * i]; x += M.d[2 * i + 1]; mlat[i] = M.lat0 + y * M.q; mlon[i] = M.lon0 + x * M.q; }
Y.meetingOf = new Map();
for (i = 0; i < mn; i++) if (mh[i] !== null) Y.meetingOf.set(String(mh[i]), M.units[mu[i]]);
// the meeting points map m draws in its view: screen positions and the disc's radius; null when the view shows none.
// The unit ids (units.js) are placed clear of them.
Y.meetingDots = function(m) {
  if (Y.detail && !Y.detail(m)) return null;
  var size = m.getSize(), r = m.getZoom() >= 15 ? 7 : 5, sx = [], sy = [];
  for (var k = 0; k < mn; k++) {
    var p = m.latLngToContainerPoint([mlat[k], mlon[k]]);
    if (p.x < -r || p.y < -r || p.x > size.x + r || p.y > size.y + r) continue;
    sx.push(p.x); sy.push(p.y);
  }
  return {sx: sx, sy: sy, r: r};
};
var Meet = Y.CanvasLayer.extend({
  _redraw: function() {
    var m = this._map, ctx = Y.canvas(this, m), on = Y.meetingDots(m);
    Y.meetingPainted = 0;
    if (!on) return;
    ctx.beginPath();
    for (var k = 0; k < on.sx.length; k++) { ctx.moveTo(on.sx[k] + on.r, on.sy[k]); ctx.arc(on.sx[k], on.sy[k], on.r, 0, 6.2832); }
    ctx.fillStyle = Y.K.meeting; ctx.fill(); ctx.lineWidth = 2; ctx.strokeStyle = '#ffffff'; ctx.stroke();
    Y.meetingPainted = on.sx.length;
  }
});
parent.addLayer(new Meet());
if (Y.unitLabels && Y.unitLabels._map) Y.unitLabels._redraw();  // the unit ids placed again, clear of these
