// Yuanluo map page: the one card (a bottom sheet on phones) for a household, a unit or a GPS fix, built as DOM nodes (every text by textContent). Runs as (function(parent, map) { ... }) after `var R = <JSON>;` (yuanluo.maps.interactive._card_data).
var Y = window.yuanluo, T = R.lab, F = {}, uix = new Map();
Object.keys(R.f).forEach(function(k) { F[k] = Y.col(R.f[k]); });
R.units.forEach(function(id, k) { uix.set(id, k); });
Y.card = R; Y.cardF = F; Y.unitIndex = uix;
var sheet = document.createElement('section');
sheet.className = 'yl-card'; sheet.hidden = true; sheet.setAttribute('role', 'dialog');
document.body.appendChild(sheet);
function el(tag, cls, parent, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = String(text);
  if (parent) parent.appendChild(e);
  return e;
}
// a button of text; where it says "… → go" (前往, open the unit), the arrow and the word after it kept on one line
// (span.yl-nb), after the word before them (a no-break space in the catalogue's text): "go" stood alone under
// "household AD0226 →". A last word after an ordinary space (查看院落) is kept whole on the next line; the rest of a
// sentence ("the unit") wraps as text does
function link(text, fn) {
  var b = el('button', 'yl-link'), s = String(text), i = s.lastIndexOf('\u2192'), j = s.indexOf(' ', i);
  if (j < 0) j = s.length;
  if (i > 0) {
    b.appendChild(document.createTextNode(s.slice(0, i)));
    el('span', 'yl-nb', b, s.slice(i, j));
    var rest = s.slice(j);
    if (/^ \S+$/.test(rest)) { b.appendChild(document.createTextNode(' ')); el('span', 'yl-nb', b, rest.slice(1)); }
    else if (rest) b.appendChild(document.createTextNode(rest));
  } else b.textContent = s;
  b.type = 'button'; b.addEventListener('click', fn);
  return b;
}
Y.el = el; Y.link = link;
// a text with each range of numbers and its unit ("20–50", "20–50 户") kept on one line (Y.unbroken), its characters
// as they were: the size line broke after the dash ("rule 20–" over "50 ✔", en, held sideways) and before the unit
function whole(s) { return Y.unbroken(s, /\d+(?:\.\d+)?–\d+(?:\.\d+)?(?:[ \u00a0][\u4e00-\u9fff])?/g); }
// the size of unit k against the band, in plain words
Y.sizeText = function(k) {
  var n = F.size[k], b = R.band, t = R.sizeText;
  if (n === null || n === '') return T['card.no_value'];
  var v = Number(n);
  if (!b) return Y.fill(t.plain, {n: n});
  if (v < b[0]) return Y.fill(t.low, {n: n, lo: b[0], hi: b[1], d: b[0] - v});
  if (v > b[1]) return Y.fill(t.high, {n: n, lo: b[0], hi: b[1], d: v - b[1]});
  return Y.fill(t.ok, {n: n, lo: b[0], hi: b[1]});
};
Y.closeCard = function() {
  framed = null;
  sheet.hidden = true; sheet.removeAttribute('data-card'); sheet.removeAttribute('data-id'); sheet.style.maxHeight = '';
  sheet.removeAttribute('data-why');
  lift();
  Y.highlight(null);
  if (ring) { map.removeLayer(ring); ring = null; }
  Y.backSync();  // closed by its ×, a tap on the map, a search: its entry in the history goes (yuanluo.js)
};
// opens the card: a title, a close button and an empty table to fill
Y.openCard = function(kind, id, title) {
  framed = null;
  sheet.textContent = ''; sheet.style.maxHeight = ''; sheet.removeAttribute('data-why');
  sheet.setAttribute('data-card', kind); sheet.setAttribute('data-id', id);
  var head = el('div', 'yl-card-head', sheet);
  el('h2', '', head, title).title = title;  // the whole title where the card cuts it to three lines
  var x = el('button', 'yl-card-close', head, '\u00d7');
  x.type = 'button'; x.title = T['card.close']; x.setAttribute('aria-label', T['card.close']);
  x.addEventListener('click', Y.closeCard);
  var table = el('table', 'yl-pop', sheet);
  sheet.hidden = false; sheet.scrollTop = 0; lift();
  Y.backSync();  // the phone's Back closes it; another card opened replaces it there (yuanluo.js)
  // a row: label and value, or (empty label) a value across the card
  return {sheet: sheet, row: function(label, value) {
    var tr = table.insertRow();
    if (label !== '') el('th', '', tr, label);
    var td = tr.insertCell();
    if (label === '') td.colSpan = 2;
    if (value instanceof Node) td.appendChild(value); else td.textContent = String(value);
    return tr;
  }};
};
// the open card in the history (yuanluo.js Y.backable): a Back closes it; the address carries its id (#U007, #000123:
// a unit, household or service point), none for a GPS card. Open, it says which card (another card opened over the
// legend is on top of it: the next Back closes the card)
Y.backable(function() { return !sheet.hidden && sheet.getAttribute('data-card') + ' ' + sheet.getAttribute('data-id'); },
           function() { Y.closeCard(); });
Y.backHash = function() {
  return sheet.hidden || sheet.getAttribute('data-card') === 'gps' ? '' : sheet.getAttribute('data-id') || '';
};
// the visible map above the sheet: the sheet's height in px (0 when closed or beside the map)
Y.sheetCover = function() {
  if (sheet.hidden) return 0;
  var r = sheet.getBoundingClientRect();
  return r.width >= window.innerWidth - 2 ? Math.max(0, window.innerHeight - r.top) : 0;
};
// where a found point is shown: the spot of the map farthest, up to `clear` px, from every control (search box,
// zoom, full screen and locate buttons, legend, layers), the stamp and title, the open card and the map's edges,
// nearest the middle of the part above the card among equally clear spots (Y.clearSpot)
Y.freeSpot = function(clear) {
  lift();
  var size = map.getSize();
  return Y.clearSpot(size, Y.controlRects(map, true), clear, size.x / 2, (size.y - Y.sheetCover()) / 2);
};
// a found point shown clear of the controls and the card (Y.freeSpot), not merely centred above the card
Y.goTo = function(ll, zoom) {
  map.setView(ll, Math.max(map.getZoom(), zoom || 18), {animate: false});
  var s = Y.freeSpot(80), p = map.latLngToContainerPoint(ll);
  map.panBy([p.x - s.x, p.y - s.y], {animate: false});
};
// a tapped point the sheet would cover is panned up into the free part of the map
Y.keepVisible = function(ll) {
  var c = Y.sheetCover(), p = map.latLngToContainerPoint(ll), h = map.getSize().y;
  if (c && p.y > h - c - 20) map.panBy([0, p.y - (h - c) / 2], {animate: false});
};
var ring = null;
Y.mark = function(ll) {
  if (ring) map.removeLayer(ring);
  ring = L.circleMarker(ll, {radius: 14, color: '#111', weight: 3, fill: false, interactive: false}).addTo(map);
};
Y.goHousehold = function(hid) {
  var i = Y.householdIndex ? Y.householdIndex(hid) : -1;
  if (i < 0) return false;
  var ll = [Y.households.xy.lat[i], Y.households.xy.lon[i]];
  Y.goTo(ll, 18); Y.mark(ll);
  return true;
};
function unitRows(c, k) { sizeRows(c, k); statusRows(c, k); }
function sizeRows(c, k) {
  c.row(T['card.size'], whole(Y.sizeText(k)));
  if (R.by === 'persons' && F.n[k]) c.row(T.n_households, F.n[k]);
  else if (F.persons[k]) c.row(T['card.unit_persons'], F.persons[k]);  // not the household's own persons row
}
// whether unit k is not ok: an exception (declared, or excused by the check) or breaking a rule, or with a reason, a
// fix or findings to say
function notOk(k) {
  if (F.reason[k] || F.fix[k] || F.viol[k] || R.bad.indexOf(k) >= 0) return true;
  return (R.exc || []).some(function(e) { return e[0] === k; });
}
// (each row yl-why: what the sheet of a unit that is not ok grows to show whole, whyGrow)
function statusRows(c, k) {
  c.row(T.status, F.status[k]).className = 'yl-why';
  // the long texts below their label, across the card (yl-long): a phone's 190 px beside the label made an English
  // reason taller than the sheet; the reason's clauses each begin a line (Y.clauseLines)
  if (F.reason[k]) c.row(T.reason, Y.clauseLines(reasonText(k), R.clauseSep)).className = 'yl-warn yl-long yl-why';
  if (F.fix[k]) c.row(T['card.fix'], Y.fixWhole(F.fix[k])).className = 'yl-long yl-why';  // what to do: the console's fix (fixes_in)
  // the check's findings (check --map): a list, one finding an item, its fix under it, as the check's report lays
  // them out (they were one paragraph, joined by "; " with each fix inline: twelve lines at 390 x 844); each code
  // and option in them on one line, as in the fix row, the units and households they name links
  if (F.viol[k]) c.row(T['card.findings'], findings(F.viol[k], k)).className = 'yl-long yl-why';
}
// a unit's findings (interactive._violations_by_unit: [severity "e" / "w", sentence, fix] each), errors first
function findings(items, k) {
  var ul = el('ul', 'yl-finds');
  items.forEach(function(x) {
    var li = el('li', x[0] === 'w' ? 'yl-find-warn' : 'yl-find-err', ul);
    li.appendChild(namesLinked(x[1], k));
    if (x[2]) el('div', 'yl-find-fix', li).appendChild(namesLinked(x[2], k));
  });
  return ul;
}
// a finding's sentence (or fix) with each other unit and each household of the map it names a link: a unit's opens
// its card, a household's shows it as the reason's links do; each code and option in the rest kept on one line
// (Y.fixWhole), the punctuation right after a link on the link's line. The words are split at spaces and
// punctuation, each compared whole with the map's ids (a full stop ending one: the id without it); the card's own
// unit stays text
function namesLinked(s, k) {
  return Y.idsLinked(s, function(id) {
    var u = uix.get(id);
    if (u !== undefined) return u === k ? null : {unit: id};
    var i = Y.householdIndex ? Y.householdIndex(id) : -1;
    return i >= 0 ? {hid: id, i: i} : undefined;
  }, function(id, at) {
    var name = at.unit ? Y.fill(T['card.show_unit'], {unit: id}) : Y.fill(T['card.show_household'], {hid: id});
    var b = el('button', 'yl-idlink', null, id);
    b.type = 'button'; b.title = name; b.setAttribute('aria-label', name);
    b.addEventListener('click', function() {
      if (at.unit) Y.showUnit(at.unit, true);
      else if (Y.foundHousehold) Y.foundHousehold(at.i);
      else { Y.showHousehold(at.i); Y.goHousehold(at.hid); }
    });
    return b;
  });
}
// unit k's reason, each household it names by id (R.why: text and id by turns) a link showing it as the search finds
// it (its card, the view on it, ringed); an id the page has no household of stays text. The punctuation right after
// a link stays on its line (no line begins "，步行" or "、H12"): link and punctuation in one unbroken span
var codesWhole = Y.codesWhole;
function reasonText(k) {
  var p = ((R.why || [])[k] || []).slice();
  if (!p.length) return codesWhole(F.reason[k]);
  var f = document.createDocumentFragment();
  p.forEach(function(s, j) {
    var i = j % 2 && Y.householdIndex ? Y.householdIndex(s) : -1;
    if (i < 0) { if (s) codesWhole(s, f); return; }
    var tail = /^[，。、；：！？）」』,.;:!?)]+/.exec(p[j + 1] || ''), at = tail ? el('span', 'yl-nobr', f) : f;
    if (tail) p[j + 1] = p[j + 1].slice(tail[0].length);
    var b = el('button', 'yl-idlink', at, s), name = Y.fill(T['card.show_household'], {hid: s});
    if (tail) at.appendChild(document.createTextNode(tail[0]));
    b.type = 'button'; b.title = name; b.setAttribute('aria-label', name);
    b.addEventListener('click', function() {
      if (Y.foundHousehold) Y.foundHousehold(i);
      else { Y.showHousehold(i); Y.goHousehold(s); }
    });
  });
  return f;
}
// a household's name where the map carries a name column (allowed by --fields and --include-personal; R.nameCols:
// the household columns named as a person's name), else ''
function nameOf(hid) {
  var D = Y.households, i = Y.householdIndex ? Y.householdIndex(hid) : -1;
  if (i < 0 || !D.fields) return '';
  for (var j = 0; j < (R.nameCols || []).length; j++) {
    var f = D.fields.indexOf(R.nameCols[j]), cc = f >= 0 ? D.extra[f].c[i] : -1;
    if (cc >= 0 && D.extra[f].v[cc] !== null && D.extra[f].v[cc] !== '') return String(D.extra[f].v[cc]);
  }
  return '';
}
// the suggested head: a link showing that household, as the meeting point's, the name beside it where allowed
function headLink(hid) {
  if (!Y.householdIndex || Y.householdIndex(hid) < 0) return hid;
  var b = link(Y.fill(T['card.go_household'], {hid: hid}), function() { Y.showHousehold(Y.householdIndex(hid)); Y.goHousehold(hid); });
  var name = nameOf(hid);
  if (!name) return b;
  var box = el('div', 'yl-head');
  el('span', 'yl-head-name', box, name);
  box.appendChild(b);
  return box;
}
// the candidate heads: each a link showing that household, as the suggested head's (its name beside it where
// allowed); an id the page has no household of stays text
function headLinks(hids) {
  var box = el('div', 'yl-heads');
  hids.forEach(function(hid) {
    var h = headLink(hid);
    if (h instanceof Node) box.appendChild(h); else el('span', 'yl-head-id', box, h);
  });
  return box;
}
// the unit's village, group and settlement, as its households have them (each once, in the order of the households;
// the village only where no town row gives it, with its town)
function placeRows(c, k) {
  var D = Y.households;
  if (!D || !D.fields) return;
  (R.townVillage ? ['group', 'settlement'] : ['village', 'group', 'settlement']).forEach(function(name) {
    var f = D.fields.indexOf(name), seen = [];
    if (f < 0) return;
    for (var i = 0; i < D.u_.length; i++) {
      if (D.u_[i] !== k) continue;
      var cc = D.extra[f].c[i], v = cc >= 0 ? D.extra[f].v[cc] : null;
      if (v !== null && v !== '' && seen.indexOf(String(v)) < 0) seen.push(String(v));
    }
    if (seen.length) c.row(D.fieldLabels[f], seen.join(R.sep));
  });
}
function meetingRow(c, k) {
  var m = F.meet[k];
  c.row(T['card.meeting'], m ? link(Y.fill(T['card.go_household'], {hid: m}), function() { Y.goHousehold(m); })
                             : T['card.no_value']);
}
// the household card: its unit, the unit's size against the rule, the meeting point and this household's walk
Y.showHousehold = function(i) {
  var D = Y.households, hid = D.hid[i], k = D.u_[i], uid = k >= 0 ? R.units[k] : null;
  var c = Y.openCard('household', hid, Y.fill(T['card.household'], {hid: hid}));
  c.row(T.unit_id, uid ? link(Y.fill(T['card.open_unit'], {unit: uid}), function() { Y.showUnit(uid, true); })
                       : T['card.no_value']);
  if (k >= 0) { unitRows(c, k); meetingRow(c, k); }
  else c.row(T.status, D.stText[D.st_[i]]);
  var w = D.w_ ? D.w_[i] : -1;
  c.row(T['card.walk_here'], w >= 0 ? Y.fill(T['card.minutes'], {minutes: (w / 10).toFixed(1)}) : T['card.no_value']);
  for (var f = 0; f < D.fields.length; f++) {
    var cc = D.extra[f].c[i];
    if (cc >= 0 && D.extra[f].v[cc] !== null && D.extra[f].v[cc] !== '') c.row(D.fieldLabels[f], D.extra[f].v[cc]);
  }
  Y.highlight(uid);
  return sheet;
};
// the unit card: highlighted and framed, size against the rule, meeting point, walks, heads ("no candidate" where the
// plan knows candidates and the unit has none); the declared exceptions with their codes, and the units that break the rule.
// A unit not ok (notOk) has its status, reason, fix and findings first
Y.showUnit = function(uid, frame) {
  var k = uix.get(uid);
  if (k === undefined) return null;
  var c = Y.openCard('unit', uid, Y.fill(T['card.unit'], {unit: uid}));
  // a unit that is not ok says why first, its status, reason, fix and findings right under the title: on a phone the
  // sheet showed its size, village and meeting point, and the reason below the fold (s58 U, HEAD-SHORT at 360 x 640)
  var bad = notOk(k);
  if (bad) { sheet.setAttribute('data-why', ''); statusRows(c, k); }
  placeRows(c, k); sizeRows(c, k);
  if (!bad) statusRows(c, k);
  meetingRow(c, k);
  if (F.mean[k] || F.max[k]) c.row(T['card.walk_unit'], Y.fill(T['card.walk_pair'], {mean: F.mean[k] || '—', max: F.max[k] || '—'}));
  if (F.head[k] || R.heads) c.row(T['card.head'], F.head[k] ? headLink(F.head[k]) : T['card.no_candidate']);
  if ((R.headIds || [])[k]) c.row(T['card.heads'], headLinks(R.headIds[k]));
  if (Y.unitExtra) Y.unitExtra(sheet, uid);
  brokenList();
  Y.highlight(uid);
  if (frame !== false && Y.unitBounds[uid]) {
    var b = Y.unitBounds[uid];
    Y.frame([[b[0], b[1]], [b[2], b[3]]], 18);
  }
  return sheet;
};
// bounds fitted into the part of the map no control covers, measured on the page (the zoom, GPS and search box
// stacked at the top left, the stamp and title, the layers button, the legend button, scale and credit, lifted above
// an open card, and the card): the clear rectangle that shows them largest (Y.clearPadding), 12 px inside it
Y.framePadding = function(bounds, maxZoom) {
  lift();
  return Y.clearPadding(map, bounds, maxZoom, Y.controlRects(map, true), 12);
};
// what was last framed (a unit, a village …) and the padding it was framed with: framed again when the room left
// for it changes (the card made lower for the not-found row, taller, the screen turned: the controls lifted above the
// card then moved over it); forgotten when the official moves the map, or another card opens or the card closes
var framed = null, framing = false;
Y.frame = function(bounds, maxZoom) {
  framing = true;
  try {
    var p = Y.framePadding(bounds, maxZoom);
    map.fitBounds(bounds, {maxZoom: maxZoom, animate: false, paddingTopLeft: p.tl, paddingBottomRight: p.br});
    framed = {bounds: bounds, maxZoom: maxZoom, pad: JSON.stringify(p)};
  } finally { framing = false; }
};
function reframe() {
  if (!framed || framing) return;
  framing = true;
  try {
    var p = Y.framePadding(framed.bounds, framed.maxZoom);
    if (JSON.stringify(p) !== framed.pad) {
      map.fitBounds(framed.bounds, {maxZoom: framed.maxZoom, animate: false, paddingTopLeft: p.tl, paddingBottomRight: p.br});
      framed.pad = JSON.stringify(p);
      Y.reframed = (Y.reframed || 0) + 1;
    }
  } finally { framing = false; }
}
function forget() { if (!framing) framed = null; }
map.on('dragstart zoomstart', forget);
// a folded list of units, each a link opening its card
function unitList(cls, summary, items) {
  var d = el('details', 'yl-broken ' + cls, sheet);
  el('summary', '', d, summary);
  var box = el('div', 'yl-broken-list', d);
  items.forEach(function(it) {
    box.appendChild(link(it[1], function() { Y.showUnit(R.units[it[0]], true); }));
  });
}
// the map's exceptions the delineation declared (each with the short words of its code, as its reason starts on its
// card: no rule broken, as check counts), then the map's units that break the rule (what check calls a violation),
// each list titled as the whole map's: on U007's card "例外院落（6 个）" read as U007's. No unit breaking the rule: a plain
// line, not a list that opens to nothing
function brokenList() {
  var exc = R.exc || [], words = R.excWords || [];
  if (exc.length) unitList('yl-exc', Y.fill(T['card.exceptions'], {n: exc.length}), exc.map(function(e, j) {
    var uid = R.units[e[0]], why = words[j] || e[1];
    return [e[0], why ? Y.fill(T['card.exception_item'], {unit: uid, reason: why}) : uid];
  }));
  if (R.bad.length) {
    unitList('yl-bad', Y.fill(T['card.broken'], {n: R.bad.length}), R.bad.map(function(k) { return [k, R.units[k]]; }));
  }
  else el('div', 'yl-none-broken', sheet, T['card.none_broken']);
}
// the controls at the map's foot (legend, credit, scale) stand above a card across the screen, not under it: the
// legend stays a tap away with a card open. What made the card lower (clearStack) is measured again each time: the
// credit shown whole over a card at 360 x 640 made it 53 px lower, and so it stayed once the credit folded again
var lowered = false;  // the card made lower by clearStack
function lift() {
  if (lowered || grown) { sheet.style.maxHeight = ''; lowered = grown = false; }
  if (shifted) { shifted.style.left = ''; shifted = null; }
  place();
  if (Y.sheetCover() && whyGrow()) place();
  if (Y.sheetCover() && clearStack()) place();
  if (Y.maturityFit) Y.maturityFit();  // the maturity panel ends above the controls lifted over the card
  reframe();
}
// the card of a unit that is not ok across a phone held upright grows to show its status, reason, fix and findings
// (the rows yl-why) whole, where the sheet's 48 % of the screen does not: the English HEAD-SHORT card at 360 x 640
// showed the reason to its third clause, its last clause and the fix (242 px) scrolled away. Up to WHY_CAP of the
// screen, so the map above keeps a third of it (two thirds on a phone held upright leave the unit, framed again into
// the map left clear, in sight); the controls at the left it reaches (the search box, ◎) are under it while it is open
var WHY_CAP = 2 / 3, grown = false, shifted = null;  // (shifted: the scale's corner moved right, clearStack)
function whyGrow() {
  var rows = sheet.hasAttribute('data-why') ? sheet.querySelectorAll('tr.yl-why') : [];
  if (!rows.length) return false;
  var sr = sheet.getBoundingClientRect(), pad = parseFloat(getComputedStyle(sheet).paddingBottom) || 0;
  var need = Math.ceil(rows[rows.length - 1].getBoundingClientRect().bottom - sr.top + sheet.scrollTop + pad);
  var cap = Math.floor(window.innerHeight * WHY_CAP), top = window.innerHeight - Math.min(need, cap), i, r;
  // its top edge cuts no control at the left (the search box half under it): it covers that one whole where the
  // cap allows (a fix 31 px short of the foot otherwise, zh at 360 x 640 in other fonts), else stops below it
  var tl = map.getContainer().querySelector('.leaflet-top.leaflet-left'), kids = tl ? tl.children : [];
  for (i = 0; i < kids.length; i++) {
    r = kids[i].getBoundingClientRect();
    if (r.height && r.top < top && r.bottom + 4 > top) top = window.innerHeight - r.top <= cap ? r.top : r.bottom + 4;
  }
  var want = Math.floor(window.innerHeight - top);
  if (want <= sr.height + 1) return false;
  sheet.style.maxHeight = want + 'px';
  grown = true;
  return true;
}
// on a low screen (360 x 640) the controls lifted above the card stood over the search box: the English legend
// button over its Find button, the scale and credit over its not-found row. The card is then made lower by as much
// (down to a third of the screen; it scrolls), while the controls stand so: lift() measures it again
function clearStack() {
  var tl = map.getContainer().querySelector('.leaflet-top.leaflet-left'), bottom = 0, right = 0, over = 0, i, r;
  var top = sheet.getBoundingClientRect().top;
  if (!tl) return false;
  for (i = 0; i < tl.children.length; i++) {  // (a control under a grown card, whyGrow, is none of them)
    r = tl.children[i].getBoundingClientRect();
    if (r.height && r.top < top) { bottom = Math.max(bottom, r.bottom); right = Math.max(right, r.right); }
  }
  var low = map.getContainer().querySelectorAll('.leaflet-bottom .leaflet-control'), left = null;
  for (i = 0; i < low.length; i++) {
    r = low[i].getBoundingClientRect();
    if (r.height && r.left < right && r.top < bottom + 4) {
      // over a grown card (whyGrow) the scale at the left stands right of the controls above it (the zoom, ◎)
      if (grown && L.DomUtil.hasClass(low[i].parentNode, 'leaflet-left')) left = low[i].parentNode;
      else over = Math.max(over, bottom + 4 - r.top);
    }
  }
  if (left) { left.style.left = Math.ceil(right + 4) + 'px'; shifted = left; }
  if (!over) return false;
  var h = sheet.getBoundingClientRect().height, want = Math.max(window.innerHeight / 3, h - over);
  if (want >= h) return false;
  sheet.style.maxHeight = Math.floor(want) + 'px';
  lowered = true;
  return true;
}
Y.liftControls = lift;
var raised = false;  // the card set to stand on the credit (place)
var aside = false;  // the card set right of the controls at the left (beside)
var over = false;  // a control at the right the card beside the map has no room to clear: it stands over the card
function beside() {
  var tl = map.getContainer().querySelector('.leaflet-top.leaflet-left'), sr = sheet.getBoundingClientRect(), right = 0, i, r;
  if (!tl) return;
  for (i = 0; i < tl.children.length; i++) {
    r = tl.children[i].getBoundingClientRect();
    if (r.height && r.left < sr.right && sr.left < r.right && r.top < sr.bottom && sr.top < r.bottom) right = Math.max(right, r.right);
  }
  var left = Math.ceil(right + 8), width = Math.min(sr.width, window.innerWidth - left - 12);
  if (!right || width < 240) return;
  // and left of the controls at the right it would cover (the legend, open or folded to its button, stood partly
  // under the card at 740 x 360), where 240 px or more are left; else the legend stands over the card (yl-over-card),
  // not under it: it was opened by a tap and folds by the next. (The credit is not one: the card stands on its line.)
  var br = map.getContainer().querySelectorAll('.leaflet-right .leaflet-control'), edge = window.innerWidth;
  for (i = 0; i < br.length; i++) {
    r = br[i].getBoundingClientRect();
    if (r.height && !L.DomUtil.hasClass(br[i], 'leaflet-control-attribution') && r.left < left + width && r.top < sr.bottom && sr.top < r.bottom) edge = Math.min(edge, r.left);
  }
  if (edge - 8 - left >= 240) width = Math.min(width, edge - 8 - left);
  else if (edge < left + width) over = true;
  sheet.style.left = left + 'px'; sheet.style.width = Math.floor(width) + 'px';
  aside = true;
}
function place() {
  var c = Y.sheetCover(), corners = map.getContainer().querySelectorAll('.leaflet-bottom');
  for (var i = 0; i < corners.length; i++) corners[i].style.bottom = c ? c + 'px' : '';
  // the scale (left) above a credit wrapped across the screen (right), as at the foot without a card: not under it
  var a = map.attributionControl && map.attributionControl.getContainer(),
      l = map.getContainer().querySelector('.leaflet-bottom.leaflet-left');
  // over a card across the screen the credit is one line (the map above a card at 360 x 640 is some 300 px tall: three
  // lines of credit took 71 px of it), whole again, three lines at most, once the card closes; a tap shows it whole
  var one = !sheet.hidden;
  if (a && L.DomUtil.hasClass(a, 'yl-credit-one') !== one) {
    L.DomUtil[one ? 'addClass' : 'removeClass'](a, 'yl-credit-one');
    if (Y.creditFold) Y.creditFold(false, true);
  }
  // a card beside the map (a phone held sideways, 740 x 360) stood over the search box's 查找 button (the box is 257
  // px wide with it, the card stood at 224 px): it stands right of the controls at the left it would cover, so the
  // official can search again with it open, where 240 px or more are left for it
  if (aside) { sheet.style.left = ''; sheet.style.width = ''; aside = false; }
  over = false;
  if (!c && !sheet.hidden) beside();
  var rc = map.getContainer().querySelectorAll('.leaflet-bottom.leaflet-right, .leaflet-top.leaflet-right');
  for (var j = 0; j < rc.length; j++) L.DomUtil[over ? 'addClass' : 'removeClass'](rc[j], 'yl-over-card');
  // a control standing over the card's head (the maturity panel's button, en 640 x 360) covered its close button:
  // the head ends left of it
  var head = sheet.querySelector('.yl-card-head');
  if (head) head.style.paddingRight = '';
  if (Y.legendFit) Y.legendFit();  // the legend over the card ends below its head (legend.js)
  if (over && head) {
    var hr = head.getBoundingClientRect(), cut = 0, rr, ctl = map.getContainer().querySelectorAll('.leaflet-right .leaflet-control');
    for (var k = 0; k < ctl.length; k++) {
      rr = ctl[k].getBoundingClientRect();
      if (rr.height && rr.left < hr.right && hr.left < rr.right && rr.top < hr.bottom && hr.top < rr.bottom) cut = Math.max(cut, Math.ceil(hr.right - rr.left + 4));
    }
    if (cut) head.style.paddingRight = cut + 'px';
  }
  if (a && l) {  // above its line: the transparent top of a folded credit's box (yuanluo.css) is over the scale
    var ar = a.getBoundingClientRect(), lr = l.getBoundingClientRect(), at = ar.top + a.clientTop;
    if (ar.height > 0 && ar.left < lr.right && at < lr.bottom) l.style.bottom = (c + Math.ceil(lr.bottom - at)) + 'px';
  }
  // a card beside the map stood over the credit wrapped under it, the foot of its lines showing below the card, and
  // over the scale (moved right of the search box: the maturity map, zh with the text at 130 %, 844 x 390): the card
  // stands on the highest of them it would cover, its top where it was
  if (raised) { sheet.style.bottom = ''; sheet.style.maxHeight = ''; raised = false; }
  if (!c && !sheet.hidden) {
    var sr = sheet.getBoundingClientRect(), top = Infinity, feet = l ? [].slice.call(l.children) : [];
    if (a) feet.push(a);
    feet.forEach(function(f) {
      var fr = f.getBoundingClientRect();
      if (fr.height && sr.left < fr.right && fr.left < sr.right && sr.bottom > fr.top) top = Math.min(top, fr.top);
    });
    if (top < Infinity) {
      var b = Math.ceil(window.innerHeight - top + 6);
      sheet.style.bottom = b + 'px';
      sheet.style.maxHeight = Math.max(120, Math.floor(window.innerHeight - b - sr.top)) + 'px';
      raised = true;
    }
  }
}
if (window.ResizeObserver) new ResizeObserver(lift).observe(sheet);
window.addEventListener('resize', function() { sheet.style.maxHeight = ''; lift(); });
// the highlighted unit: a thick dark outline on its territory (none: clear)
var lit = null;
Y.highlight = function(uid) {
  var polys = Y.unitPolys || {};
  if (lit && polys[lit]) polys[lit].forEach(function(p) { p.setStyle(p._ylBase); });
  lit = uid && polys[uid] ? uid : null;
  if (lit) polys[lit].forEach(function(p) { p.setStyle({color: '#111', weight: 4, dashArray: null, fillOpacity: 0.45}); p.bringToFront(); });
};
// a tap on empty map (no household, unit or service point under it; controls keep their taps) closes the card
map.on('click', function(e) {
  if (sheet.hidden) return;
  var p = e.containerPoint;
  if (Y.householdAt && Y.householdAt(p) >= 0) return;
  if (Y.hubAt && Y.hubAt(p) >= 0) return;
  if (Y.unitAt && Y.unitLayer && map.hasLayer(Y.unitLayer) && Y.unitAt(e.latlng)) return;
  Y.closeCard();
});
// locating errors in the page's language in the card, never the locate control's English alert
if (L.Control.Locate) L.Control.Locate.prototype.options.onLocationError = function(err) { Y.gpsError(err); };
Y.gpsError = function(err) {
  var code = err && err.code, why = code === 1 ? T['gps.denied'] : code === 3 ? T['gps.timeout'] : T['gps.unavailable'];
  Y.openCard('gps', 'error', T['gps.failed']).row('', why);
  return sheet;
};
