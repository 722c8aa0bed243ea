// Yuanluo plan editor, the page: map, tap and lasso selection (pointer events, mouse and touch), toolbar, unit card,
// violations panel, CSV export (Blob download + copy-as-text box), CSV load (FileReader), best-effort autosave.
(function() {
'use strict';
var Y = window.yuanluo, E = Y.editor, P = Y.editorPage, D = P.D, T = D.t, el = P.el, fmt = P.fmt, button = P.button;
var n = P.n, lat = P.lat, lon = P.lon, ids = P.ids, selected = P.selected, i;
var colour = E.colour;  // neighbouring units differ (editor.js)

// ------------------------------------------------------------------------------------------------ layout
document.title = T.title;
var root = el('div', 'yl-ed'), mapDiv = el('div', 'yl-ed-map'), side = el('div', 'yl-ed-side');
mapDiv.id = 'yl-ed-map';
root.appendChild(mapDiv); root.appendChild(side); document.body.appendChild(root);
// the reply to a tap while the panel is scrolled past the line that says it (.yl-ed-info): over the foot of the map,
// above its data credit (a map control, placed below), where it covers no search box, button or line of the panel
// and moves nothing; a tap on it or anywhere else, or 6 s, puts it away
var toast = el('div', 'yl-ed-toast'), toastText = el('span', 'yl-ed-toast-text'), toastTimer = null;
toast.setAttribute('role', 'status');
var toastClose = el('button', 'yl-ed-toast-x', '\u00d7');
toastClose.type = 'button'; toastClose.title = T['btn.close']; toastClose.setAttribute('aria-label', T['btn.close']);
toast.appendChild(toastText); toast.appendChild(toastClose);
function hideToast() { clearTimeout(toastTimer); toastTimer = null; toast.classList.remove('on'); }
toast.addEventListener('click', hideToast);
document.addEventListener('pointerdown', function(ev) { if (!toast.contains(ev.target)) hideToast(); }, true);
var find = el('form', 'yl-ed-find'), bar = el('div', 'yl-ed-bar'), info = el('div', 'yl-ed-info'),
    card = el('div', 'yl-ed-card'), panel = el('div', 'yl-ed-panel'), io = el('div', 'yl-ed-io');
[find, bar, info, card, panel, io].forEach(function(x) { side.appendChild(x); });

var map = L.map(mapDiv, {preferCanvas: true, zoomControl: true, attributionControl: !!D.credit});
// the zoom buttons' titles and accessible names in the page's language (as the map page sets them)
[['.leaflet-control-zoom-in', D.zoom['in']], ['.leaflet-control-zoom-out', D.zoom.out]].forEach(function(z) {
  var b = map.getContainer().querySelector(z[0]);
  if (b) { b.title = z[1]; b.setAttribute('aria-label', z[1]); }
});
var stamp = el('div', 'yl-ed-stamp', T.stamp);
mapDiv.appendChild(stamp);  // as every map of a plan: 内部工作用图
var ToastBox = L.Control.extend({options: {position: 'bottomright'}, onAdd: function() { return toast; }});
new ToastBox().addTo(map);  // added after the credit: Leaflet stacks it above
L.DomEvent.disableClickPropagation(toast); L.DomEvent.disableScrollPropagation(toast);
if (D.credit) {  // escaped by the page; whole lines, three at most, a longer one shown whole by a tap (Y.foldCredit)
  map.attributionControl.setPrefix('Leaflet'); map.attributionControl.addAttribution(D.credit);
  Y.foldCredit(map);
}
// the hillshade of the DEM the plan is judged over, as the field map draws it (a data: image, which the page's
// img-src allows), in a pane of its own under every line and household and taking no tap
if (D.shade) {
  var shadePane = map.createPane('yl-shade');
  shadePane.style.zIndex = 250; shadePane.style.pointerEvents = 'none';
  L.imageOverlay(D.shade.url, D.shade.b, {pane: 'yl-shade', opacity: D.shade.opacity, interactive: false}).addTo(map);
}
var proj = L.Projection.SphericalMercator, mx = new Float64Array(n), my = new Float64Array(n);
for (i = 0; i < n; i++) { var pp = proj.project(L.latLng(lat[i], lon[i])); mx[i] = pp.x; my[i] = pp.y; }
var grid = new Y.Grid(mx, my);
var ctxStyle = {boundary: {color: '#555', weight: 1.5, dashArray: '6 4', fill: false},
                water: {color: '#3a7bd5', weight: 1, fillColor: '#9cc3f0'}, rivers: {color: '#3a7bd5', weight: 2},
                roads: {color: '#999', weight: 1.2}};
Object.keys(D.context).forEach(function(key) {
  var C = D.context[key], st = ctxStyle[key] || {color: '#888', weight: 1};
  if (C.lines.d.length) L.polyline(Y.unpack(C.lines), L.extend({interactive: false}, st)).addTo(map);
  if (C.polygons.d.length) L.polygon(Y.unpack(C.polygons), L.extend({interactive: false, fillOpacity: 0.35}, st)).addTo(map);
});
// the territories of the plan as loaded, one dashed outline per unit; a unit's outline is hidden while its
// households differ from the plan as loaded (it no longer says where the unit is) and shown again when undone
function memberKey(u) {
  var s = P.members.get(u);
  return s ? Array.from(s).sort(function(a, b) { return a - b; }).join(',') : '';
}
var outlines = [];
if (D.territories) {
  var polys = Y.unpack(D.territories.p);
  D.territories.ids.forEach(function(u, j) {
    var layer = L.polygon(polys[j], {interactive: false, color: '#444', weight: 1, opacity: 0.5, fill: false,
                                     dashArray: '3 3'}).addTo(map);
    outlines.push({unit: u, layer: layer, key: memberKey(u), shown: true});
  });
}
function showOutlines() {
  var hidden = 0;
  outlines.forEach(function(o) {
    var same = memberKey(o.unit) === o.key;
    if (same !== o.shown) { o.shown = same; if (same) o.layer.addTo(map); else map.removeLayer(o.layer); }
    if (!same) hidden++;
  });
  return {shown: outlines.length - hidden, hidden: hidden};
}
function bounds(hs) {
  var b = L.latLngBounds([]);
  hs.forEach(function(h) { b.extend([lat[h], lon[h]]); });
  return b;
}
var all = []; for (i = 0; i < n; i++) all.push(i);
// bounds b framed in the part of the map no control covers (the zoom and GPS buttons and the GPS message, the stamp,
// the data credit), FRAME_MARGIN px inside it, as the field map frames (yuanluo.js Y.clearPadding: the clear
// rectangle showing them at the highest zoom, up to maxZoom). A fixed margin of 36 px at the foot left the households
// at the bottom of the first view and of a unit under a data credit of two lines on a 360 px screen. frameMargin: the
// padding used last (for tests)
var FRAME_MARGIN = 16, frameMargin = {topLeft: [FRAME_MARGIN, FRAME_MARGIN], bottomRight: [FRAME_MARGIN, FRAME_MARGIN]};
// what a frame keeps clear of, in the map's pixels: the controls (the toast and the GPS message among them, when shown)
// and the stamp
function covers() {
  var box = map.getContainer().getBoundingClientRect(), c = Y.controlRects(map, false), r = stamp.getBoundingClientRect();
  if (r.width) c.push([r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top]);
  return c;
}
// said: the toast standing is the reply to what is framed (a search says what it found first): kept, and kept clear of;
// otherwise it is a reply to the last tap and goes, the frame being a new one's
function fitClear(b, maxZoom, said) {
  if (!said) hideToast();
  var o = Y.clearPadding(map, b, maxZoom, covers(), FRAME_MARGIN);
  frameMargin.topLeft = o.tl; frameMargin.bottomRight = o.br;
  map.fitBounds(b, {maxZoom: maxZoom, animate: false, paddingTopLeft: o.tl, paddingBottomRight: o.br});
}
// the first view: every household (framed again by editor_gps.js once its button is on the map)
function frameAll() { fitClear(bounds(all)); }
frameAll();
// a unit's households framed: the bounds of all its pieces (a unit across a river, an exception unit's islands), as
// for a unit in one piece, clear of the controls (fitClear), at most zoom 18. (A margin in proportion to the unit, as
// before, grew with the distance between its pieces: snapped to a whole zoom, a unit of pieces 1 km apart had 3 km.)
function frameUnit(hs) { fitClear(bounds(hs), 18); }
// a household found: at zoom 17 (or nearer, as the map stands), at the spot of the map nearest its middle that lies
// SPOT_CLEAR px or more from every control, the message under the GPS button, the toast, the stamp and the credit
// (Y.clearSpot). In the middle of the map the GPS message covered it (session 46); in the middle of the clear rectangle
// with the most room (fitClear on its point) it stood 30 px from the map's middle with nothing over that, 169 px with
// the GPS message at 360 x 640, and the toast said after it could stand over it
var SPOT_CLEAR = 40;  // the selection ring (10 px at zoom 17) and 30 px about it
function showPoint(ll, zoom, said) {
  if (!said) hideToast();
  map.setView(ll, Math.max(map.getZoom(), zoom), {animate: false});
  var size = map.getSize(), s = Y.clearSpot(size, covers(), SPOT_CLEAR, size.x / 2, size.y / 2),
      p = map.latLngToContainerPoint(ll);
  map.panBy([p.x - s.x, p.y - s.y], {animate: false});
}

// the screen's px² each meeting-point triangle needs (about 30 x 30 px) for the triangles to be drawn: fewer than
// that and they would bury the households (Dots)
var MARK_AREA = 900;
// households on one canvas: fill = unit colour, white = unassigned; ring = selected; square outline = locked unit
var Dots = Y.CanvasLayer.extend({
  _redraw: function() {
    var m = this._map, ctx = Y.canvas(this, m), z = m.getZoom();
    var r = z >= 17 ? 7 : z >= 15 ? 5 : z >= 13 ? 3 : 2, v = Y.view(m, r + 4), vis = [], sx = [], sy = [];
    grid.visit(v.x0, v.y0, v.x1, v.y1, function(h) {
      vis.push(h); sx.push(v.rx + (mx[h] - v.px) * v.s); sy.push(v.ry - (my[h] - v.py) * v.s);
    });
    var by = {}, k;
    for (k = 0; k < vis.length; k++) { var c = colour(P.unitOf[vis[k]]); (by[c] = by[c] || []).push(k); }
    ctx.lineWidth = 0.8; ctx.strokeStyle = '#222';
    Object.keys(by).sort().forEach(function(c) {
      ctx.beginPath();
      by[c].forEach(function(t) { ctx.moveTo(sx[t] + r, sy[t]); ctx.arc(sx[t], sy[t], r, 0, 6.2832); });
      ctx.fillStyle = c; ctx.fill(); if (r > 2) ctx.stroke();
    });
    ctx.beginPath();
    for (k = 0; k < vis.length; k++) if (P.locked.has(P.unitOf[vis[k]])) ctx.rect(sx[k] - r - 2, sy[k] - r - 2, 2 * r + 4, 2 * r + 4);
    ctx.lineWidth = 1.5; ctx.strokeStyle = '#333'; ctx.stroke();
    ctx.beginPath();
    for (k = 0; k < vis.length; k++) if (selected.has(vis[k])) { ctx.moveTo(sx[k] + r + 3, sy[k]); ctx.arc(sx[k], sy[k], r + 3, 0, 6.2832); }
    ctx.lineWidth = 3; ctx.strokeStyle = '#ff00aa'; ctx.stroke();
    // over them, each unit's meeting point: a dark triangle; a unit without one, its centre (as the check measures the walk to
    // it): a white triangle. Drawn only while the screen has MARK_AREA px² for each one in view (as the map page hides its
    // points by the room on screen): a town seen whole shows its households, not a blanket of triangles; else only the
    // points of the selected households' units
    var onScreen = new Map();
    for (k = 0; k < vis.length; k++) onScreen.set(vis[k], k);
    var tri = [[], []], a = 1.2 * r + 3, inView = [];
    E.units().forEach(function(u) {
      var mp = E.meetingPoint(u), t = mp ? onScreen.get(P.idx.get(mp.hid)) : undefined;
      if (t !== undefined) inView.push([t, mp.centre ? 1 : 0, u]);
    });
    var room = inView.length * MARK_AREA <= v.size.x * v.size.y, chosen = new Set();
    if (!room) selected.forEach(function(h) { if (P.unitOf[h] !== null) chosen.add(P.unitOf[h]); });
    inView.forEach(function(q) { if (room || chosen.has(q[2])) tri[q[1]].push(q[0]); });
    tri.forEach(function(ts, centre) {
      ctx.beginPath();
      ts.forEach(function(t) {
        ctx.moveTo(sx[t], sy[t] - a); ctx.lineTo(sx[t] + a * 0.9, sy[t] + a * 0.6); ctx.lineTo(sx[t] - a * 0.9, sy[t] + a * 0.6);
        ctx.closePath();
      });
      ctx.fillStyle = centre ? '#ffffff' : '#222'; ctx.fill();
      ctx.lineWidth = r > 2 ? 2 : 1.2; ctx.strokeStyle = centre ? '#222' : '#ffffff'; ctx.stroke();
    });
    this._marks = {given: tri[0].length, centres: tri[1].length, hidden: inView.length - tri[0].length - tri[1].length};
    this._vis = vis; this._sx = sx; this._sy = sy;
  },
  _click: function(e) {
    if (lassoOn || !this._vis) return;
    var p = e.containerPoint, best = -1, bd = 22 * 22;
    for (var k = 0; k < this._vis.length; k++) {
      var dx = this._sx[k] - p.x, dy = this._sy[k] - p.y, d = dx * dx + dy * dy;
      if (d < bd) { bd = d; best = this._vis[k]; }
    }
    if (best < 0) { P.select([], false); return; }
    tap(best, e.originalEvent && (e.originalEvent.shiftKey || e.originalEvent.ctrlKey));
  }
});
var dots = new Dots().addTo(map);
// a tap on household h: it and every household at its point (a building's households share one; the card lists
// them, to keep all or one); tapped again, its whole unit
var stack = null;
function tap(h, add) {
  var here = P.atPoint(h);
  if (!add && selected.size === here.length && here.every(function(x) { return selected.has(x); })) {
    stack = null;
    P.select(P.unitOf[h] !== null ? Array.from(P.members.get(P.unitOf[h])) : here, false);
    return;
  }
  stack = here.length > 1 ? here : null;
  P.select(here, add);
}

// ------------------------------------------------------------------------------------------------ lasso
var lassoOn = false, overlay = el('canvas', 'yl-ed-lasso'), path = null;
mapDiv.appendChild(overlay);
function inside(x, y, poly) {
  var c = false;
  for (var a = 0, b = poly.length - 1; a < poly.length; b = a++) {
    if ((poly[a][1] > y) !== (poly[b][1] > y) &&
        x < (poly[b][0] - poly[a][0]) * (y - poly[a][1]) / (poly[b][1] - poly[a][1]) + poly[a][0]) c = !c;
  }
  return c;
}
function drawLasso() {
  var g = overlay.getContext('2d');
  g.clearRect(0, 0, overlay.width, overlay.height);
  if (!path || path.length < 2) return;
  g.beginPath(); g.moveTo(path[0][0], path[0][1]);
  path.forEach(function(q) { g.lineTo(q[0], q[1]); });
  g.closePath(); g.fillStyle = 'rgba(255,0,170,0.12)'; g.fill();
  g.lineWidth = 2; g.strokeStyle = '#ff00aa'; g.stroke();
}
function setLasso(on) {
  lassoOn = on;
  overlay.style.display = on ? 'block' : 'none';
  if (on) { overlay.width = mapDiv.clientWidth; overlay.height = mapDiv.clientHeight; map.dragging.disable(); }
  else map.dragging.enable();
  lassoBtn.classList.toggle('on', on);
  lassoBtn.setAttribute('aria-pressed', on ? 'true' : 'false');
}
function local(e) { var b = overlay.getBoundingClientRect(); return [e.clientX - b.left, e.clientY - b.top]; }
overlay.addEventListener('pointerdown', function(e) {
  path = [local(e)];
  try { overlay.setPointerCapture(e.pointerId); } catch (err) { /* capture is optional */ }
  e.preventDefault();
});
overlay.addEventListener('pointermove', function(e) { if (path) { path.push(local(e)); drawLasso(); e.preventDefault(); } });
function endLasso(e) {
  if (!path) return;
  var poly = path, hs = [];
  path = null; drawLasso();
  if (poly.length < 3) return;
  for (var h = 0; h < n; h++) {
    var c = map.latLngToContainerPoint([lat[h], lon[h]]);
    if (inside(c.x, c.y, poly)) hs.push(h);
  }
  P.select(hs, e && (e.shiftKey || e.ctrlKey));
}
overlay.addEventListener('pointerup', endLasso);
overlay.addEventListener('pointercancel', endLasso);

// ------------------------------------------------------------------------------------------------ toolbar
function selIds() { return Array.from(selected).map(function(h) { return ids[h]; }); }
var target = el('select', 'yl-ed-target');
target.setAttribute('aria-label', T['target']);
function note(msg) {
  info.textContent = msg;
  unfold();
  hideToast();
  if (!msg) return;
  // said there while the panel is not scrolled past its top (a line below the fold, under the restore offer, is
  // below the buttons the user taps: not a reply to them), nor under the toolbar standing at the panel's top (whyInView)
  // or soon to be: a card newly saying why its unit is not ok is scrolled in under the toolbar (whyInView)
  var top = getComputedStyle(bar).position === 'sticky' ? bar.getBoundingClientRect().bottom : side.getBoundingClientRect().top;
  var coming = root.classList.contains('yl-ed-why') && whyOf() !== whyUnit;
  if (!coming && info.getBoundingClientRect().top >= top - 1) return;
  toastText.textContent = msg; toast.classList.add('on');
  toastTimer = setTimeout(hideToast, 6000);
}
// the page's opening lines (what it holds, the rules, what the marks mean, the rules it cannot check) on a phone: two
// lines ending in an ellipsis, a tap shows them whole and folds them again (yl-ed-fold, editor.css). Whole they took
// 218 of the panel's 287 px at 360 x 640, the findings' count below the fold; the next message is said whole
function foldIntro() {
  info.classList.add('yl-ed-fold');
  info.addEventListener('click', flipIntro);
  info.addEventListener('keydown', function(ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); flipIntro(); } });
  markIntro();
  window.addEventListener('resize', markIntro);
}
function flipIntro() {
  if (!info.classList.contains('yl-ed-fold')) return;
  info.classList.toggle('yl-ed-open');
  markIntro();
}
// a button only where the lines are cut short (a phone) or shown whole by a tap
function markIntro() {
  var on = info.classList.contains('yl-ed-fold'), open = info.classList.contains('yl-ed-open');
  if (on && (open || info.scrollHeight > info.clientHeight + 1)) {
    info.setAttribute('role', 'button'); info.tabIndex = 0; info.setAttribute('aria-expanded', open ? 'true' : 'false');
  } else { info.removeAttribute('role'); info.removeAttribute('tabindex'); info.removeAttribute('aria-expanded'); }
}
function unfold() {
  info.classList.remove('yl-ed-fold', 'yl-ed-open');
  markIntro();
}
// a successful action: the last refusal or load message goes, a move says what it did
function done(msg) { note(msg || ''); }
// an edit refused: the locked units it would change named (the target, a unit a household would leave)
function refused(units) {
  note(units.length === 1 ? fmt(T['msg.locked'], {unit: units[0]}) : fmt(T['msg.locked_many'], {units: units.join(T['list.sep'])}));
}
// what an edit leaves the units it changed breaking, said after its reply, as their cards' status says it (on a
// phone the findings are below the fold): each that breaks a rule now with the rules it breaks, and each that broke
// one before and none now; nothing where none broke one before or after. before: errorsOf(units) taken before it
function errorsOf(units) {
  var m = new Map();
  units.forEach(function(u) { if (u !== null) { var st = P.status(u); m.set(u, st ? st.codes.length : 0); } });
  return m;
}
var VERDICT_UNITS = 4;  // the units breaking a rule named at most; the others counted
function verdict(before) {
  var bad = [], mended = [];
  Array.from(before.keys()).sort(E.unitOrder).forEach(function(u) {
    var st = P.status(u);
    if (!st) return;  // gone (merged, emptied)
    var codes = Array.from(new Set(st.codes));
    if (codes.length) bad.push(fmt(T['msg.unit_codes'], {unit: u, codes: codes.map(codeText).join(T['list.sep'])}));
    else if (before.get(u)) mended.push(u);
  });
  var parts = [];
  if (bad.length) {
    var list = bad.slice(0, VERDICT_UNITS).join(T['msg.unit_sep']);
    if (bad.length > VERDICT_UNITS) list += fmt(T['msg.more_units'], {n: bad.length - VERDICT_UNITS});
    parts.push(fmt(T['msg.now_bad'], {list: list}));
  }
  if (mended.length) {
    parts.push(fmt(T['msg.now_ok'], {units: mended.join(T['list.sep'])}));
  }
  return parts.map(function(x) { return (D.lang === 'en' ? ' ' : '') + x; }).join('');
}
// households hs (ids) moved to unit to (null: to no unit), said as done with the number that changed unit (not those
// in it already); refused naming the locked units; a move changing nothing (a second tap on 移入) said so: it was
// refused as if a unit were locked
function moveSel(hs, to) {
  var lk = E.lockedIn(hs, to);
  if (lk.length) { refused(lk); return; }
  var k = hs.filter(function(h) { return P.unitOf[P.idx.get(h)] !== to; }).length,
      before = errorsOf([to].concat(hs.map(function(h) { return P.unitOf[P.idx.get(h)]; })));
  if (!k || !E.assign(hs, to)) {
    note(to === null ? fmt(T['msg.already_none'], {n: hs.length}) : fmt(T['msg.already_in'], {n: hs.length, unit: to}));
    return;
  }
  done((to === null ? fmt(T['msg.unassigned'], {n: k}) : fmt(T['msg.moved'], {n: k, unit: to})) + verdict(before));
}
var lassoBtn = button(T['btn.lasso'], function() { setLasso(!lassoOn); });
var moveBtn = button(T['btn.move'], function() {
  var hs = selIds(), t = target.value;
  if (!hs.length) { note(T['msg.select_first']); return; }
  moveSel(hs, t === '\u0000new' ? E.newUnitId() : t === '\u0000none' ? null : t);
});
var newBtn = button(T['btn.new_unit'], function() {
  var hs = selIds();
  if (!hs.length) { note(T['msg.select_first']); return; }
  moveSel(hs, E.newUnitId());
});
var noneBtn = button(T['btn.unassign'], function() {
  var hs = selIds();
  if (!hs.length) { note(T['msg.select_first']); return; }
  moveSel(hs, null);
});
// what was undone (redone) said, as the action itself was (the line was left empty: nothing said what came back)
function whatSaid(w) {
  var parts = [];
  if (w.moved) parts.push(w.to === null ? fmt(T['did.unassign'], {n: w.moved})
                          : w.to === undefined ? fmt(T['did.moves'], {n: w.moved}) : fmt(T['did.move'], {n: w.moved, unit: w.to}));
  if (w.locks.length === 1) parts.push(fmt(T[w.locks[0][1] ? 'did.lock' : 'did.unlock'], {unit: w.locks[0][0]}));
  else if (w.locks.length) parts.push(fmt(T['did.locks'], {n: w.locks.length}));
  if (w.meets.length === 1) parts.push(fmt(T['did.meeting'], {unit: w.meets[0]}));
  else if (w.meets.length) parts.push(fmt(T['did.meetings'], {n: w.meets.length}));
  return parts.join(T['list.sep']);
}
var undoBtn = button(T['btn.undo'], function() {
  var before = errorsOf(E.nextUnits(false)), w = E.undo();
  if (w) done(fmt(T['msg.undone'], {what: whatSaid(w)}) + verdict(before));
});
var redoBtn = button(T['btn.redo'], function() {
  var before = errorsOf(E.nextUnits(true)), w = E.redo();
  if (w) done(fmt(T['msg.redone'], {what: whatSaid(w)}) + verdict(before));
});
var exportBtn = button(T['btn.export'], function() { showExport(); });
var fileIn = el('input');
fileIn.type = 'file'; fileIn.className = 'yl-ed-file';
fileIn.accept = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
fileIn.setAttribute('aria-label', T['btn.load']);
fileIn.addEventListener('change', function() {
  var f = fileIn.files && fileIn.files[0];
  if (!f) return;
  var rd = new FileReader();
  function said(r) {  // households the file does not list keep their units: said when there are any
    var at = (r.unknownAt || []).map(function(x) { return fmt(T['msg.unknown_id'], x); }).join(T['list.sep']);
    if (at && r.unknown > r.unknownAt.length) at += T['list.sep'] + '…';
    // a refusal (a household given two units, a unit two meeting points) instead of the counts; what the load
    // could not take as it is after them
    // the units whose meeting point or lock the file changed, beside the households it moved
    var also = (r.meets ? fmt(T['msg.loaded_meets'], {n: r.meets}) : '') + (r.locks ? fmt(T['msg.loaded_locks'], {n: r.locks}) : '');
    note(r.refused || [!r.ok ? T['msg.load_bad'] : fmt(T[r.kept ? 'msg.loaded_kept' : 'msg.loaded'],
                                                     {moved: r.moved, unknown: r.unknown, kept: r.kept, also: also,
                                                      ids: at ? fmt(T['msg.unknown_list'], {list: at}) : ''})]
      .concat(r.notes || []).join(D.lang === 'zh' ? '' : ' '));
  }
  rd.onload = function() {
    var bytes = new Uint8Array(rd.result);
    fileIn.value = '';
    if (bytes[0] === 0x50 && bytes[1] === 0x4b) {  // "PK": an Excel workbook (.xlsx), such as delineate --xlsx writes
      E.xlsxSheets(bytes).then(function(sheets) { said(E.loadSheets(sheets, f.name)); },
                               function() { note(T['msg.load_xlsx_bad']); });
    } else {
      said(E.loadCsv(E.decodeCsvBytes(bytes), null, f.name));  // decoded as UTF-8, else GBK (Excel's Chinese CSV)
    }
  };
  rd.readAsArrayBuffer(f);
});
var loadBtn = button(T['btn.load'], function() { fileIn.click(); });
[lassoBtn, target, moveBtn, newBtn, noneBtn, undoBtn, redoBtn, exportBtn, loadBtn, fileIn].forEach(function(b) { bar.appendChild(b); });

// the units next to the selection (of a household joined by the graph to a selected one, the selection's own units
// left out), most such neighbours first: where a household tapped on the map is moved, at the head of the list
// (a town of 335 units listed them all by id, the neighbour's somewhere among them)
// (ties, and every other list of units of the page, in the order a planner reads them: E.unitOrder, E.units())
function nearUnits() {
  var cnt = new Map(), own = new Set();
  selected.forEach(function(h) { own.add(P.unitOf[h]); });
  selected.forEach(function(h) {
    E.neighbours(ids[h]).forEach(function(x) {
      var u = E.unitOf(x);
      if (u !== null && !own.has(u)) cnt.set(u, (cnt.get(u) || 0) + 1);
    });
  });
  return Array.from(cnt.keys()).sort(function(a, b) { return cnt.get(b) - cnt.get(a) || E.unitOrder(a, b); });
}
var targetKey = null;
function fillTargets() {
  var units = E.units(), near = nearUnits(),
      key = units.join('\u0001') + '\u0002' + Array.from(P.locked).sort().join('\u0001') + '\u0002' + near.join('\u0001');
  if (key === targetKey) return;
  targetKey = key;
  var keep = target.value;
  while (target.firstChild) target.removeChild(target.firstChild);
  var frag = document.createDocumentFragment(), nearSet = new Set(near);
  function opt(parent, v, label) { var op = el('option', '', label); op.value = v; parent.appendChild(op); }
  function unitOpt(parent, u) { opt(parent, u, u + (P.locked.has(u) ? T['lock.mark'] : '')); }
  opt(frag, '\u0000new', T['opt.new']); opt(frag, '\u0000none', T['opt.none']);
  if (near.length) {
    var g1 = el('optgroup'), g2 = el('optgroup');
    g1.label = T['opt.near']; g2.label = T['opt.all'];
    near.forEach(function(u) { unitOpt(g1, u); });
    units.forEach(function(u) { if (!nearSet.has(u)) unitOpt(g2, u); });
    frag.appendChild(g1);
    if (g2.firstChild) frag.appendChild(g2);
  } else units.forEach(function(u) { unitOpt(frag, u); });
  target.appendChild(frag);
  if (keep && Array.prototype.some.call(target.options, function(o) { return o.value === keep; })) target.value = keep;
}

// ------------------------------------------------------------------------------------------------ search
var findIn = el('input', 'yl-ed-q');
findIn.type = 'search'; findIn.placeholder = T['find.placeholder']; findIn.setAttribute('aria-label', T['find.placeholder']);
findIn.setAttribute('enterkeyhint', 'search'); findIn.autocomplete = 'off';
var findBtn = el('button', 'yl-btn', T['btn.find']);
findBtn.type = 'submit';
find.appendChild(findIn); find.appendChild(findBtn);
// the villages whose names begin with what was typed, when two or more do (Y.villageChoices, as the map's search
// lists them): a tap on one searches its name; a new search or typing closes the list
var choices = el('div', 'yl-choices yl-ed-choices');
choices.hidden = true;
side.insertBefore(choices, find.nextSibling);
findIn.addEventListener('input', function() { choices.hidden = true; });
// a household: selected (with the others at its point) and zoomed to; a unit: selected whole and framed; a
// village: framed, nothing selected (a tap on a household or unit then edits as before)
function search(q) {
  var f = E.find(q);
  choices.hidden = true;
  if (!f) { note(fmt(T['msg.not_found'], {q: String(q).trim()})); return null; }
  if (f.kind === 'villages') {  // nothing selected, the view left as it is, until one is chosen
    note('');
    Y.villageChoices(choices, T['msg.found_villages'], String(q).trim(), f.names, function(name) {
      findIn.value = name; search(name);
    });
  } else if (f.kind === 'village') {  // each said first, then shown clear of what is said (the toast: note)
    var units = new Set();
    f.hs.forEach(function(h) { if (P.unitOf[h] !== null) units.add(P.unitOf[h]); });
    stack = null; P.select([], false);
    note(fmt(T['msg.found_village'], {village: f.id, n: f.hs.length, units: units.size}));
    fitClear(bounds(f.hs), 17, true);
  } else if (f.kind === 'household') {
    var h = P.idx.get(f.id), here = P.atPoint(h);
    stack = here.length > 1 ? here : null;  // the others at its point listed on the card
    P.select([h], false);
    note(fmt(T[P.unitOf[h] === null ? 'msg.found_household_none' : 'msg.found_household'], {hid: f.id, unit: P.unitOf[h]}));
    showPoint([lat[h], lon[h]], 17, true);
  } else {
    var hs = Array.from(P.members.get(f.id));
    stack = null; P.select(hs, false);
    note(fmt(T['msg.found_unit'], {unit: f.id, n: hs.length}));
    fitClear(bounds(hs), 18, true);
  }
  return f;
}
find.addEventListener('submit', function(e) { e.preventDefault(); search(findIn.value); findIn.blur(); });

// ------------------------------------------------------------------------------------------------ unit card
function codeText(c) { return T['code.' + c] || c; }
// the unit whose card says why it is not ok (yl-ed-why, editor.css), null for none
var whyUnit = null;
// the one unit the households selected are in (null: in none), undefined where they are in several or none is selected
function selectedUnit() {
  var us = new Set();
  selected.forEach(function(h) { us.add(P.unitOf[h]); });
  return us.size === 1 ? us.values().next().value : undefined;
}
// a unit's status (E.status) not ok: breaking a rule, or an exception
function notOk(st) { return st.codes.length > 0 || st.status === 'exception'; }
function showCard() {
  while (card.firstChild) card.removeChild(card.firstChild);
  var u = selectedUnit();
  whyUnit = null;
  // one household tapped: named, so that an official knows which one of a row of dots it is
  var line = el('div', 'yl-ed-sel', selected.size === 1 ? fmt(T['sel.one'], {hid: ids[selected.values().next().value]})
    : fmt(T['sel.count'], {n: selected.size}));
  card.appendChild(line);
  showStack();
  if (u === undefined) return;
  if (u === null) { card.appendChild(el('div', '', T['opt.none'])); return; }
  var st = E.status(u), t = el('table', 'yl-ed-tab');
  function row(a, b) {
    var tr = t.insertRow(), th = el('th', '', a), td;
    tr.appendChild(th); td = tr.insertCell();
    if (b instanceof Node) td.appendChild(b); else td.textContent = String(b);
    return tr;
  }
  function size() {
    row(D.rules.size_by === 'persons' ? T['card.persons'] : T['card.households'], st.size);
    row(T['card.band'], D.rules.min + '–' + D.rules.max);
  }
  // a unit that is not ok (breaking a rule, or an exception) says why first, right under its id, as the field map's
  // card does: on a phone its size and band came first and the reason below the fold
  var bad = notOk(st);
  if (bad) whyUnit = u;
  row(T['card.unit'], u);
  if (!bad) size();
  // the status word (违规 / 例外 / 符合规定, as check says it), a violation's with the rules it breaks: the check
  // map's card names the same state in the same words (interactive._status_words)
  row(T['card.status'], st.codes.length
    ? fmt(T['status.codes'], {status: T['status.violation'], codes: st.codes.map(codeText).join(T['list.sep'])})
    : T[st.status === 'exception' ? 'status.exception' : 'status.ok']);  // an exception unit, as check says
  if (st.warnings.length) row(T['card.warnings'], st.warnings.map(codeText).join(T['list.sep']));
  // the long texts below their label, across the panel (yl-long); the reason's clauses each begin a line
  if (st.reason) row(T['card.reason'], Y.clauseLines(st.why ? reasonText(st.why) : Y.codesWhole(st.reason), D.m['delineate.reason.sep'])).className = 'yl-long';
  if (st.fix) row(T['card.fix'], Y.fixWhole(st.fix)).className = 'yl-long';  // what to do: the console's fix (gis.delineate.reasons.fixes_in)
  if (bad) size();
  if (st.meeting !== null) row(T[st.centre ? 'card.centre' : 'card.meeting'], st.meeting);
  row(T['card.lock'], P.locked.has(u) ? T['lock.on'] : T['lock.off']);
  card.appendChild(t);
  if (st.said.length) {  // what the check says of it, in its words
    var said = el('ul', 'yl-ed-said');
    st.said.forEach(function(x) {
      // each code and option in them on one line (Y.fixWhole), as in the fix row
      var li = el('li', x.warn ? 'yl-ed-warn' : 'yl-ed-err');
      li.appendChild(Y.fixWhole(x.text));
      if (x.fix) li.appendChild(Y.fixWhole(x.fix, el('span', 'yl-ed-fix')));  // where the check's fix says more (one name per group)
      said.appendChild(li);
    });
    card.appendChild(said);
  }
  var acts = el('div', 'yl-ed-acts');
  acts.appendChild(button(T['btn.whole'], function() { P.select(Array.from(P.members.get(u) || []), false); }));
  if (selected.size === 1 && E.canSetMeeting()) {  // the one household selected as its unit's meeting point
    var hid = ids[selected.values().next().value], setBtn = button(T['btn.set_meeting'], function() {
      if (P.locked.has(u)) refused([u]);  // as any other edit of a locked unit
      else { var before = errorsOf([u]); if (E.setMeeting(hid)) done(fmt(T['msg.meeting_set'], {hid: hid, unit: u}) + verdict(before)); }
    });
    setBtn.disabled = st.meeting === hid && !st.centre;  // already its meeting point
    acts.appendChild(setBtn);
  }
  acts.appendChild(button(P.locked.has(u) ? T['btn.unlock'] : T['btn.lock'], function() {
    if (P.locked.has(u) ? E.unlock(u) : E.lock(u)) done();
  }));
  var mergeSel = el('select', 'yl-ed-target');
  mergeSel.setAttribute('aria-label', T['btn.merge']);
  // the units it touches in the graph first, then the others
  var near = E.adjacentUnits(u), nearSet = new Set(near);
  near.concat(E.units().filter(function(o) { return o !== u && !nearSet.has(o); }).slice(0, 50)).forEach(function(o) {
    var op = el('option', '', o); op.value = o; mergeSel.appendChild(op);
  });
  acts.appendChild(mergeSel);
  acts.appendChild(button(T['btn.merge'], function() {
    var b = mergeSel.value, lk = [u, b].filter(function(x) { return P.locked.has(x); }).sort(E.unitOrder);
    var before = errorsOf([u, b]);
    if (lk.length) refused(lk);
    else if (E.merge(u, b)) done(fmt(T['msg.merged'], {from: b, unit: u}) + verdict(before));
  }));
  card.appendChild(acts);
}

// a reason cut around the households it names by id (text and id by turns): each id a button that finds it as the
// search box does (selected, the view on it), an id the page has no household of as text; the punctuation right
// after a button stays on its line (no line begins "，步行" or "、H12"): button and punctuation in one unbroken span
function reasonText(pieces) {
  var f = document.createDocumentFragment(), p = pieces.slice();
  p.forEach(function(s, j) {
    if (!(j % 2 && P.idx.has(s))) { if (s) Y.codesWhole(s, f); return; }  // a code never broken over two lines
    var b = button(s, function() { findIn.value = s; search(s); }, 'yl-ed-idlink'), name = fmt(T['card.show_household'], {hid: s});
    b.title = name; b.setAttribute('aria-label', name);
    var tail = /^[，。、；：！？）」』,.;:!?)]+/.exec(p[j + 1] || '');
    if (!tail) { f.appendChild(b); return; }
    p[j + 1] = p[j + 1].slice(tail[0].length);
    var at = document.createElement('span');
    at.className = 'yl-nobr'; at.appendChild(b); at.appendChild(document.createTextNode(tail[0]));
    f.appendChild(at);
  });
  return f;
}

// the households at the point tapped, while the selection is some of them: each with its unit, to select one
function showStack() {
  if (!stack || !selected.size || !Array.from(selected).every(function(h) { return stack.indexOf(h) >= 0; })) {
    stack = null;
    return;
  }
  var here = stack, box = el('div', 'yl-ed-stack');
  box.appendChild(el('div', 'yl-ed-hint', fmt(T['stack.title'], {n: here.length})));
  if (selected.size !== here.length) box.appendChild(button(fmt(T['stack.all'], {n: here.length}), function() { P.select(here, false); }));
  var list = el('div', 'yl-ed-stack-list');
  here.forEach(function(h) {
    var u = P.unitOf[h], b = button(ids[h] + ' · ' + (u === null ? T['opt.none'] : u), function() { P.select([h], false); },
                                    'yl-ed-one' + (selected.has(h) && selected.size === 1 ? ' on' : ''));
    list.appendChild(b);
  });
  box.appendChild(list);
  card.appendChild(box);
}

// a card newly saying why its unit is not ok, on a phone held upright (the panel below the map): the panel made taller
// (yl-ed-why, editor.css: the map 40 % of the screen), the search box and toolbar kept at its top, and it scrolled so
// that the card begins right under them (at 360 x 640 the card began at 587 px, its status below the screen's foot).
// The map keeps its middle; another card, none, or a wide screen: as it was
function whyInView() {
  whyLayout(whyUnit !== null);
  if (whyUnit !== null) whyScroll();
}
// the map made lower or as it was (its middle kept) as soon as the selection changes, before a search frames what it
// found: framed first, the unit or household found stood under the controls of the lower map
function whyLayout(on) {
  if (root.classList.contains('yl-ed-why') === on) return;
  root.classList.toggle('yl-ed-why', on);
  map.invalidateSize({animate: false});
  if (on) keepSelected();
}
// the households selected kept in sight as the map grows lower (its middle kept: a household tapped in the map's lower
// fifth went under the panel), moved the least, SELECTED_CLEAR px inside the map's edges, where they fit in it
var SELECTED_CLEAR = 24;
function keepSelected() {
  var b = bounds(selected);
  if (!b.isValid()) return;  // none selected
  var size = map.getSize(), p0 = map.latLngToContainerPoint(b.getNorthWest()), p1 = map.latLngToContainerPoint(b.getSouthEast());
  function by(lo, hi, len) {
    var m = SELECTED_CLEAR;
    if (hi - lo > len - 2 * m) return 0;  // wider than the map: left as it stands
    return lo < m ? lo - m : hi > len - m ? hi - (len - m) : 0;
  }
  var dx = by(p0.x, p1.x, size.x), dy = by(p0.y, p1.y, size.y);
  if (dx || dy) map.panBy([dx, dy], {animate: false});
}
// the unit selected, where it is not ok; null otherwise
function whyOf() {
  var u = selectedUnit();
  return u !== null && u !== undefined && notOk(E.status(u)) ? u : null;
}
function whyScroll() {
  if (getComputedStyle(find).position !== 'sticky') return;
  bar.style.top = find.offsetHeight + 'px';
  side.scrollTop += card.getBoundingClientRect().top - bar.getBoundingClientRect().bottom;
}

// ------------------------------------------------------------------------------------------------ violations
function frame(v) {
  var hs = [];
  if (v.unit !== null && P.members.has(v.unit)) hs = Array.from(P.members.get(v.unit));
  else if (v.unit === null) for (var h = 0; h < n; h++) if (P.unitOf[h] === null) hs.push(h);
  if (!hs.length) return;
  var part = v.unit === null ? [] : E.concerned(v.unit, v.code).map(function(h) { return P.idx.get(h); });
  P.select(part.length ? part : hs, false);
  frameUnit(hs);
  refresh();  // the card drawn now, then brought into view with the toolbar above it
  if (root.classList.contains('yl-ed-why')) return whyScroll();  // (the toolbar standing at the panel's top)
  bar.scrollIntoView({block: 'start'});
  if (card.getBoundingClientRect().top > side.getBoundingClientRect().bottom - 80) card.scrollIntoView({block: 'start'});
}
// a finding's sentence (or fix) with each unit and household of the plan it names a link that finds it as the search
// box does (a unit selected whole and framed, a household selected and shown), as the check's map makes its units
// links; each code and option in the rest kept on one line (Y.fixWhole, as the check's map keeps them: HEAD-SHORT
// broke at its hyphen), and the punctuation right after a link on the link's line. The words are split at spaces and
// punctuation, each compared whole with the plan's ids (a full stop ending one: the id without it)
function namesLinked(s) {
  return Y.idsLinked(s, function(id) {
    return P.members.has(id) ? {unit: true} : P.idx.has(id) ? {unit: false} : undefined;
  }, function(id, at) {
    var name = at.unit ? fmt(T['card.show_unit'], {unit: id}) : fmt(T['card.show_household'], {hid: id});
    var b = button(id, function() { findIn.value = id; search(id); }, 'yl-ed-idlink');
    b.title = name; b.setAttribute('aria-label', name);
    return b;
  });
}
var panelKey = null;
function showPanel() {
  var vs = E.violations(), key = JSON.stringify(vs);
  if (key === panelKey) return;
  panelKey = key;
  while (panel.firstChild) panel.removeChild(panel.firstChild);
  var errs = vs.filter(function(v) { return v.severity === 'error'; });
  panel.appendChild(el('h2', '', fmt(T['panel.title'], {n: errs.length, w: vs.length - errs.length})));
  // every error is listed (violations() gives them first); of the warnings after them, the first LIMIT
  var list = el('ul', 'yl-ed-list'), LIMIT = 200, shown = errs.length + Math.min(LIMIT, vs.length - errs.length);
  vs.slice(0, shown).forEach(function(v) {
    var err = v.severity === 'error', li = el('li', err ? 'yl-ed-err' : 'yl-ed-warn');
    var b = button('', function() { frame(v); }, 'yl-ed-v');
    b.appendChild(el('span', 'yl-ed-vh', (v.unit === null ? T['panel.all'] : v.unit) + ' · ' + codeText(v.code)));
    li.appendChild(b);
    // the check's own sentence, and its fix where it says more: the units and households they name links (below
    // the button: no button in a button), a tap beside them in the box frames the finding as its button does
    li.appendChild(el('div', 'yl-ed-vs')).appendChild(namesLinked(v.text));
    if (v.fix) li.appendChild(el('div', 'yl-ed-vs yl-ed-fix')).appendChild(namesLinked(v.fix));
    li.addEventListener('click', function(e) { if (!e.target.closest('button')) frame(v); });
    list.appendChild(li);
  });
  if (vs.length > shown) list.appendChild(el('li', 'yl-ed-more', fmt(T['panel.more'], {n: vs.length - shown})));
  panel.appendChild(list);
}

// ------------------------------------------------------------------------------------------------ export
function download(name, text) {
  try {
    var url = URL.createObjectURL(new Blob(['\ufeff' + text], {type: 'text/csv;charset=utf-8'}));
    var a = el('a'); a.href = url; a.download = name; document.body.appendChild(a); a.click();
    setTimeout(function() { URL.revokeObjectURL(url); a.remove(); }, 1000);
  } catch (err) { note(T['msg.download_blocked']); }
}
// the export box: its download and its text are the plan as it is when used (the text follows every edit)
var exportText = null;
function closeExport() { exportText = null; while (io.firstChild) io.removeChild(io.firstChild); }
function showExport() {
  closeExport();
  var csv = E.exportCsv();
  io.appendChild(button(T['btn.download_plan'], function() { download(T['file.plan'], E.exportCsv()); }));
  io.appendChild(button(T['btn.download_log'], function() { download(T['file.log'], P.logCsv()); }));
  io.appendChild(el('div', 'yl-ed-hint', T['export.copy']));
  var ta = el('textarea', 'yl-ed-text');
  ta.readOnly = true; ta.value = csv; ta.setAttribute('aria-label', T['export.copy']);
  io.appendChild(ta); exportText = ta;
  io.appendChild(button(T['btn.close'], closeExport));
  ta.focus(); ta.select();
}

// ------------------------------------------------------------------------------------------------ autosave
// An autosave that differs from the plan as the page opens is offered at the top of the side panel. Until the
// user restores it or discards it, the page's work is saved under a second key (and offered too, at the next
// opening), so an edit made before choosing never overwrites the earlier autosave.
// Each save keeps its time beside it (KEY:at). Autosaves of another plan of the same households (a page made
// before from another delineation, a repair or an older build: another fingerprint, or a key of an older form) are
// offered in a box of their own, each with when it was saved and how many households it puts in other units, and
// used only when the user restores it. Restored or hidden, it is not offered on this plan's page again (until that
// plan's page saves it anew: KEY:handled, each key with the time of the save handled), and stays where it is: the
// other plan's own page still offers it as its autosave.
var PENDING = P.storageKey + ':pending', AT = ':at', HANDLED = ':handled';
function stored(key) { try { return window.localStorage.getItem(key); } catch (err) { return null; } }
function store(key, text) {
  try {
    if (text === null) { window.localStorage.removeItem(key); window.localStorage.removeItem(key + AT); }
    else { window.localStorage.setItem(key, text); window.localStorage.setItem(key + AT, new Date().toISOString()); }
  } catch (err) { /* storage blocked on file:// */ }
}
var now0 = E.exportCsv(), saved = stored(P.storageKey), pendingSaved = stored(PENDING);
// household id -> unit cell of a plan as the page exports it (its first two columns)
function unitsIn(text) {
  var out = new Map();
  E.parseCsv(text).slice(1).forEach(function(r) { if (r.length > 1 && r[0] !== '') out.set(r[0], r[1]); });
  return out;
}
var units0 = unitsIn(now0);
// how many households a saved plan puts in another unit than the plan the page opened with (a household it does
// not list: in no unit, as its whole-plan load leaves it)
function movesIn(text) {
  var a = unitsIn(text), k = 0;
  units0.forEach(function(u, h) { if ((a.has(h) ? a.get(h) : '') !== u) k++; });
  a.forEach(function(u, h) { if (!units0.has(h) && u !== '') k++; });
  return k;
}
// when a save was made, as the device's clock read it (YYYY-MM-DD HH:MM), or that it is not known (an older build)
function savedWhen(key) {
  var d = new Date(stored(key + AT) || NaN);
  if (isNaN(d.getTime())) return T['msg.saved_unknown'];
  function two(x) { return (x < 10 ? '0' : '') + x; }
  return fmt(T['msg.saved_at'], {time: d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' +
                                       two(d.getHours()) + ':' + two(d.getMinutes())});
}
// each unit's lock and meeting point as a plan the page exports gives them (on each of its rows: the first one's),
// and how many units a saved plan gives another lock or meeting point than the plan the page opened with (a save
// that only set a meeting point said "0 households in other units" and nothing else)
function unitStatesIn(text) {
  var out = new Map();
  E.parseCsv(text).slice(1).forEach(function(r) {
    if (r.length > 2 && r[1] !== '' && !out.has(r[1])) out.set(r[1], (r[2] !== '' ? '1' : '0') + (r[3] || ''));
  });
  return out;
}
var states0 = unitStatesIn(now0);
function unitsDifferIn(text) {
  var a = unitStatesIn(text), k = 0;
  new Set(Array.from(a.keys()).concat(Array.from(states0.keys()))).forEach(function(u) {
    if ((a.get(u) || '0') !== (states0.get(u) || '0')) k++;
  });
  return k;
}
function whatSaved(key, text) {
  return fmt(T['msg.autosave_what'], {when: savedWhen(key), moved: movesIn(text), units: unitsDifferIn(text)});
}
var offer = (saved && saved !== now0) || (pendingSaved && pendingSaved !== now0) ? el('div', 'yl-ed-restore') : null;
function claim() {  // the user chose: the autosave key is the page's again
  if (offer) { offer.remove(); offer = null; }
  store(PENDING, null); autosave();
}
function autosave() { store(offer ? PENDING : P.storageKey, E.exportCsv()); }
// each unit's lock and meeting point (a centre is none)
function unitState() {
  var st = new Map();
  E.units().forEach(function(u) {
    var mp = E.meetingPoint(u);
    st.set(u, (P.locked.has(u) ? '1' : '0') + (mp && !mp.centre ? mp.hid : ''));
  });
  return st;
}
function unitsChanged(a, b) {
  var k = 0;
  new Set(Array.from(a.keys()).concat(Array.from(b.keys()))).forEach(function(u) {
    if ((a.get(u) || '0') !== (b.get(u) || '0')) k++;
  });
  return k;
}
if (offer) {
  offer.setAttribute('role', 'region');
  offer.appendChild(el('div', 'yl-ed-hint', T['msg.restore_offer']));
  [[saved, 'msg.autosave_last', P.storageKey], [pendingSaved, 'msg.autosave_pending', PENDING]].forEach(function(o) {
    if (o[0] && o[0] !== now0) offer.appendChild(el('div', 'yl-ed-hint yl-ed-what', fmt(T[o[1]], {what: whatSaved(o[2], o[0])})));
  });
  [[saved, 'btn.restore'], [pendingSaved, 'btn.restore_pending']].forEach(function(o) {
    if (o[0] && o[0] !== now0) offer.appendChild(button(T[o[1]], function() {
      var before = unitState(), r = E.loadCsv(o[0], true);
      claim();
      // what came back: households in another unit than before, units with another lock or meeting point
      note(r.ok ? fmt(T[o[1] === 'btn.restore' ? 'msg.restored' : 'msg.restored_pending'],
                      {moved: r.moved, units: unitsChanged(before, unitState())})
                : r.refused || T['msg.load_bad']);
    }));
  });
  offer.appendChild(button(T['btn.discard_autosave'], function() { done(); claim(); }));
  side.insertBefore(offer, side.firstChild);
}
// the autosaves of other plans of these households (same count, first and last id; another fingerprint), newest first
// (those this page restored or hid, as long as they are the same save, left out)
var TOWN = P.storageKey.slice(0, P.storageKey.length - D.plan.length), others = [], handled = {}, handled0 = {};
try { handled0 = JSON.parse(stored(P.storageKey + HANDLED) || '{}') || {}; } catch (err) { handled0 = {}; }
try {
  for (var s0 = 0; s0 < window.localStorage.length; s0++) {
    var key0 = window.localStorage.key(s0);
    if (key0 === null || key0.indexOf(TOWN) !== 0 || key0 === P.storageKey || key0 === PENDING) continue;
    if (key0.slice(-AT.length) === AT || key0.slice(-HANDLED.length) === HANDLED) continue;
    var text0 = stored(key0), at0 = stored(key0 + AT) || '';
    if (Object.prototype.hasOwnProperty.call(handled0, key0) && handled0[key0] === at0) { handled[key0] = at0; continue; }
    if (text0 && text0 !== now0) others.push({key: key0, text: text0, at: at0});
  }
} catch (err) { /* storage blocked on file:// */ }
// remembered for this plan only; the saves no longer there are forgotten
function setHandled(o) {
  handled[o.key] = o.at;
  try { window.localStorage.setItem(P.storageKey + HANDLED, JSON.stringify(handled)); } catch (err) { /* blocked */ }
}
others.sort(function(a, b) { return a.at < b.at ? 1 : a.at > b.at ? -1 : a.key < b.key ? -1 : 1; });
others.forEach(function(o) {
  var box = el('div', 'yl-ed-others');
  box.setAttribute('role', 'region');
  box.appendChild(el('div', 'yl-ed-hint', T['msg.restore_other']));
  box.appendChild(el('div', 'yl-ed-hint yl-ed-what', whatSaved(o.key, o.text)));
  box.appendChild(button(T['btn.restore_other'], function() {
    var before = unitState(), r = E.loadCsv(o.text, true);
    box.remove();
    if (r.ok) setHandled(o);  // restored here: this plan's own autosave holds it from now on; the other page keeps its
    note(r.ok ? fmt(T['msg.restored_other'], {moved: r.moved, units: unitsChanged(before, unitState())})
              : r.refused || T['msg.load_bad']);
  }));
  // hidden on this plan's page only: the other plan's page still offers it as its own autosave
  box.appendChild(button(T['btn.discard_other'], function() { setHandled(o); box.remove(); done(); }));
  side.insertBefore(box, offer ? offer.nextSibling : side.firstChild);
});

// ------------------------------------------------------------------------------------------------ refresh
var pending = false, saveTimer = null;
function refresh() {
  pending = false;
  // the card and the findings are rebuilt (emptied for a moment): the panel keeps its scroll, so that the button
  // just tapped stays under the finger and the line above it out of sight (it jumped to the panel's top)
  var scrolled = side.scrollTop;
  undoBtn.disabled = !E.canUndo(); redoBtn.disabled = !E.canRedo();
  var was = whyUnit;
  fillTargets(); showCard(); showPanel(); showOutlines(); dots._redraw();
  side.scrollTop = scrolled;
  if (whyUnit !== was) whyInView();
  Y.backSync();  // a selection made or cleared: its entry in the history (below)
  if (exportText) { var csv = E.exportCsv(); if (exportText.value !== csv) exportText.value = csv; }
}
P.onChange(function() {
  whyLayout(whyOf() !== null);
  if (!pending) { pending = true; (window.requestAnimationFrame || setTimeout)(refresh); }
  clearTimeout(saveTimer); saveTimer = setTimeout(function() { saveTimer = null; autosave(); }, 800);
});
// a save still waiting when the page is hidden (another app, the screen locked) or left (reload, closed tab) is
// written at once: a phone may never show the page again
function flush() { if (saveTimer !== null) { clearTimeout(saveTimer); saveTimer = null; autosave(); } }
window.addEventListener('pagehide', flush);
document.addEventListener('visibilitychange', function() { if (document.visibilityState === 'hidden') flush(); });
note(fmt(T['intro'], {n: n, kind: T['graph.' + D.graph_kind] || T['graph.straight'],
                      rules: D.lang === 'en' ? D.rules.name : D.rules.label || D.rules.name, checks: D.checks}) +
     (outlines.length ? (D.lang === 'en' ? ' ' : '') + T['outlines'] : '') + (D.lang === 'en' ? ' ' : '') + T['legend.meeting'] +
     (D.unchecked ? (D.lang === 'en' ? ' ' : '') + D.unchecked : ''));  // the rules it cannot check, as check says
foldIntro();
// the selection (its card in the panel) in the history (yuanluo.js Y.backable): the phone's Back clears it instead of
// leaving the page, as it closes the field map's card
Y.backable(function() { return selected.size > 0; }, function() { P.select([], false); });
refresh();
Y.backStart();
Y.editorUi = {map: map, setLasso: setLasso, refresh: refresh, frame: frame, outlines: showOutlines, search: search, tap: tap,
                frameMargin: frameMargin, fitClear: fitClear, frameAll: frameAll,
                marks: function() { return dots._marks; }};
})();
