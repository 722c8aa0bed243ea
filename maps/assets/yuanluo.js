// Yuanluo map page: the shared library window.yuanluo (decoders, grid index, canvas layers, popup tables).
// Runs as (function(parent, map) { ... }) after `var K = <JSON>;` (colours and limits, yuanluo.maps.interactive).
var Y = window.yuanluo = window.yuanluo || {};
Y.K = K;
// text compared as a phone keyboard may type it: NFKC (full-width to half-width), lower case, trimmed
Y.norm = function(s) { return String(s === null || s === undefined ? '' : s).normalize('NFKC').toLowerCase().trim(); };
// the villages a search finds by name, the search boxes' one rule (field map, coverage map, editor): every name
// equal to q (Y.norm'ed: width and case aside; two towns may each have a village of that name), else the one name
// that begins with it; {index: true} of names, or null
Y.villagesNamed = function(names, q) {
  var hit = {}, exact = 0, begins = [], j;
  for (j = 0; j < names.length; j++) {
    var v = Y.norm(names[j]);
    if (!v) continue;
    if (v === q) { hit[j] = true; exact++; } else if (v.indexOf(q) === 0) begins.push(j);
  }
  if (exact) return hit;
  if (begins.length !== 1) return null;
  hit[begins[0]] = true;
  return hit;
};
// where Y.villagesNamed finds none because two or more names begin with q (石 of 石桥村 and 石门村): those names,
// each once (names Y.norm'ed alike are one village name: its first spelling), in the order of names; [] otherwise
Y.villagesBeginning = function(names, q) {
  var out = [], seen = {}, j;
  if (!q || Y.villagesNamed(names, q)) return out;
  for (j = 0; j < names.length; j++) {
    var v = Y.norm(names[j]);
    if (!v || v.indexOf(q) !== 0 || seen['=' + v]) continue;
    seen['=' + v] = true; out.push(String(names[j]));
  }
  return out.length > 1 ? out : [];
};
// the search boxes' choice among those villages (field map, coverage map, editor): el emptied and filled with the
// sentence t ({n} names, {q} as typed: map.search_villages) and a button per name; a tap on one calls pick(name).
// Where the page gives K.more (map.search_more: the field and coverage maps), at most K.moreAfter names are buttons,
// the rest said by a last row that is no button ("还有 59 个，请输入更多字"): 67 settlements beginning with 石 are not
// 67 buttons to scroll through on a phone; whole: every one a button (the households of one name: typing more finds
// no fewer). Every name and q go in as text (textContent), never as markup.
Y.villageChoices = function(el, t, q, names, pick, whole) {
  while (el.firstChild) el.removeChild(el.firstChild);
  var head = document.createElement('div'), list = document.createElement('div');
  var cap = K.more && !whole && names.length > K.moreAfter ? K.moreAfter : names.length;
  head.className = 'yl-choices-head'; head.textContent = Y.fill(t, {n: names.length, q: q});
  list.className = 'yl-choices-list';
  names.slice(0, cap).forEach(function(name) {
    var b = document.createElement('button');
    b.type = 'button'; b.textContent = name;
    b.addEventListener('click', function(e) { e.stopPropagation(); pick(name); });
    list.appendChild(b);
  });
  el.appendChild(head); el.appendChild(list);
  if (cap < names.length) {  // below the list, which may scroll on a low screen: always in sight
    var more = document.createElement('div');
    more.className = 'yl-choices-more'; more.textContent = Y.fill(K.more, {n: names.length - cap});
    el.appendChild(more);
  }
  el.hidden = false;
};
// a template's {name} fields filled with text (a function replacement: no $-patterns from the data)
// English: a count of one said in the singular, as the catalogue says it (K.one: gis.catalogue.english_one_rule;
// its patterns keep the character before the count as their first group: no lookbehind, which older phones lack)
Y.oneRe = K.one ? new RegExp(K.one.re, 'g') : null;
Y.oneIrregular = K.one ? new RegExp(K.one.irregular, 'g') : null;
Y.one = function(s) {
  if (!Y.oneRe) return s;
  return s.replace(Y.oneRe, function(m0, before, noun, verb, apos) {  // "1 minutes' walk": "1 minute's walk"
    return before + '1 ' + noun + (apos ? "'s" : '') + (verb ? ' ' + K.one.verbs[verb] : '');
  }).replace(Y.oneIrregular, function(m0, before, noun, verb) {  // "1 entries match": "1 entry matches"
    return before + '1 ' + K.one.singular[noun] + (verb ? ' ' + K.one.verbs[verb] : '');
  });
};
// a field the template sets in quotes (“{q}”) left bare where its value has quotes of its own ("S01"), so that it reads
// quoted once, as the catalogue renders its own (gis.catalogue.once_quoted); code's ASCII quotes (after =, a call's
// "(" or a list's "[") stay code. No lookbehind: a phone's older browser has none.
Y.QUOTE_PAIRS = {'“': '”', '「': '」', '‘': '’', "'": "'", '"': '"'};
Y.OWN_QUOTES = /"[^"]*"|'[^']*'|“[^”]*”|‘[^’]*’|「[^」]*」|^["'“”‘’「」]|["'“”‘’「」]$/;
Y.onceQuoted = function(t, p) {
  return String(t).replace(/(= ?|\w\(|\[)?([“「‘'"])\{(\w+)\}([”」’'"])/g, function(m0, pre, o, k, c) {
    var v = p[k];
    if (Y.QUOTE_PAIRS[o] !== c || typeof v !== 'string' || (pre && (o === "'" || o === '"'))) return m0;
    return Y.OWN_QUOTES.test(v) ? (pre || '') + '{' + k + '}' : m0;
  });
};
Y.fill = function(t, p) { return Y.one(Y.onceQuoted(t, p).replace(/\{(\w+)\}/g, function(m0, k) { return k in p ? String(p[k]) : m0; })); };
// the text s into the fragment f (a new one by default), each match of the global pattern re one span kept on one
// line (span.yl-nobr: white-space nowrap in both pages' style sheets), the text (textContent) as it was; keep(m), if
// given, says what of a match m to keep so: [where it starts, its text, whether in a span] (the pattern goes on
// after it)
Y.unbroken = function(s, re, f, keep) {
  var at = 0, m, k, sp;
  f = f || document.createDocumentFragment();
  s = String(s);
  while ((m = re.exec(s))) {
    k = keep ? keep(m) : [m.index, m[0], true];
    if (k[0] > at) f.appendChild(document.createTextNode(s.slice(at, k[0])));
    if (k[2]) { sp = document.createElement('span'); sp.className = 'yl-nobr'; sp.textContent = k[1]; f.appendChild(sp); }
    else f.appendChild(document.createTextNode(k[1]));
    at = k[0] + k[1].length;
    re.lastIndex = at;
  }
  if (at < s.length) f.appendChild(document.createTextNode(s.slice(at)));
  return f;
};
// a text with each code in it (RULE-INFEASIBLE, HEAD-SHORT) kept on one line, as the check report keeps it (span.cid):
// a card at 360 px broke 规模无法达标（RULE- over INFEASIBLE）
Y.codesWhole = function(s, f) { return Y.unbroken(s, /[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+/g, f); };
// a fix (what to do) with each code and each command-line option kept on one line, an option with its value
// ("-o plan.xlsx", "--crs gcj02", "--unit-col NAME": a name or path, a number, a placeholder in capitals, at most 24
// columns, as the check report's planners.report._is_value keeps it): a card at 300-400 px broke "--thorough-heads"
// at its inner hyphen and WALK-EXCEPTION at its hyphen. A word of the sentence after an option stays out of it.
// (\w is Python's: a Han character is one too)
Y.fixWhole = function(s, f) {
  // (the character before a match its first group, not a lookbehind, which older phones' browsers lack: a page
  // with one would not run there at all)
  var re = /(^|[^\w-])(?:(--[A-Za-z][\w-]*|-[A-Za-z](?= ))(?: ([.{\\/~]*[\w\u2e80-\u9fff](?:[\w\u2e80-\u9fff.:\\/+~{}\u2013-]*[\w\u2e80-\u9fff\\/}])?))?|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)/g;
  return Y.unbroken(s, re, f, function(m) {
    var keep = m[0].slice(m[1].length);
    if (m[3] !== undefined && !(Y.columns(m[3]) <= 24 && /[\d.:\\/+{]|^[A-Z][A-Z_]*$/.test(m[3]))) keep = m[2];
    return [m.index + m[1].length, keep, keep !== m[2] || keep.charAt(1) === '-'];  // a short option alone cannot break
  });
};
// a sentence with the ids it names as links (the map card's findings, the editor's list of findings): the words split
// at spaces and punctuation, each asked of look(word) — something to link, null for an id left as text (the card's
// own unit), undefined for no id (a word ending in a full stop: then the id without it); link(id, at) makes the link;
// each code and option in the rest kept on one line (Y.fixWhole), the punctuation right after a link on its line
var NAME_SPLIT = /([\s,，、;；:：()（）。“”"'「」]+)/;
Y.idsLinked = function(s, look, link) {
  var f = document.createDocumentFragment(), parts = String(s).split(NAME_SPLIT), text = '';
  function flush() { if (text) Y.fixWhole(text, f); text = ''; }
  for (var j = 0; j < parts.length; j++) {
    var w = parts[j], id = w, dot = '', at = j % 2 || !w ? null : look(w);
    if (at === undefined && /\.$/.test(w)) { id = w.slice(0, -1); dot = '.'; at = id ? look(id) : null; }
    if (!at) { text += w; continue; }
    flush();
    var b = link(id, at);
    var next = /^[，。、；：！？）」』”,.;:!?)]+/.exec(dot ? '' : parts[j + 1] || ''), tail = dot || (next ? next[0] : '');
    if (!tail) { f.appendChild(b); continue; }
    if (next) parts[j + 1] = parts[j + 1].slice(tail.length);
    var box = f.appendChild(document.createElement('span'));
    box.className = 'yl-nobr';
    box.appendChild(b); box.appendChild(document.createTextNode(tail));
  }
  flush();
  return f;
};
// how wide a text is in columns, a Han character two
Y.columns = function(s) { var n = 0; for (var i = 0; i < s.length; i++) n += /[\u2e80-\u9fff]/.test(s[i]) ? 2 : 1; return n; };
// a reason (text, or a node of text and buttons) with a line break after each of its clause separators sep (；, "; "):
// each clause begins a line, the text (textContent) as it was; a separator at the very end breaks nothing
Y.clauseLines = function(reason, sep) {
  var f = document.createDocumentFragment();
  if (typeof reason === 'string') f.appendChild(document.createTextNode(reason)); else f.appendChild(reason);
  if (!sep) return f;
  var walk = document.createTreeWalker(f, NodeFilter.SHOW_TEXT), found = [], t;
  while ((t = walk.nextNode())) found.push(t);
  found.forEach(function(node) {
    var parts = node.nodeValue.split(sep);
    if (parts.length < 2) return;
    var at = node.parentNode, next = node.nextSibling;
    at.removeChild(node);
    parts.forEach(function(x, j) {
      var last = j === parts.length - 1;
      if (x || !last) at.insertBefore(document.createTextNode(last ? x : x + sep), next);
      if (!last) at.insertBefore(document.createElement('br'), next);
    });
  });
  // no break after the reason's last character (a separator ending it adds no empty line)
  var end = f.lastChild;
  while (end && end.nodeType === 1 && end.tagName !== 'BR' && end.lastChild) end = end.lastChild;
  if (end && end.tagName === 'BR') end.parentNode.removeChild(end);
  return f;
};
// integer arrays: plain, run-length {r}, differences {z} or run-length differences {zr}
Y.ints = function(x) {
  if (Array.isArray(x)) return x;
  var src = x.r || x.zr, out = [], k, j;
  if (src) { for (k = 0; k < src.length; k += 2) for (j = 0; j < src[k + 1]; j++) out.push(src[k]); }
  else out = x.z.slice();
  if (x.z || x.zr) for (k = 1; k < out.length; k++) out[k] += out[k - 1];
  return out;
};
// a column: plain list or dictionary-encoded {v: values, c: codes (-1 = empty)}
Y.col = function(f) {
  if (Array.isArray(f)) return f;
  var c = Y.ints(f.c); return c.map(function(i) { return i < 0 ? null : f.v[i]; });
};
Y.ids = function(h) {
  if (Array.isArray(h)) return h;
  return Y.ints(h.n).map(function(v) { var s = String(v); while (s.length < h.w) s = '0' + s; return h.p + s; });
};
// packed lines / polygons (see yuanluo.maps.interactive._pack) -> nested [lat, lon] arrays
Y.unpack = function(P) {
  var d = P.d, items = [], y = 0, x = 0, k = 0, i, j, lev;
  var n0 = Y.ints(P.n[0]);
  for (i = 0; i < n0.length; i++) {
    var pts = new Array(n0[i]);
    for (j = 0; j < n0[i]; j++, k += 2) { y += d[k]; x += d[k + 1]; pts[j] = [P.lat0 + y * P.q, P.lon0 + x * P.q]; }
    items.push(pts);
  }
  for (lev = 1; lev < P.n.length; lev++) {
    var cnt = Y.ints(P.n[lev]), out = [], s = 0;
    for (i = 0; i < cnt.length; i++) { out.push(items.slice(s, s + cnt[i])); s += cnt[i]; }
    items = out;
  }
  return items;
};
// whether [lat, lon] lies inside a multipolygon as Y.unpack gives it (polygons of rings, the first the outline and
// the rest holes; even-odd rule)
Y.inside = function(mp, lat, lon) {
  function inRing(r) {
    var c = false;
    for (var i = 0, j = r.length - 1; i < r.length; j = i++)
      if ((r[i][0] > lat) !== (r[j][0] > lat) &&
          lon < (r[j][1] - r[i][1]) * (lat - r[i][0]) / (r[j][0] - r[i][0]) + r[i][1]) c = !c;
    return c;
  }
  for (var k = 0; k < mp.length; k++) {
    if (!mp[k].length || !inRing(mp[k][0])) continue;
    for (var h = 1; h < mp[k].length && !inRing(mp[k][h]); h++);
    if (h === mp[k].length) return true;
  }
  return false;
};
// the distance from [lat, lon] to the nearest outline of a multipolygon as Y.unpack gives it, in degrees of
// latitude (longitudes scaled by the cosine of lat, so the distances compare as on the screen)
Y.outlineDistance = function(mp, lat, lon) {
  var c = Math.cos(lat * Math.PI / 180), best = Infinity;
  for (var k = 0; k < mp.length; k++)
    for (var h = 0; h < mp[k].length; h++) {
      var r = mp[k][h];
      for (var i = 1; i < r.length; i++) {
        var ax = (r[i - 1][1] - lon) * c, ay = r[i - 1][0] - lat, bx = (r[i][1] - lon) * c, by = r[i][0] - lat;
        var dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
        var t = l2 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / l2)) : 0, px = ax + t * dx, py = ay + t * dy;
        best = Math.min(best, px * px + py * py);
      }
    }
  return Math.sqrt(best);
};
// a popup or tooltip table built as DOM nodes: every label and value goes in as text, never as HTML
Y.table = function(rows) {
  var t = document.createElement('table'); t.className = 'yl-pop';
  rows.forEach(function(r) {
    var tr = t.insertRow(), th = document.createElement('th');
    th.textContent = r[0]; tr.appendChild(th); tr.insertCell().textContent = String(r[1]);
  });
  return t;
};
// points bucketed once by Web-Mercator cell; a view visits only the cells it intersects
Y.Grid = function(mx, my) {
  var n = mx.length, i, x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (i = 0; i < n; i++) { x0 = Math.min(x0, mx[i]); x1 = Math.max(x1, mx[i]); y0 = Math.min(y0, my[i]); y1 = Math.max(y1, my[i]); }
  if (!n) { x0 = y0 = 0; x1 = y1 = 1; }
  var cell = Math.max(x1 - x0, y1 - y0, 1) / 128;
  this.x0 = x0; this.y0 = y0; this.cell = cell;
  this.nx = Math.floor((x1 - x0) / cell) + 1; this.ny = Math.floor((y1 - y0) / cell) + 1;
  var cellOf = new Int32Array(n), start = new Int32Array(this.nx * this.ny + 1);
  for (i = 0; i < n; i++) {
    cellOf[i] = Math.floor((my[i] - y0) / cell) * this.nx + Math.floor((mx[i] - x0) / cell);
    start[cellOf[i] + 1]++;
  }
  for (i = 0; i < this.nx * this.ny; i++) start[i + 1] += start[i];
  var fill = start.slice(0, this.nx * this.ny), order = new Int32Array(n);
  for (i = 0; i < n; i++) order[fill[cellOf[i]]++] = i;
  this.start = start; this.order = order;
};
Y.Grid.prototype._range = function(x0, y0, x1, y1) {
  var c = this.cell, cl = function(v, hi) { return Math.max(0, Math.min(hi, v)); };
  return [cl(Math.floor((x0 - this.x0) / c), this.nx - 1), cl(Math.floor((x1 - this.x0) / c), this.nx - 1),
          cl(Math.floor((y0 - this.y0) / c), this.ny - 1), cl(Math.floor((y1 - this.y0) / c), this.ny - 1),
          x1 >= this.x0 && y1 >= this.y0 && x0 <= this.x0 + this.nx * c && y0 <= this.y0 + this.ny * c];
};
// number of points in the cells a view intersects (an upper bound of those inside it)
Y.Grid.prototype.count = function(x0, y0, x1, y1) {
  var r = this._range(x0, y0, x1, y1), t = 0;
  if (!r[4]) return 0;
  for (var j = r[2]; j <= r[3]; j++) t += this.start[j * this.nx + r[1] + 1] - this.start[j * this.nx + r[0]];
  return t;
};
Y.Grid.prototype.visit = function(x0, y0, x1, y1, fn) {
  var r = this._range(x0, y0, x1, y1);
  if (!r[4]) return;
  for (var j = r[2]; j <= r[3]; j++)
    for (var k = this.start[j * this.nx + r[0]], e = this.start[j * this.nx + r[1] + 1]; k < e; k++) fn(this.order[k]);
};
// the Web-Mercator view of a map: scale (px per m), reference points, bounds in metres with a margin
Y.view = function(m, pad) {
  var size = m.getSize(), z = m.getZoom(), s = 256 * Math.pow(2, z) / (2 * Math.PI * 6378137);
  var ref = m.latLngToContainerPoint(m.getCenter()), pc = L.Projection.SphericalMercator.project(m.getCenter());
  return {size: size, z: z, s: s, rx: ref.x, ry: ref.y, px: pc.x, py: pc.y,
          x0: pc.x + (-pad - ref.x) / s, x1: pc.x + (size.x + pad - ref.x) / s,
          y0: pc.y - (size.y + pad - ref.y) / s, y1: pc.y + (ref.y + pad) / s};
};
// a layer's canvas laid over the map's view and cleared for drawing; where it was laid (the map's zoom and pixel
// origin, the canvas's place in the layer) is kept for Y.CanvasLayer's _follow
Y.canvas = function(layer, m) {
  var c = layer._c, size = m.getSize(), at = m.containerPointToLayerPoint([0, 0]);
  L.DomUtil.setPosition(c, at);
  c.width = size.x; c.height = size.y;
  layer._drawn = {zoom: m.getZoom(), origin: m.getPixelOrigin(), at: at};
  return c.getContext('2d');
};
// a canvas drawn at the end of each move (households, meeting points, unit ids, the editor's dots). While the map
// flies (the ◎ control's flight, a unit's frame) or a pinch zooms it, Leaflet moves it frame by frame without
// ending the move: the canvas stood still, the unit ids at their old places over the moving territories, and jumped
// when the flight ended. It now moves and scales with the map at each of those frames (_follow: as Leaflet moves its
// own vector layers), drawn afresh when the move ends
Y.CanvasLayer = L.Layer.extend({
  onAdd: function(m) {
    this._c = L.DomUtil.create('canvas', 'leaflet-zoom-hide yl-dots');
    this._c.style.pointerEvents = 'none';
    this._c.style.transformOrigin = '0 0';
    m.getPanes()[this._pane || 'overlayPane'].appendChild(this._c);  // a layer may name its pane (_pane)
    m.on('moveend zoomend resize viewreset', this._redraw, this);
    m.on('zoom move', this._follow, this);
    if (this._click) m.on('click', this._click, this);
    this._redraw();
  },
  onRemove: function(m) {
    L.DomUtil.remove(this._c);
    m.off('moveend zoomend resize viewreset', this._redraw, this);
    m.off('zoom move', this._follow, this);
    if (this._click) m.off('click', this._click, this);
    this._removed();
  },
  // the drawn canvas put where the map now shows what it drew: scaled by the zoom's change and shifted by the
  // pixel origin's (a drag moves the map's pane, and the canvas with it: no change then)
  _follow: function() {
    var m = this._map, d = this._drawn;
    if (!m || !d) return;
    var s = m.getZoomScale(m.getZoom(), d.zoom), o = m.getPixelOrigin();
    if (s === 1 && o.equals(d.origin)) return;
    L.DomUtil.setTransform(this._c, d.at.add(d.origin).multiplyBy(s).subtract(o), s);
  },
  _removed: function() {}
});
// the map's controls, stamp and title (with card: the card too, when open), as [left, top, right, bottom] boxes in
// the map's own pixels: what a label or a found point must stay clear of
Y.controlRects = function(m, card) {
  var box = m.getContainer().getBoundingClientRect(), out = [];
  var els = document.querySelectorAll('.leaflet-control, .yl-stamp, .yl-title' + (card ? ', .yl-card' : ''));
  for (var i = 0; i < els.length; i++) {
    var r = els[i].getBoundingClientRect();
    if (r.width && r.height) out.push([r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top]);
  }
  return out;
};
// the padding ({tl, br}: for fitBounds' paddingTopLeft, paddingBottomRight) that shows bounds the largest in a part of
// map m no box of covers (Y.controlRects: the controls, stamp, title, the open card) reaches, m px (margin) inside
// it. Every rectangle whose edges are the map's or the boxes' edges and which no box overlaps is tried: the one
// giving the highest zoom (up to maxZoom), among those the one whose middle (where the bounds are shown) is nearest
// the middle of the map left clear (of all those rectangles together: above a card across the screen, beside one
// at the side), then the larger. A fixed strip below the top controls and above the foot ones (session 44's frame)
// left a unit's corner under the legend button at 360 x 640 with the card open: every box is kept clear of now.
// Among rectangles of one zoom the one the bounds filled least had been taken: a tall unit (the demo's U007, 360 x
// 640, en) then stood in a strip 92 px wide at the screen's right edge, right of the search box, where the band
// across the middle showed it as large. None with room: the margin alone
Y.clearPadding = function(m, bounds, maxZoom, covers, margin) {
  var size = m.getSize(), b = L.latLngBounds(bounds), xs = [0], xe = [size.x], ys = [0], ye = [size.y], i;
  var cs = covers.filter(function(c) { return c[2] > 0 && c[0] < size.x && c[3] > 0 && c[1] < size.y; });
  cs.forEach(function(c) { xs.push(c[2]); xe.push(c[0]); ys.push(c[3]); ye.push(c[1]); });
  var tried = [], box = [Infinity, Infinity, -Infinity, -Infinity], best = null, key = null;
  function free(l, t, r, bo) {
    for (i = 0; i < cs.length; i++) if (cs[i][0] < r && cs[i][2] > l && cs[i][1] < bo && cs[i][3] > t) return false;
    return true;
  }
  xs.forEach(function(l) { xe.forEach(function(r) {
    if (r - l < 2 * margin + 40) return;
    ys.forEach(function(t) { ye.forEach(function(bo) {
      if (bo - t < 2 * margin + 40 || !free(l, t, r, bo)) return;
      var tl = [l + margin, t + margin], br = [size.x - r + margin, size.y - bo + margin];
      var z = Math.min(m.getBoundsZoom(b, false, L.point(tl).add(br)), maxZoom === undefined ? Infinity : maxZoom);
      tried.push({z: z, x: (l + r) / 2, y: (t + bo) / 2, area: (r - l) * (bo - t), pad: {tl: tl, br: br}});
      box = [Math.min(box[0], l), Math.min(box[1], t), Math.max(box[2], r), Math.max(box[3], bo)];
    }); });
  }); });
  var mx = (box[0] + box[2]) / 2, my = (box[1] + box[3]) / 2;
  tried.forEach(function(c) {
    var k = [c.z, -Math.sqrt((c.x - mx) * (c.x - mx) + (c.y - my) * (c.y - my)), c.area];
    if (!key || k[0] > key[0] || (k[0] === key[0] && (k[1] > key[1] + 0.5 || (k[1] >= key[1] - 0.5 && k[2] > key[2])))) {
      key = k; best = c.pad;
    }
  });
  return best || {tl: [margin, margin], br: [margin, margin]};
};
// where a found point is shown, in the map's pixels ({x, y}): the spot of a map of size `size` ({x, y}) farthest, up
// to `clear` px, from every box of covers ([left, top, right, bottom]) and from the map's edges, and among spots as
// clear the one nearest the middle (cx, cy): on a grid of 4 px laid from the middle, so a middle clear enough is
// taken as it is. (Framing a point into the clear rectangle with the most room put it at that rectangle's middle:
// 30 px from the map's middle with nothing over it, 169 px with the message under the editor's GPS button.)
Y.clearSpot = function(size, covers, clear, cx, cy) {
  var best = {x: cx, y: cy}, bs = -Infinity, step = 4;
  var x0 = cx - Math.floor(cx / step) * step, y0 = cy - Math.floor(cy / step) * step;
  for (var y = y0; y < size.y; y += step) {
    for (var x = x0; x < size.x; x += step) {
      var d = Math.min(x, y, size.x - x, size.y - y);
      for (var i = 0; i < covers.length && d > 0; i++) {
        var c = covers[i], dx = Math.max(c[0] - x, 0, x - c[2]), dy = Math.max(c[1] - y, 0, y - c[3]);
        d = Math.min(d, Math.sqrt(dx * dx + dy * dy));
      }
      var s = Math.min(d, clear) * 1e4 - Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
      if (s > bs) { bs = s; best = {x: x, y: y}; }
    }
  }
  return best;
};
// the data credit at the map's foot (the attribution line: yuanluo.css, editor.css) shows whole lines only, three
// at most (one while a card covers the map's foot: card.js), the last cut short ending in an ellipsis; one cut short
// is a button, as the page title is: a tap (or Enter, Space) shows it whole (scrolling within 40 % of the screen),
// another folds it again. A height of three lines and 4 px showed the top of a fourth line as a sliver above an open
// card. Y.creditFold(open, quiet) sets it (open undefined: as it stands, measured again) and, unless quiet, calls
// moved() when that changed its height (the controls above it and the scale beside it then move with it)
Y.foldCredit = function(m, moved) {
  var a = m.attributionControl && m.attributionControl.getContainer();
  if (!a) return;
  function set(open, quiet) {
    var h = a.offsetHeight;
    if (open !== undefined) L.DomUtil[open ? 'addClass' : 'removeClass'](a, 'yl-credit-open');
    open = L.DomUtil.hasClass(a, 'yl-credit-open');
    var more = open || a.scrollHeight > a.clientHeight + 1;
    L.DomUtil[more ? 'addClass' : 'removeClass'](a, 'yl-credit-more');
    if (more) {
      a.setAttribute('role', 'button'); a.setAttribute('tabindex', '0');
      a.setAttribute('aria-expanded', open ? 'true' : 'false'); a.title = a.textContent;
    } else {
      ['role', 'tabindex', 'aria-expanded', 'title'].forEach(function(k) { a.removeAttribute(k); });
    }
    if (moved && !quiet && a.offsetHeight !== h) moved();
  }
  function toggle(e) {
    if (!L.DomUtil.hasClass(a, 'yl-credit-more')) return;
    if (e.type === 'keydown') {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
    }
    set(!L.DomUtil.hasClass(a, 'yl-credit-open'));
  }
  a.addEventListener('click', toggle);
  a.addEventListener('keydown', toggle);
  m.on('resize', function() { set(false); });
  Y.creditFold = set;
  set(false);
};
// Y.householdAt(point): the household drawn nearest a screen point (within 8 px), or -1; Y.householdIndex(id): a
// household id, compared width- and case-insensitively (Y.norm), to its index, or -1
Y.lookups = function(dots, hid, n) {
  Y.householdAt = function(p) {
    if (!dots._vis) return -1;
    var best = -1, bd = 64;
    for (var k = 0; k < dots._vis.length; k++) {
      var dx = dots._sx[k] - p.x, dy = dots._sy[k] - p.y, d = dx * dx + dy * dy;
      if (d < bd) { bd = d; best = dots._vis[k]; }
    }
    return best;
  };
  var byId = null;
  Y.householdIndex = function(id) {
    if (!byId) { byId = new Map(); for (var k = 0; k < n; k++) byId.set(Y.norm(hid[k]), k); }
    var k = byId.get(Y.norm(id));
    return k === undefined ? -1 : k;
  };
};
// The households' positions (D.lat0/D.lon0 plus integer offsets times D.q; D.xy keeps them), their Web-Mercator
// grid, and Y.detail(map): households (and meeting points) are drawn when at most the budget of them are in view
// and the screen has room for them (K.area px² each, so a town seen whole on a phone is not buried under its dots
// and meeting points), and always from zoom D.zmin + 2 on (about 6 px between neighbours; D.zmin: 1.5 px);
// otherwise the unit fills alone show the plan
Y.places = function(D, n) {
  var lat = new Float64Array(n), lon = new Float64Array(n), mx = new Float64Array(n), my = new Float64Array(n);
  var proj = L.Projection.SphericalMercator;
  for (var i = 0; i < n; i++) {
    lat[i] = D.lat0 + D.dlat[i] * D.q; lon[i] = D.lon0 + D.dlon[i] * D.q;
    var p = proj.project(L.latLng(lat[i], lon[i])); mx[i] = p.x; my[i] = p.y;
  }
  D.xy = {lat: lat, lon: lon};
  var grid = new Y.Grid(mx, my);
  Y.detail = function(m) {
    var v = Y.view(m, 0);
    if (v.z >= D.zmin + 2) return true;
    var c = grid.count(v.x0, v.y0, v.x1, v.y1);
    return c <= Y.K.budget && c * Y.K.area <= v.size.x * v.size.y;
  };
  return {lat: lat, lon: lon, mx: mx, my: my, grid: grid};
};
// The phone's Back closes what is open (a card, the layers list, the legend, the maturity panel, the editor's
// selection) instead of leaving the page, the topmost first: the one opened last (the legend opened over a card: a
// Back folds the legend, the next closes the card, the next leaves the page). Each such thing is registered
// (Y.backable(isOpen, close): isOpen says whether it is open, or what is (a card's kind and id: another card opened
// is on top again)) and says when it opened or closed (Y.backSync()). While anything is open the page stands on one
// history entry of its own: pushed when the first thing opens, replaced when another opens, popped (history.back)
// when the last open thing is closed by its own ×, a tap on the map or a search, so Back never needs two presses. A
// Back to the entry below (popstate) closes the topmost open thing and, while something is still open, stands on an
// entry of its own again (pushed anew: the history does not grow). Back closed every open thing at once (a card under
// the legend went with it) and left the page from an open maturity panel. The entry's address carries the open
// card's id (Y.backHash(): #U007; none: the page's address without one), so a bookmark or a copied address reopens it
// (Y.openHash). Same-document history only: it works on a page opened as a file (file://), with no server.
(function() {
  var backs = [], popping = false, queued = false, order = 0;
  Y.backHash = function() { return ''; };
  Y.backable = function(isOpen, close) { backs.push({isOpen: isOpen, close: close, was: false, at: 0}); };
  function ours() { return !!(history.state && history.state.yuanluo); }
  function address(id) { return location.href.split('#')[0] + (id ? '#' + encodeURIComponent(id) : ''); }
  // what is open, each thing's opening noted (a thing newly open, or open as another: on top)
  function note() {
    var open = false;
    backs.forEach(function(b) {
      var now = b.isOpen();
      if (now && now !== b.was) b.at = ++order;
      b.was = now; open = open || !!now;
    });
    return open;
  }
  function topmost() {
    var top = null;
    backs.forEach(function(b) { if (b.isOpen() && (!top || b.at > top.at)) top = b; });
    return top;
  }
  Y.backSync = function() {
    var open = note();
    if (popping || queued) return;  // closing on a Back, or our own Back not yet arrived (synced when it does)
    var url = address(open ? Y.backHash() : '');
    try {
      if (open && !ours()) history.pushState({yuanluo: 1}, '', url);
      else if (open) { if (url !== location.href) history.replaceState({yuanluo: 1}, '', url); }
      else if (ours()) { queued = true; history.back(); }
    } catch (e) { queued = false; }  // a browser refusing the history (a sandboxed frame): Back as before
  };
  // the id an address carries (#U007, as typed or encoded), '' for none; never markup: only compared with the
  // page's own ids (Y.openHash)
  Y.hashId = function() {
    var h = location.hash.replace(/^#/, '');
    try { h = decodeURIComponent(h); } catch (e) { /* a stray % left as it is */ }
    return h.trim();
  };
  // the card the address names opened (Y.openHash(id): the page's, true when it found one), the address of the
  // entry below it left without the id (a Back then closes the card and clears the id); an id the page has not: the
  // address as it was
  function fromHash() {
    var id = Y.hashId(), was = location.href;
    if (!id || !Y.openHash) return false;
    if (ours()) return Y.openHash(id);
    history.replaceState(null, '', address(''));
    if (Y.openHash(id)) return true;
    history.replaceState(null, '', was);
    return false;
  }
  window.addEventListener('popstate', function() {
    if (queued) { queued = false; Y.backSync(); return; }  // our own Back: what opened meanwhile gets its entry
    if (ours() && fromHash()) return;  // Forward to a card's entry: the card again
    note();  // (what opened without saying so)
    var top = topmost();
    popping = true;
    try { if (top) top.close(); } finally { popping = false; }
    if (note()) {  // something still open: its own entry again, the address naming the card if one is open
      try { history.pushState({yuanluo: 1}, '', address(Y.backHash())); } catch (e) { /* history refused */ }
    } else if (ours()) history.replaceState(null, '', address(''));  // Forward to an entry whose card is gone
  });
  // an id typed into the address bar (a hash change without a page load): its card
  window.addEventListener('hashchange', function() {
    if (ours() || !Y.hashId()) return;
    try { fromHash(); } catch (e) { /* history refused */ }
    Y.backSync();
  });
  // the page loaded: the card its address names, else (an entry of ours left by a reload with nothing open) none
  Y.backStart = function() {
    try { fromHash(); } catch (e) { /* history refused: the card, if found, stays without an entry */ }
    Y.backSync();
  };
})();
