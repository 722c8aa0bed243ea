// Yuanluo editor page: the field map's ◎ locate button (the same vendored control, with the options of
// yuanluo.maps.interactive.locate_options). A fix within D.gps.nearM metres of a household selects the nearest one, as
// the search does (its card: its unit); a locating error is said in the page's language beside the button, never in
// the control's English alert. Runs after editor_ui.js (Y.editorUi.map).
(function() {
var Y = window.yuanluo, P = Y.editorPage, G = P.D.gps, map = Y.editorUi.map;
if (!G || !L.control.locate) return;
var said = null;
function say(title, text) {  // a title and a line under the button; a tap on them puts them away
  if (said) said.remove();
  said = L.DomUtil.create('div', 'yl-ed-gps-msg', loc.getContainer());
  said.setAttribute('role', 'status');
  L.DomUtil.create('strong', '', said).textContent = title;
  L.DomUtil.create('div', '', said).textContent = text;
  L.DomEvent.on(said, 'click', function(e) { L.DomEvent.stop(e); if (said) { said.remove(); said = null; } });
}
var opts = Object.assign({}, G.options, {onLocationError: function(err) {
  var code = err && err.code;
  say(G.failed, code === 1 ? G.denied : code === 3 ? G.timeout : G.unavailable);
}});
var loc = L.control.locate(opts).addTo(map);
map.on('locationfound', function(e) {
  if (said) { said.remove(); said = null; }
  var best = -1, bd = Infinity;
  for (var i = 0; i < P.n; i++) {
    var d = e.latlng.distanceTo([P.lat[i], P.lon[i]]);
    if (d < bd) { bd = d; best = i; }
  }
  if (best >= 0 && bd <= G.nearM) Y.editorUi.search(P.ids[best]);
});
Y.editorGps = {control: loc};
})();
