// Yuanluo map page: the search box (household or unit id, a village's name, a group or settlement, or a value of another column the page carries: a person's name or phone only where the map was allowed them). Runs as (function(parent, map) { ... }) after `var S = <JSON>;` (yuanluo.maps.interactive).
var Y = window.yuanluo = window.yuanluo || {};
Y.unitBounds = Object.assign({}, S.bounds, Y.unitBounds || {}); Y.nUnits = S.n_units;
var Search = L.Control.extend({
  options: {position: 'topleft'},
  onAdd: function() {
    var div = L.DomUtil.create('div', 'leaflet-bar yl-search'), row = L.DomUtil.create('div', 'yl-search-row', div);
    var input = L.DomUtil.create('input', '', row);
    // S.placeholder: what the box finds, the full words first, then shorter ones (fitPlaceholder: the first with room)
    var hints = [].concat(S.placeholder);
    input.type = 'search'; input.placeholder = hints[0]; input.setAttribute('aria-label', hints[0]);
    input.title = hints[0];
    input.setAttribute('enterkeyhint', 'search'); input.autocomplete = 'off';
    var go = S.find ? L.DomUtil.create('button', 'yl-search-go', row) : null;  // the page's 查找 button, where it names one
    if (go) { go.type = 'button'; go.textContent = S.find; }
    var msg = L.DomUtil.create('span', 'yl-search-msg', div);
    // under 未找到, what the box takes with ids of this map (S.example: "请输入户编号（如 AD0001）或院落编号（如 U001）")
    var eg = L.DomUtil.create('span', 'yl-search-eg', div);
    eg.hidden = true;
    // the villages whose names begin with what was typed, when more than one does: a tap on one goes there
    var choices = L.DomUtil.create('div', 'yl-choices', div);
    choices.hidden = true;
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    function search() {
      choices.hidden = true; msg.hidden = true;  // the stack at the top left as it stands after: Y.frame measures it
      Y.markPlace(null); Y.pulse(null);  // the place the last search found: no longer marked
      if (Y.legendFound) Y.legendFound(true);  // the legend's rows of the marks, in before the view is framed
      var r = Y.find(input.value);
      if (Y.legendFound) Y.legendFound();
      msg.textContent = r ? '' : S.notFound;
      msg.hidden = !!r;
      eg.textContent = r || !S.example ? '' : S.example;
      eg.hidden = !eg.textContent;
      // nothing found: the card open before (household AD0026) closes, not read as the answer under 未找到
      if (!r) shut();
      if (!r && Y.liftControls) Y.liftControls();  // the row clear of the controls above an open card
    }
    // 未找到 says what the last search found: gone at the next tap on the map, GPS fix or card; the controls then
    // measured again (card.js lift): a card made lower for the row (360 x 640) stood so until the next lift
    msg.hidden = true;
    Y.clearSearchMsg = function() {
      var shown = !msg.hidden;
      msg.textContent = ''; msg.hidden = true;
      eg.textContent = ''; eg.hidden = true;
      if (shown && Y.liftControls) Y.liftControls();
    };
    map.on('click locationfound locationerror', Y.clearSearchMsg);
    // so does a list of choices (it would stand under the card, under the controls lifted above it)
    map.on('click', function() { choices.hidden = true; });
    var open = Y.openCard;
    if (open) Y.openCard = function() { Y.clearSearchMsg(); choices.hidden = true; return open.apply(this, arguments); };
    // a list of choices stands below the box, under an open card and the controls lifted above it (a phone's low
    // screen): the card closes first
    function shut() { if (Y.closeCard) Y.closeCard(); }
    // the values of a column beginning with what was typed (a group, settlement, name …): the same list; a tap on
    // one searches it
    Y.chooseValue = function(values) {
      shut();
      Y.villageChoices(choices, S.values, input.value.trim(), values, function(v) { input.value = v; search(); });
    };
    // the households holding the value typed (two people of one name): a button per household, its id and the
    // value (and its group or village, where the page has them); a tap opens its card. All of them: typing more
    // finds no fewer
    Y.chooseHousehold = function(ks, labels) {
      shut();
      Y.villageChoices(choices, S.households, input.value.trim(), labels, function(lab) {
        var k = ks[labels.indexOf(lab)];
        choices.hidden = true;
        if (Y.legendFound) Y.legendFound(true);
        Y.foundHousehold(k);
      }, true);
    };
    Y.chooseVillage = function(names) {
      shut();
      Y.villageChoices(choices, S.villages, input.value.trim(), names, function(name) {
        input.value = name; search();
      });
    };
    L.DomEvent.on(input, 'input', function() { choices.hidden = true; });
    // Enter searches, but not the Enter that ends a pinyin (IME) composition: that one only puts the characters in
    L.DomEvent.on(input, 'keydown', function(e) {
      if (e.key !== 'Enter' || e.isComposing || e.keyCode === 229) return;
      search();
    });
    if (go) L.DomEvent.on(go, 'click', function() { search(); input.blur(); });
    return div;
  }
});
// the household k a search found: its card, the view on it at zoom 17, ringed and pulsing
Y.foundHousehold = function(k) {
  Y.showHousehold(k);
  var D = Y.households, ll = [D.xy.lat[k], D.xy.lon[k]];
  Y.goTo(ll, 17); Y.mark(ll); Y.pulse([ll, ll]);
};
// a household, unit or service-point id, width- and case-insensitive ("ｕ００３" finds U003): its card opens
Y.find = function(q) {
  q = Y.norm(q);
  if (!q) return false;
  return Y.findId(q) || Y.findVillage(q) || Y.findValue(q) || Y.findLoose(q);
};
// q (Y.norm'ed) a household's or unit's (service point's) id as written, width and case aside; loose: else as a
// person says it (Y.findLoose). Its card opens and the map is framed on it: 'household', 'unit' or false
Y.findId = function(q, loose) {
  var k = Y.householdIndex ? Y.householdIndex(q) : -1;
  if (k >= 0) {
    Y.foundHousehold(k);
    return 'household';
  }
  var ids = Object.keys(Y.unitBounds);
  for (var j = 0; j < ids.length; j++) if (Y.norm(ids[j]) === q) return foundUnit(ids[j]);
  return loose ? Y.findLoose(q) : false;
};
// the card an address names (demo.html#U007, #000123: yuanluo.js Y.backStart), found as the search box finds an id
// and nothing else (no village, no other column's value): the address is only compared with the page's own ids
Y.openHash = function(id) { var q = Y.norm(id); return !!q && !!Y.findId(q, true); };
// a unit (or a service point of the cover map) found: its card, its bounds pulsing
function foundUnit(id) {
  var b = Y.unitBounds[id], bb = [[b[0], b[1]], [b[2], b[3]]];
  if (!(Y.showUnit && Y.showUnit(id, true)) &&
      !(Y.showHub && Y.showHub(id))) map.fitBounds(bb, {maxZoom: 18});  // a service point (cover map): its card
  Y.pulse(bb);
  return 'unit';
}
// an id as a person says it, for Y.findLoose: width and case aside (Y.norm), without spaces and dashes, each number
// without its leading zeros ("u7", "U-07" and "U007" alike; "ad26" and "AD0026")
Y.looseId = function(s) {
  return Y.norm(s).replace(/[\s\-\u2010-\u2015]+/g, '').replace(/\d+/g, function(d) { return d.replace(/^0+(?=\d)/, ''); });
};
// what was typed, found nowhere as written, is the one unit id, else the one household id, it reads as (Y.looseId):
// a town official told "院落 7" types u7 for U007. Nothing typed with a number, or two ids reading alike: not found
var loose = null;
Y.findLoose = function(q) {
  if (!/\d/.test(q)) return false;
  var want = Y.looseId(q), units = Object.keys(Y.unitBounds).filter(function(u) { return Y.looseId(u) === want; });
  if (units.length === 1) return foundUnit(units[0]);
  if (units.length > 1) return false;
  var D = Y.households;
  if (!D || !D.hid) return false;
  if (!loose) {
    loose = new Map();
    for (var k = 0; k < D.hid.length; k++) {
      var key = Y.looseId(D.hid[k]);
      loose.set(key, loose.has(key) ? -1 : k);  // -1: two households read alike
    }
  }
  var at = loose.has(want) ? loose.get(want) : -1;
  if (at < 0) return false;
  Y.foundHousehold(at);
  return 'household';
};
// households framed on the map (a village, a group, a settlement), clear of the controls as they stand, as a unit is
// (card.js Y.frame; a map without cards: a fixed margin)
Y.frameHouseholds = function(ks) {
  var D = Y.households, s = 90, w = 180, nn = -90, e = -180;
  if (!ks.length) return false;
  ks.forEach(function(k) {
    var la = D.xy.lat[k], lo = D.xy.lon[k];
    if (la < s) s = la; if (la > nn) nn = la; if (lo < w) w = lo; if (lo > e) e = lo;
  });
  if (Y.closeCard) Y.closeCard();
  if (Y.frame) Y.frame([[s, w], [nn, e]], 17);  // clear of the search box and the controls, as a unit is framed
  else map.fitBounds([[s, w], [nn, e]], {maxZoom: 17, animate: false, paddingTopLeft: [20, 60], paddingBottomRight: [20, 20]});
  Y.markPlace(ks); Y.pulse([[s, w], [nn, e]]);
  return true;
};
// the households of the place a search found (a village, group or settlement) marked, until the next search or a tap
// on the map, at every zoom (also where the dots are left out: the mark then shows where the place lies): one
// outline of the found set, dark on a white edge, around the union of discs of Y.placeMarkRadius(zoom) px about its
// households, nothing drawn within it. Rings about each household (session 44) crossed the neighbours' dots where a
// whole village of 400 households was in view (zoom 14): dark blobs over the dots' colours; the outline leaves every
// dot as it is. Y.placeMarked: how many are marked
Y.placeMarkRadius = function(z) { return z >= 17 ? 9 : z >= 15 ? 7 : z >= 13 ? 6 : 5; };
var PlaceMark = Y.CanvasLayer.extend({
  // on the households' pane, after them: over their dots, under the unit ids and the cards
  _redraw: function() {
    var m = this._map, ctx = Y.canvas(this, m), D = Y.households, ks = this._ks || [], size = m.getSize();
    var r = Y.placeMarkRadius(m.getZoom()), pts = [];
    ks.forEach(function(k) {
      var p = m.latLngToContainerPoint([D.xy.lat[k], D.xy.lon[k]]);
      if (p.x >= -r - 4 && p.y >= -r - 4 && p.x <= size.x + r + 4 && p.y <= size.y + r + 4) pts.push(p);
    });
    function discs(rad) {
      ctx.beginPath();
      pts.forEach(function(p) { ctx.moveTo(p.x + rad, p.y); ctx.arc(p.x, p.y, rad, 0, 6.2832); });
      ctx.fill();
    }
    // the white edge, the dark line, then the inside cleared: only the union's outline is left
    ctx.fillStyle = 'rgba(255,255,255,0.95)'; discs(r + 3.5);
    ctx.fillStyle = '#111'; discs(r + 2);
    ctx.globalCompositeOperation = 'destination-out'; discs(r);
    ctx.globalCompositeOperation = 'source-over';
  }
});
var placeMark = new PlaceMark();
Y.placeMarkCanvas = function() { return placeMark._map ? placeMark._c : null; };
Y.markPlace = function(ks) {
  placeMark._ks = ks && ks.length ? ks.slice() : null;
  Y.placeMarked = placeMark._ks ? placeMark._ks.length : 0;
  if (placeMark._ks && !placeMark._map) map.addLayer(placeMark);
  else if (!placeMark._ks && placeMark._map) map.removeLayer(placeMark);
  else if (placeMark._map) placeMark._redraw();
  if (Y.legendFound) Y.legendFound();
};
map.on('click', function() { Y.markPlace(null); });
// the place the search went to pulses briefly: a ring about it (yuanluo.css .yl-pulse: three beats in 2.4 s, none
// where the phone asks for reduced motion, the ring then still), gone after 2.6 s or at the next search.
// Y.pulsing: the ring's element while it is there
var pulse = null;
Y.pulsing = null;
// its size: the place's on screen + 28 px (at least 36, at most 0.9 of the map's shorter side), measured again at
// every zoom while it pulses (zoomed out, a ring sized to the view the search framed stood far round the place)
function pulseSize(b) {
  var size = map.getSize(), p0 = map.latLngToContainerPoint(b.getSouthWest()), p1 = map.latLngToContainerPoint(b.getNorthEast());
  return Math.round(Math.max(36, Math.min(Math.max(Math.abs(p1.x - p0.x), Math.abs(p1.y - p0.y)) + 28,
                                          0.9 * Math.min(size.x, size.y))));
}
function pulseResize() {
  var el = pulse && pulse.getElement();
  if (!el) return;
  var d = pulseSize(pulse._ylBounds);
  el.style.width = el.style.height = d + 'px';
  el.style.marginLeft = el.style.marginTop = (-d / 2) + 'px';
}
map.on('zoom zoomend viewreset resize', pulseResize);
Y.pulse = function(bounds) {
  if (pulse) map.removeLayer(pulse);
  pulse = Y.pulsing = null;
  if (!bounds) { if (Y.legendFound) Y.legendFound(); return; }
  var b = L.latLngBounds(bounds), d = pulseSize(b);
  var mk = L.marker(b.getCenter(), {icon: L.divIcon({className: 'yl-pulse', iconSize: [d, d], html: ''}),
                                    interactive: false, keyboard: false});
  mk._ylBounds = b;
  pulse = mk.addTo(map);
  Y.pulsing = mk.getElement();
  if (Y.legendFound) Y.legendFound();
  setTimeout(function() {
    if (pulse !== mk) return;
    map.removeLayer(mk); pulse = Y.pulsing = null;
    if (Y.legendFound) Y.legendFound();
  }, 2600);
};
// a village by its name, as the households' village column gives it (width- and case-insensitive: "胜利村",
// "ordino"), else the one village whose name begins with it ("胜利"); two villages of one name (in two towns): both.
// The map is fitted to its households clear of the search box and the card; the name is never put into the page as
// markup. Two or more names beginning with it (石 of 石桥村 and 石门村): they are listed below the box to choose from.
Y.findVillage = function(q) {
  var D = Y.households, f = D && D.fields ? D.fields.indexOf('village') : -1;
  if (f < 0) return false;
  var codes = D.extra[f].c, hit = Y.villagesNamed(D.extra[f].v, q), k;
  if (!hit) {
    var begins = Y.villagesBeginning(D.extra[f].v, q);
    if (!begins.length || !Y.chooseVillage) return false;
    Y.chooseVillage(begins);
    return 'villages';
  }
  var ks = [];
  for (k = 0; k < codes.length; k++) if (hit[codes[k]]) ks.push(k);
  return Y.frameHouseholds(ks) ? 'village' : false;
};
// the other columns the page carries (only those the map was allowed: map_fields' allow-list, so a name or a phone
// only with --fields and --include-personal), compared as Y.norm does, spaces and dashes aside ("137 0634-3543"):
// a group or settlement (S.areas; a group also as its village and group, 双河口村2组, where the group is named 2组 in
// several villages) is framed as a village; a value of any other column (a person's name, a phone) opens the card of
// the household holding it, or lists the households holding it. What was typed equal to values of one column, else
// the start of them: one value, found; several, listed to choose from. Never the booleans and counts.
var SKIP = {village: 1, persons: 1, head_candidate: 1, party_member: 1};
function key(s) { return Y.norm(s).replace(/[\s\-\u2010-\u2015]+/g, ''); }
var entries = null;
function valueEntries() {  // per column: [{label, keys: [normalised forms], ks: [households]}], built on first use
  var D = Y.households, out = [], vf = D.fields.indexOf('village'), f, k;
  for (f = 0; f < D.fields.length; f++) {
    if (SKIP[D.fields[f]]) continue;
    var ex = D.extra[f], codes = Y.ints(ex.c), area = (S.areas || []).indexOf(D.fields[f]) >= 0, groups = new Map();
    for (k = 0; k < codes.length; k++) {
      if (codes[k] < 0) continue;
      var v = ex.v[codes[k]];
      if (v === null || v === '' || typeof v === 'boolean') continue;
      v = String(v);
      var vil = area && vf >= 0 && D.extra[vf].c[k] >= 0 ? String(D.extra[vf].v[D.extra[vf].c[k]]) : '';
      var g = area ? vil + '\u0000' + v : v, e = groups.get(g);
      if (!e) groups.set(g, e = {value: v, village: vil, at: [vil ? D.extra[vf].c[k] : -1, codes[k]], ks: []});
      e.ks.push(k);
    }
    var list = [], n = {};
    groups.forEach(function(e) { n[key(e.value)] = (n[key(e.value)] || 0) + 1; list.push(e); });
    // listed as a person reads them, by village then value, each in the order of the page's values (natural:
    // maps.interactive._natural_codes, 2组 before 10组, 二组 before 十组), not as the households come
    list.sort(function(a, b) { return a.at[0] - b.at[0] || a.at[1] - b.at[1]; });
    list.forEach(function(e) {
      // a group named alike in two villages (2组) reads as its village and group; one named with its village as it is
      var lone = !e.village || n[key(e.value)] === 1 || key(e.value).indexOf(key(e.village)) === 0;
      e.label = lone ? e.value : e.village + e.value;
      e.keys = lone ? [key(e.value)] : [key(e.village + e.value), key(e.value)];
    });
    out.push({field: f, area: area, list: list});
  }
  return out;
}
Y.findValue = function(q) {
  var D = Y.households;
  if (!D || !D.fields) return false;
  if (!entries) entries = valueEntries();
  var want = key(q);
  if (!want) return false;
  for (var pass = 0; pass < 2; pass++) {  // values equal to it, else values beginning with it
    for (var c = 0; c < entries.length; c++) {
      var col = entries[c], hits = col.list.filter(function(e) {
        return e.keys.some(function(x) { return pass ? x.indexOf(want) === 0 : x === want; });
      });
      if (!hits.length) continue;
      var labels = [];
      hits.forEach(function(e) { if (labels.indexOf(e.label) < 0) labels.push(e.label); });
      if (col.area) {
        if (labels.length > 1) { if (!Y.chooseValue) return false; Y.chooseValue(labels); return 'values'; }
        var ks = [];
        hits.forEach(function(e) { ks = ks.concat(e.ks); });
        return Y.frameHouseholds(ks) ? 'area' : false;
      }
      if (labels.length > 1) { if (!Y.chooseValue) return false; Y.chooseValue(labels); return 'values'; }
      var hh = hits[0].ks;
      if (hh.length === 1) {
        Y.foundHousehold(hh[0]);
        return 'household';
      }
      if (!Y.chooseHousehold) return false;
      Y.chooseHousehold(hh, hh.map(function(k) { return D.hid[k] + ' ' + hits[0].value + placeOf(k); }));
      return 'households';
    }
  }
  return false;
};
// the group (else the village) of household k, in brackets, for a list of households of one name
function placeOf(k) {
  var D = Y.households;
  for (var j = 0, fs = ['group', 'village']; j < fs.length; j++) {
    var f = D.fields.indexOf(fs[j]), c = f >= 0 ? D.extra[f].c[k] : -1;
    if (c >= 0 && D.extra[f].v[c] !== null && D.extra[f].v[c] !== '') return Y.fill(S.place, {place: D.extra[f].v[c]});
  }
  return '';
}
new Search().addTo(map);
// the placeholder the box has room for: the first of S.placeholder (the full words, then shorter ones) that a copy of
// the box, as wide, shows whole as its value, else the last; the full words stay its title and accessible name. A
// canvas measure in the box's computed font said 'Household id or unit id' fits 188 px (182 px) where the box drew
// it 197 px wide and cut it ('Household id or unit i', the English demo at 360 px): the box itself is measured
function fitPlaceholder() {
  var input = map.getContainer().querySelector('.yl-search input'), hints = [].concat(S.placeholder);
  if (!input || !input.clientWidth) return;
  var probe = input.cloneNode(false), pick = hints[hints.length - 1];
  probe.removeAttribute('placeholder'); probe.removeAttribute('title'); probe.removeAttribute('aria-label');
  probe.setAttribute('aria-hidden', 'true'); probe.tabIndex = -1;
  probe.style.position = 'absolute'; probe.style.visibility = 'hidden'; probe.style.left = '0'; probe.style.top = '0';
  probe.style.width = input.offsetWidth + 'px'; probe.style.flex = 'none';
  input.parentNode.appendChild(probe);
  for (var i = 0; i < hints.length; i++) {
    probe.value = hints[i];
    if (probe.scrollWidth <= probe.clientWidth) { pick = hints[i]; break; }
  }
  input.parentNode.removeChild(probe);
  input.placeholder = pick;
}
fitPlaceholder();
window.addEventListener('resize', fitPlaceholder);
if (document.fonts && document.fonts.ready) document.fonts.ready.then(fitPlaceholder);
