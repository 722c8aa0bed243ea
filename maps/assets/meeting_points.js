// Yuanluo map page: meeting points on a canvas. Runs as (function(parent, map) { ... }) after `var M = <JSON>;` (yuanluo.maps.interactive).
var Y = window.yuanluo, mu = Y.ints(M.u), mh = Y.col(M.hid), mn = mu.length;
var mlat = new Float64Array(mn), mlon = new Float64Array(mn), y = 0, x = 0;
for (var i = 0; i < mn; i++) { y += M.d[2 * i]; x += M.d[2 * i + 1]; mlat[i] = M.lat0 + y * M.q; mlon[i] = M.lon0 + x * M.q; }
Y.meetingOf = new Map();
for (i = 0; i < mn; i++) if (mh[i] !== null) Y.meetingOf.set(String(mh[i]), M.units[mu[i]]);
var Meet = Y.CanvasLayer.extend({
  _redraw: function() {
    var m = this._map, ctx = Y.canvas(this, m);
    Y.meetingPainted = 0;
    if (Y.detail && !Y.detail(m)) return;
    var size = m.getSize(), r = m.getZoom() >= 15 ? 7 : 5, t = 0;
    ctx.beginPath();
    for (var k = 0; k < mn; k++) {
      var p = m.latLngToContainerPoint([mlat[k], mlon[k]]);
      if (p.x < -r || p.y < -r || p.x > size.x + r || p.y > size.y + r) continue;
      ctx.moveTo(p.x + r, p.y); ctx.arc(p.x, p.y, r, 0, 6.2832); t++;
    }
    ctx.fillStyle = Y.K.meeting; ctx.fill(); ctx.lineWidth = 2; ctx.strokeStyle = '#ffffff'; ctx.stroke();
    Y.meetingPainted = t;
  }
});
parent.addLayer(new Meet());
