// Yuanluo map page: the search box (household or unit id, or a village's name). Runs as (function(parent, map) { ... }) after `var S = <JSON>;` (yuanluo.maps.interactive).
var Y = window.yuanluo = window.yuanluo || {};
Y.unitBounds = Object.assign({}, S.bounds, Y.unitBounds || {}); Y.nUnits = S.n_units;
var Search = L.Control.extend({
  options: {position: 'topleft'},
  onAdd: function() {
    var div = L.DomUtil.create('div', 'leaflet-bar yl-search'), row = L.DomUtil.create('div', 'yl-search-row', div);
    var input = L.DomUtil.create('input', '', row);
    input.type = 'search'; input.placeholder = S.placeholder; input.setAttribute('aria-label', S.placeholder);
    input.setAttribute('enterkeyhint', 'search'); input.autocomplete = 'off';
    var go = S.find ? L.DomUtil.create('button', 'yl-search-go', row) : null;  // the page's 查找 button, where it names one
    if (go) { go.type = 'button'; go.textContent = S.find; }
    var msg = L.DomUtil.create('span', 'yl-search-msg', div);
    // the villages whose names begin with what was typed, when more than one does: a tap on one goes there
    var choices = L.DomUtil.create('div', 'yl-choices', div);
    choices.hidden = true;
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    function search() {
      choices.hidden = true;
      var r = Y.find(input.value);
      msg.textContent = r ? '' : S.notFound;
      msg.hidden = !!r;
    }
    // 未找到 says what the last search found: gone at the next tap on the map, GPS fix or card
    msg.hidden = true;
    Y.clearSearchMsg = function() { msg.textContent = ''; msg.hidden = true; };
    map.on('click locationfound locationerror', Y.clearSearchMsg);
    var open = Y.openCard;
    if (open) Y.openCard = function() { Y.clearSearchMsg(); return open.apply(this, arguments); };
    Y.chooseVillage = function(names) {
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
// a household, unit or service-point id, width- and case-insensitive ("ｕ００３" finds U003): its card opens
Y.find = function(q) {
  q = Y.norm(q);
  if (!q) return false;
  var k = Y.householdIndex ? Y.householdIndex(q) : -1;
  if (k >= 0) {
    Y.showHousehold(k);
    var D = Y.households, ll = [D.xy.lat[k], D.xy.lon[k]];
    Y.goTo(ll, 17); Y.mark(ll);
    return 'household';
  }
  var ids = Object.keys(Y.unitBounds);
  for (var j = 0; j < ids.length; j++) {
    if (Y.norm(ids[j]) !== q) continue;
    if (Y.showUnit && Y.showUnit(ids[j], true)) return 'unit';
    if (Y.showHub && Y.showHub(ids[j])) return 'unit';  // a service point (cover map): its card, as a tap
    var b = Y.unitBounds[ids[j]];
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], {maxZoom: 18});
    return 'unit';
  }
  return Y.findVillage(q);
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
  var s = 90, w = 180, nn = -90, e = -180, found = 0;
  for (k = 0; k < codes.length; k++) {
    if (!hit[codes[k]]) continue;
    var la = D.xy.lat[k], lo = D.xy.lon[k];
    if (la < s) s = la; if (la > nn) nn = la; if (lo < w) w = lo; if (lo > e) e = lo;
    found++;
  }
  if (!found) return false;
  if (Y.closeCard) Y.closeCard();
  map.fitBounds([[s, w], [nn, e]], {maxZoom: 17, animate: false, paddingTopLeft: [20, 60], paddingBottomRight: [20, 20]});
  return 'village';
};
new Search().addTo(map);
