// Yuanluo map page: unit territories with tooltips. Runs as (function(parent, map) { ... }) after `var U = <JSON>;` (yuanluo.maps.interactive).
var Y = window.yuanluo, geo = Y.unpack(U.g), ci = Y.ints(U.ci), bad = Y.ints(U.bad), F = {};
U.fields.forEach(function(k) { F[k] = Y.col(U.f[k]); });
Y.unitBounds = Y.unitBounds || {};
for (var i = 0; i < geo.length; i++) {
  var b = bad[i], base = {fillColor: U.pal[ci[i]], fillOpacity: 0.25, color: b ? Y.K.exc : '#444',
                          weight: b ? 3 : 1, dashArray: b ? '6 4' : null, smoothFactor: 0.5};
  var poly = L.polygon(geo[i], base);
  poly._yl = i; poly._ylBase = base;
  parent.addLayer(poly);
  var bb = poly.getBounds();
  Y.unitBounds[F.unit_id[i]] = [bb.getSouth(), bb.getWest(), bb.getNorth(), bb.getEast()];
}
parent.bindTooltip(function(l) {
  return Y.table(U.fields.map(function(k, j) { var v = F[k][l._yl]; return [U.labels[j], v === null ? '' : v]; }));
}, {sticky: true});
Y.unitLayer = parent;
parent.on('mouseover', function(e) { e.layer.setStyle({weight: 3, fillOpacity: 0.4}); });
parent.on('mouseout', function(e) { e.layer.setStyle(e.layer._ylBase); });
