// Yuanluo editor page: the field map's ◎ locate button (the same vendored control, with the options of
// yuanluo.maps.interactive.locate_options). A fix within D.gps.nearM metres of a household selects the nearest one, as
// the search does (its card: its unit), frames its unit with you, and says beside the button, as the map's GPS card
// does, which unit you are in and which household is nearest; farther off, which unit is nearest, which way and how
// far, with a button to go there. A locating error is said in the page's language beside the button, never in the
// control's English alert. Runs after editor_ui.js (Y.editorUi.map).
(function() {
var Y = window.yuanluo, P = Y.editorPage, G = P.D.gps, map = Y.editorUi.map, fmt = P.fmt;
if (!G || !L.control.locate) return;
var said = null;
// a title and lines under the button (an error in red); a tap on them puts them away; go: a button's text and action
function say(title, lines, found, go) {
  if (said) said.remove();
  said = L.DomUtil.create('div', 'yl-ed-gps-msg' + (found ? ' found' : ''), loc.getContainer());
  said.setAttribute('role', 'status');
  L.DomUtil.create('strong', '', said).textContent = title;
  lines.forEach(function(t) { L.DomUtil.create('div', '', said).textContent = t; });
  if (go) {
    var b = L.DomUtil.create('button', 'yl-ed-gps-go', said);
    b.type = 'button'; b.textContent = go[0];
    L.DomEvent.on(b, 'click', function(e) { L.DomEvent.stop(e); go[1](); });
  }
  L.DomEvent.on(said, 'click', function(e) { L.DomEvent.stop(e); unsay(); });
  Y.backSync();
}
// what was said put away (a tap on it, the phone's Back: yuanluo.js Y.backable)
function unsay() { if (said) { said.remove(); said = null; Y.backSync(); } }
Y.backable(function() { return !!said; }, unsay);
// the map is moved here, on the first fix after a tap (the control would fly to the fix after it, and again on every
// fix while it follows, taking the unit out of view and the map from under an edit)
var opts = Object.assign({}, G.options, {setView: false, onLocationError: function(err) {
  var code = err && err.code;
  say(G.failed, [code === 1 ? G.denied : code === 3 ? G.timeout : G.unavailable]);
}});
var loc = L.control.locate(opts).addTo(map), asked = false;
Y.editorUi.frameAll();  // the first view clear of the button too
loc.getContainer().addEventListener('click', function() { asked = true; }, true);  // before the control's own handler
function distanceText(m) {
  return m >= 1000 ? fmt(G.km, {km: (m / 1000).toFixed(1)}) : fmt(G.m, {m: Math.round(m)});
}
function bearing(a, b) {  // the way from a to b, one of eight (as the map's GPS card says it)
  var f1 = a.lat * Math.PI / 180, f2 = b.lat * Math.PI / 180, dl = (b.lng - a.lng) * Math.PI / 180;
  var y = Math.sin(dl) * Math.cos(f2), x = Math.cos(f1) * Math.sin(f2) - Math.sin(f1) * Math.cos(f2) * Math.cos(dl);
  return G.dirs[Math.round(((Math.atan2(y, x) * 180 / Math.PI + 360) % 360) / 45) % 8];
}
// the bounds b in view clear of the button's message, the other controls, the stamp and the credit (editor_ui.js)
var fitClear = Y.editorUi.fitClear;
// the unit's households and the fix
function unitBounds(u, ll) {
  var b = L.latLngBounds([ll]);
  (P.members.get(u) || new Set()).forEach(function(h) { b.extend([P.lat[h], P.lon[h]]); });
  return b;
}
map.on('locationfound', function(e) {
  if (!asked) return;
  asked = false;
  var best = -1, bd = Infinity, ll = e.latlng;
  for (var i = 0; i < P.n; i++) {
    var d = ll.distanceTo([P.lat[i], P.lon[i]]);
    if (d < bd) { bd = d; best = i; }
  }
  if (best < 0) return;
  var hid = P.ids[best], u = P.unitOf[best], near = fmt(G.nearest, {hid: hid, distance: distanceText(bd)});
  var acc = e.accuracy ? [fmt(G.accuracy, {m: Math.round(e.accuracy)})] : [];
  if (bd <= G.nearM) {
    // said first: the household (of no unit) is then shown clear of what is said, not under it
    if (u !== null) say(fmt(G.inUnit, {unit: u}), [near].concat(acc), true);
    else say(fmt(G.noUnit, {hid: hid}), [near].concat(acc), true);
    Y.editorUi.search(hid);
    if (u !== null) fitClear(unitBounds(u, ll), 18);
    return;
  }
  // farther than nearM from every household: the nearest one's unit (or the household), its way and distance
  var name = u !== null ? u : hid;
  say(G.title, [fmt(G.outside, {unit: name, dir: bearing(ll, L.latLng(P.lat[best], P.lon[best])),
                                distance: distanceText(bd)})].concat(acc), true,
      [fmt(G.go, {unit: name}), function() { unsay(); Y.editorUi.search(name); }]);
  fitClear(L.latLngBounds([ll, [P.lat[best], P.lon[best]]]), 17);  // you and the nearest household
});
Y.editorGps = {control: loc};
})();
