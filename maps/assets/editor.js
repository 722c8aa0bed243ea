// Yuanluo plan editor (yuanluo.maps.editor): households moved between units by tap and lasso, the rules of
// `yuanluo check --plan` re-checked for the touched units after every edit, undo/redo, locks, CSV out and in.
// The data is the JSON block #yl-editor-data; every text comes from it (the message catalogue); DOM built with
// createElement/textContent only.
(function() {
'use strict';
var D = JSON.parse(document.getElementById('yl-editor-data').textContent);
var Y = window.yuanluo, T = D.t, R = D.rules, H = D.hh, MSG = D.m, S = R.say;
var ids = Y.ids(H.ids), n = ids.length, idx = new Map();
var i, k;
for (i = 0; i < n; i++) idx.set(ids[i], i);
var dlat = Y.ints(H.lat), dlon = Y.ints(H.lon), lat = new Float64Array(n), lon = new Float64Array(n);
for (i = 0; i < n; i++) { lat[i] = H.lat0 + dlat[i] * H.q; lon[i] = H.lon0 + dlon[i] * H.q; }
var unit0 = Y.ints(H.unit), weight = H.persons ? (Array.isArray(H.persons) ? H.persons : Y.ints(H.persons)) : null;
var head = H.head ? Y.ints(H.head) : null, isokey = Y.ints(H.isokey);
// the head rule's areas: units of an area that lack a candidate are an unavoidable exception (HEAD-EXCEPTION)
// when each lies wholly in it and they are no more than hshort[area] (as yuanluo check finds them); more, and each
// says the area's fix (the check's fix_area: its units lacking one, how many may, the ways to fewer; hneed[area]:
// the fewest units its size needs)
var harea = H.harea ? Y.ints(H.harea) : null, hshort = H.hshort || null, excusedCache = null, beyondCache = null;
// remote households: no unit holding one keeps every member within the walking limit (as yuanluo check finds them)
var remote = H.remote ? Y.ints(H.remote) : null;
// the exception units the delineation declared: while a unit holds exactly the households it was declared with,
// its errors of the declarable rules are the warning DECLARED-EXCEPTION (as yuanluo check finds them)
var dec = H.dec ? {key: Y.ints(H.dec.key), n: H.dec.n, codes: new Set(H.dec.codes), reasons: H.dec.reasons,
                   fixes: H.dec.fixes || [], why: H.dec.why || [], meets: H.dec.meets || [],
                   locked: (H.dec.locked || []).map(function(c) { return c ? new Set(c) : null; }),
                   at: new Map(H.dec.units.map(function(u, j) { return [u, j]; }))} : null;
// the settlements it declared split: the unit it gave each of their households (-1: not declared)
var dsplit = H.dsplit ? {key: Y.ints(H.dsplit.key), units: H.dsplit.units} : null;
var levels = H.nest.map(function(l) { return {col: l.col, code: l.code, key: Y.ints(l.key), vals: l.vals, ex: l.ex}; });
var sett = H.sett ? {key: Y.ints(H.sett.key), size: H.sett.size, names: H.sett.names, members: []} : null;
if (sett) {
  for (k = 0; k < sett.size.length; k++) sett.members.push([]);
  for (i = 0; i < n; i++) if (sett.key[i] >= 0) sett.members[sett.key[i]].push(i);
}
// adjacency lists (CSR) of the check's graph, the length-cut joins and the river/water cuts
function csr(E) {
  var u = Y.ints(E.u), v = Y.ints(E.v), deg = new Int32Array(n + 1), m = u.length, e;
  for (e = 0; e < m; e++) { deg[u[e] + 1]++; deg[v[e] + 1]++; }
  for (e = 0; e < n; e++) deg[e + 1] += deg[e];
  var fill = deg.slice(0, n), nb = new Int32Array(2 * m), ed = new Int32Array(2 * m);
  for (e = 0; e < m; e++) { ed[fill[u[e]]] = e; nb[fill[u[e]]++] = v[e]; ed[fill[v[e]]] = e; nb[fill[v[e]]++] = u[e]; }
  return {start: deg, nb: nb, ed: ed, u: u, v: v};
}
var G = csr(D.g), LJ = csr(D.lj), RC = csr(D.rc);
// the meeting points given (unit -> meeting household) and the directed minutes of every graph edge (the walking
// rule, and the centre of a unit without a meeting point of its own)
var MEET = D.meet ? new Map(Object.keys(D.meet).map(function(u) { return [u, D.meet[u]]; })) : null;
// (base64 of little-endian IEEE numbers, D.g.wbits wide: 64 exact, as the check reads them; 32 for drawing only)
function floats(b64, bits) {
  var bin = atob(b64), bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  var arr = bits === 32 ? new Float32Array(bytes.buffer) : new Float64Array(bytes.buffer);
  return Array.prototype.map.call(arr, function(w) { return Math.max(w, 1e-9); });
}
// D.g.wk: the same numbers packed (maps.editor._walks): each a non-negative IEEE number of D.g.wbits bits, its
// exponent an index into wk.e and its fraction as it is; vu as uv (class 0), as uv times wk.c[0] or wk.c[1] rounded
// to that width plus -4 ... 3 units in the last place (1, 2), or a number of its own (3). [uv, vu], the same bits
function walks(wk, bits) {
  var bin = atob(wk.s), bytes = new Uint8Array(bin.length), n = wk.n, e = wk.e, pos = 0, eb = 1, i;
  for (i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  while ((1 << eb) < e.length) eb++;
  function get(w) {  // the next w (at most 26) bits of the stream, most significant first
    var v = 0;
    while (w > 0) {
      var avail = 8 - (pos & 7), take = avail < w ? avail : w;
      v = v * (1 << take) + ((bytes[pos >> 3] >> (avail - take)) & ((1 << take) - 1));
      pos += take; w -= take;
    }
    return v;
  }
  var wide = bits === 64, uv = wide ? new Float64Array(n) : new Float32Array(n), vu = wide ? new Float64Array(n) : new Float32Array(n);
  var a = new Uint32Array(uv.buffer), b = new Uint32Array(vu.buffer), s = wide ? new Float64Array(1) : new Float32Array(1);
  var sw = new Uint32Array(s.buffer);
  function own(to, j) {  // a number of its own into word(s) j of ``to``
    var x = e[get(eb)];
    if (wide) { to[2 * j + 1] = x * 1048576 + get(20); to[2 * j] = get(16) * 65536 + get(16); }
    else to[j] = x * 8388608 + get(23);
  }
  for (i = 0; i < n; i++) {
    own(a, i);
    var kind = get(2);
    if (kind === 0) { if (wide) { b[2 * i] = a[2 * i]; b[2 * i + 1] = a[2 * i + 1]; } else b[i] = a[i]; }
    else if (kind === 3) own(b, i);
    else {
      var r = get(3) - 4;
      if (wide) {
        s[0] = uv[i] * wk.c[kind - 1];
        var lo = sw[0] + r, hi = sw[1];
        if (lo < 0) { lo += 4294967296; hi -= 1; } else if (lo > 4294967295) { lo -= 4294967296; hi += 1; }
        b[2 * i] = lo; b[2 * i + 1] = hi;
      } else { s[0] = Math.fround(uv[i] * wk.c[kind - 1]); b[i] = sw[0] + r; }
    }
  }
  return [uv, vu];
}
var WK = D.g.wk ? walks(D.g.wk, D.g.wbits) : null, floor = function(w) { return Math.max(w, 1e-9); };
var WUV = WK ? Array.prototype.map.call(WK[0], floor) : D.g.uv ? floats(D.g.uv, D.g.wbits) : null;
var WVU = WK ? Array.prototype.map.call(WK[1], floor) : D.g.vu ? floats(D.g.vu, D.g.wbits) : null;
// the minutes across each long join (the same both ways): a household of a unit joined over one walks across it
var LJW = D.lj.w ? floats(D.lj.w, D.lj.wbits) : null;
// of them, the check's long joins (gis.check.long_joins, gis.islands.island_links): those whose ends lie in two nest
// groups, or in one zone and two pieces of that zone's short edges. A household heavier than the ceiling is a zone
// of its own, joined over none; a unit a delineation kept locked is one while the plan holds it as it was kept, the
// others one zone. D.il: each household's piece of the short edges found without the kept units' households (pc,
// -1: heavy), those households elements of their own (IL.P on), the short edges that may join them (de) and the
// unit each keeps (kk, among ku; kn households each). LJI: the long joins as the plan is (islandJoins)
var IL = D.il, ilPc = Y.ints(IL.pc), ilKk = Y.ints(IL.kk), ilKept = new Int32Array(n), nDyn = 0, LJI = null, ilSig = null;
for (i = 0; i < n; i++) if (ilPc[i] >= IL.P) { ilKept[ilPc[i] - IL.P] = ilKk[i]; nDyn++; }
// which kept units the plan holds as they were kept ('1' each), as gis.check.Declared.holding_kept finds them
function keptHeld() {
  var sig = '';
  for (var j = 0; j < IL.ku.length; j++) {
    var M = members.get(IL.ku[j]), ok = !!M && M.size === IL.kn[j];
    if (ok) M.forEach(function(h) { if (ilKk[h] !== j) ok = false; });
    sig += ok ? '1' : '0';
  }
  return sig;
}
// LJI for the kept units the plan holds; true when it changed (every unit's long joins are then found again)
function islandJoins() {
  var sig = keptHeld();
  if (sig === ilSig) return false;
  ilSig = sig;
  var m = IL.P + nDyn, parent = new Int32Array(m), e, a, b;
  for (e = 0; e < m; e++) parent[e] = e;
  function find(x) { while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; }
  function zone(x) { return x < IL.P || sig.charAt(ilKept[x - IL.P]) !== '1' ? 0 : 1 + ilKept[x - IL.P]; }
  for (e = 0; e < IL.de.length; e += 2) {
    a = IL.de[e]; b = IL.de[e + 1];
    if (zone(a) === zone(b)) parent[find(a)] = find(b);
  }
  var ku = [], kv = [];
  for (e = 0; e < LJ.u.length; e++) {
    a = LJ.u[e]; b = LJ.v[e];
    var pa = ilPc[a], pb = ilPc[b];
    if (isokey[a] !== isokey[b] || (pa >= 0 && pb >= 0 && zone(pa) === zone(pb) && find(pa) !== find(pb))) {
      ku.push(a); kv.push(b);
    }
  }
  LJI = csr({u: ku, v: kv});
  return true;
}

// ------------------------------------------------------------------------------------------------ state
var unitOf = new Array(n), members = new Map(), locked = new Set(D.locks), results = new Map(), settRes = new Map();
var nUnassigned = 0, undoStack = [], redoStack = [], log = [], UNDO_LIMIT = 1000, lastMs = 0;
// the units' ids in the order a planner reads them (unitOrder), kept until a unit comes or goes
var unitList = null;
function addMember(h, u) {
  unitOf[h] = u;
  if (u === null) { nUnassigned++; return; }
  var s = members.get(u); if (!s) { s = new Set(); members.set(u, s); unitList = null; }
  s.add(h);
}
function removeMember(h) {
  var u = unitOf[h];
  if (u === null) { nUnassigned--; return; }
  var s = members.get(u); s.delete(h);
  if (!s.size) { members.delete(u); unitList = null; }
}
function unitsInOrder() {
  if (unitList === null) unitList = Array.from(members.keys()).sort(unitOrder);
  return unitList.slice();
}
function cleanId(u) {
  if (u === null || u === undefined) return null;
  var s = String(u).normalize('NFKC').trim();
  return s === '' ? null : s;
}

// ------------------------------------------------------------------------------------------------ rules
function feasible(size) {
  if (size <= 0) return false;
  var kLo = Math.ceil(size / R.max);
  return kLo * R.min <= size;
}
// whether nothing outside unit u can be joined to it (no edge, nor long join the check counts, LJI, to another
// unit's or an unassigned household of its nest group): false, or what cuts it off, 'nesting' when some edge
// leads to another nest group, else 'terrain' (as the check says it)
function isolated(u, arr) {
  var adj = [G, LJI], other = false;
  for (var a = 0; a < arr.length; a++) {
    var h = arr[a];
    for (var g = 0; g < 2; g++) {
      var A = adj[g];
      for (var e = A.start[h]; e < A.start[h + 1]; e++) {
        var j = A.nb[e];
        if (unitOf[j] !== u) { if (isokey[j] === isokey[h]) return false; other = true; }
      }
    }
  }
  return other ? 'nesting' : 'terrain';
}
// pieces of a unit: connected components of its members over the given adjacency lists
function pieces(u, arr, adjs) {
  var seen = new Map(), out = [];
  for (var a = 0; a < arr.length; a++) {
    if (seen.has(arr[a])) continue;
    var comp = [arr[a]], stack = [arr[a]];
    seen.set(arr[a], out.length);
    while (stack.length) {
      var h = stack.pop();
      for (var g = 0; g < adjs.length; g++) {
        var A = adjs[g];
        for (var e = A.start[h]; e < A.start[h + 1]; e++) {
          var j = A.nb[e];
          if (unitOf[j] === u && !seen.has(j)) { seen.set(j, out.length); comp.push(j); stack.push(j); }
        }
      }
    }
    out.push(comp);
  }
  return out;
}
// minutes from every member of unit u to household m along edges inside the unit and its long joins (Dijkstra from
// m, edges reversed), as the check walks
function walkTo(u, m) { return walkFrom(m, function(y) { return unitOf[y] === u; }, Infinity); }
// minutes from every household ok(h) accepts to household m along the graph's edges and the long joins, up to limit
// minutes (a household farther left out, as scipy's dijkstra limit leaves it; Dijkstra from m, edges reversed)
function walkFrom(m, ok, limit) {
  var dist = new Map([[m, 0]]), heap = [[0, m]], done = new Set();
  function push(d, h) {
    heap.push([d, h]);
    for (var c = heap.length - 1; c > 0;) { var p = (c - 1) >> 1; if (heap[p][0] <= heap[c][0]) break; var t = heap[p]; heap[p] = heap[c]; heap[c] = t; c = p; }
  }
  function pop() {
    var top = heap[0], last = heap.pop();
    if (heap.length) {
      heap[0] = last;
      for (var c = 0;;) {
        var l = 2 * c + 1, r = l + 1, b = c;
        if (l < heap.length && heap[l][0] < heap[b][0]) b = l;
        if (r < heap.length && heap[r][0] < heap[b][0]) b = r;
        if (b === c) break;
        var t = heap[b]; heap[b] = heap[c]; heap[c] = t; c = b;
      }
    }
    return top;
  }
  while (heap.length) {
    var top = pop(), x = top[1];
    if (done.has(x)) continue;
    done.add(x);
    for (var e = G.start[x]; e < G.start[x + 1]; e++) {
      var y = G.nb[e], k = G.ed[e];
      if (!ok(y) || done.has(y)) continue;
      var d = top[0] + (G.u[k] === x ? WVU[k] : WUV[k]);
      if (d <= limit && (!dist.has(y) || d < dist.get(y))) { dist.set(y, d); push(d, y); }
    }
    if (LJW) for (e = LJ.start[x]; e < LJ.start[x + 1]; e++) {
      y = LJ.nb[e];
      if (!ok(y) || done.has(y)) continue;
      d = top[0] + LJW[LJ.ed[e]];
      if (d <= limit && (!dist.has(y) || d < dist.get(y))) { dist.set(y, d); push(d, y); }
    }
  }
  return dist;
}
// the unit's centre, as the check takes it for a plan without meeting points: in the heaviest piece of the unit
// (ties: the piece holding the smallest id), the member the farthest member walks least to, then the least total
// walk, then the smallest id
function centreOf(u, arr) {
  var p = pieces(u, arr, LJW ? [G, LJ] : [G]), piece = null, pw = -1, pid = null, a;
  for (var c = 0; c < p.length; c++) {
    var w = unitSize(p[c]), first = null;
    for (a = 0; a < p[c].length; a++) if (first === null || ids[p[c][a]] < first) first = ids[p[c][a]];
    if (w > pw || (w === pw && first < pid)) { piece = p[c]; pw = w; pid = first; }
  }
  var best = null, bw = 0, bt = 0;
  for (a = 0; a < piece.length; a++) {
    var m = piece[a], worst = 0, total = 0;
    walkTo(u, m).forEach(function(d) { if (d > worst) worst = d; total += d; });
    // to the microsecond of a minute, as the check compares them (sums in another order differ in the last bits)
    worst = Math.round(worst * 1e6) / 1e6; total = Math.round(total * 1e6) / 1e6;
    if (best === null || worst < bw || (worst === bw && (total < bt || (total === bt && ids[m] < ids[best])))) {
      best = m; bw = worst; bt = total;
    }
  }
  return best;
}
// the household unit u meets at, as the check takes it: its meeting point when one is given and in the unit (with
// meeting points given, PLAN-MEETING otherwise), else its centre (centreOf); {h, centre}, or null without walks.
// PLAN-MEETING is a warning whether the unit has no point or one outside it (its meeting household moved out, or
// given so): the export leaves the unit's 议事点 cells blank, which `check --plan` says as the same warning
// PLAN-MEETING (no point given), walking the unit to its centre, as here
function meetingOf(u, arr, out) {
  var mp;
  if (MEET) {
    var mh = MEET.get(u);
    if (mh === undefined) out.push({code: 'PLAN-MEETING', warn: true, p: {meeting: '', why: MSG['editor.meeting.none']}});
    else {
      mp = idx.get(mh);
      if (mp === undefined || unitOf[mp] !== u) {
        out.push({code: 'PLAN-MEETING', warn: true, ids: [mh], p: {meeting: mh, why: outsideWhy(u, mh, mp)}});
        mp = undefined;
      }
    }
  }
  if (mp !== undefined) return {h: mp, centre: false};
  return WUV ? {h: centreOf(u, arr), centre: true} : null;  // no meeting point of its own: its centre
}
// the nearest candidate head outside a unit without its head, as yuanluo check names it
// (gis.delineate.heads.nearest_candidates): walking to the household the unit's walk is measured to (mp: its meeting
// point, else its centre) over every edge and long join, up to D.near minutes; a candidate of another unit of the
// same nest group, the nearest (minutes rounded to the microsecond half to even, as numpy rounds them; ties by id).
// The walks from a household are the same for every plan: the candidates within reach of each, nearest first, kept
var nearFromCache = new Map();
function rint(y) { var f = Math.floor(y), r = y - f; return r > 0.5 ? f + 1 : r < 0.5 ? f : f % 2 === 0 ? f : f + 1; }
function nearFrom(m) {
  var c = nearFromCache.get(m);
  if (c) return c;
  c = [];
  walkFrom(m, function() { return true; }, D.near).forEach(function(d, h) {
    if (head[h] && isokey[h] === isokey[m]) c.push([rint(d * 1e6) / 1e6, h]);
  });
  c.sort(function(a, b) { return a[0] - b[0] || (ids[a[1]] < ids[b[1]] ? -1 : ids[a[1]] > ids[b[1]] ? 1 : 0); });
  nearFromCache.set(m, c);
  return c;
}
// its clause (delineate.near, as gis.delineate.reasons.near_clause says it), or null: none within reach
function nearClause(u, mp) {
  if (!mp || D.near === null) return null;
  var c = nearFrom(mp.h), best = null;
  for (var a = 0; a < c.length && best === null; a++) if (unitOf[c[a][1]] !== null && unitOf[c[a][1]] !== u) best = c[a];
  if (best === null) return null;
  var other = unitOf[best[1]], arr = Array.from(members.get(other)), nh = 0;
  for (a = 0; a < arr.length; a++) nh += head[arr[a]];
  var need = 1 + (R.heads_for_size !== null && unitSize(arr) > R.heads_for_size ? 1 : 0), spare = Math.max(nh - need, 0);
  // a walk shown as 0.0 minutes (one building with the point) is said as being at it (gis.delineate.reasons._at_point)
  var mins = best[0].toFixed(1);
  return fill(MSG[Number(mins) === 0 ? 'delineate.near.at' : 'delineate.near'], {
    near_hid: ids[best[1]], near_unit: other, near_min: mins, near_heads: nh, near_spare: spare,
    near_meet: ids[mp.h], to: fill(MSG[mp.centre ? 'delineate.near.to.centre' : 'delineate.near.to.meeting'], {meeting: ids[mp.h]}),
    spare: spare > 0 ? fill(MSG['delineate.near.spare'], {near_spare: spare}) : MSG['delineate.near.spare_none']});
}
// why unit u's meeting point mh (position mp; undefined: no household) is not its own: moved out of it (it began
// in u: set it again or undo the move), else given outside it; where it is now (a unit, none, or no household)
function outsideWhy(u, mh, mp) {
  var where = mp === undefined ? MSG['editor.meeting.where.unknown']
    : unitOf[mp] === null ? MSG['editor.meeting.where.none'] : fill(MSG['editor.meeting.where.unit'], {other: unitOf[mp]});
  var began = mp !== undefined && unit0[mp] >= 0 && H.units[unit0[mp]] === u;
  return fill(MSG[began ? 'editor.meeting.moved' : 'editor.meeting.outside'], {meeting: mh, where: where});
}
// the farthest walk beyond the limit as the check says it (gis.delineate.walk.beyond_minutes): one decimal, or as
// many more as it takes to read as beyond the limit
function beyondMinutes(w, lim) {
  for (var d = 1; d <= 6; d++) { var s = w.toFixed(d); if (parseFloat(s) > lim) return s; }
  return (Math.ceil(w * 1e6) / 1e6).toFixed(6);
}
function walkRule(u, arr, out, mp) {
  if (R.max_walk_min === null || !mp) return;
  var dist = walkTo(u, mp.h), far = [], worst = 0;
  for (var a = 0; a < arr.length; a++) {
    var d = dist.get(arr[a]);
    if (d === undefined || !(d <= R.max_walk_min)) { far.push(arr[a]); worst = Math.max(worst, d === undefined ? Infinity : d); }
  }
  if (!far.length) return;
  var allRemote = !!remote && far.every(function(h) { return remote[h] === 1; });
  var p = {meeting: ids[mp.h], how: mp.centre ? MSG['check.meeting.centre'] : '', limit: S.walk, min: S.lo, what: S.what,
           to: fill(MSG[mp.centre ? 'check.to.centre' : 'check.to.meeting'], {meeting: ids[mp.h]}),
           worst: isFinite(worst) ? fill(MSG['check.minutes'], {minutes: beyondMinutes(worst, R.max_walk_min)}) : MSG['check.no_path']};
  // households nesting in groups: the proof walked within one group, said so (the check's variant group)
  out.push(allRemote ? {code: 'WALK-EXCEPTION', warn: true, hh: far, p: p, title: levels.length ? 'group' : null}
    : {code: 'PLAN-WALK-LIMIT', hh: far, p: p});
}
// a template of the catalogue filled in (a field not given stays as it is); a count given as a number written as the
// page's language writes counts (countText: English 1,200), as fmt does; ids, names and lists come as text
function fill(s, p) { return Y.onceQuoted(s, p).replace(/\{(\w+)\}/g, function(m, f) { return p[f] === undefined ? m : countText(p[f]); }); }
// a size as the check says it: whole, else to one decimal; in English its thousands grouped (1,200; 1,234.5)
function num(x) { return Number.isInteger(x) ? countText(x) : grouped(x.toFixed(1)); }
function unitSize(arr) {
  if (!weight) return arr.length;
  var s = 0;
  for (var a = 0; a < arr.length; a++) s += weight[arr[a]];
  return s;
}
function checkUnit(u) {
  var M = members.get(u);
  if (!M) { results.delete(u); return; }
  var arr = Array.from(M), out = [], size = unitSize(arr), a;
  if (size < R.min || size > R.max) {
    var sp = {size: num(size), min: S.min, max: S.max, what: S.what}, iso = isolated(u, arr);
    if (iso && !feasible(Math.round(size))) {
      sp.why = MSG['check.isolated.' + iso];
      out.push({code: 'SIZE-EXCEPTION', warn: true, p: sp});
    } else out.push({code: size < R.min ? 'SIZE-LOW' : 'SIZE-HIGH', p: sp});
  }
  var p = pieces(u, arr, [G]);
  if (p.length > 1) {
    // pieces by size, ties by their smallest household id (as the check orders them): the first is the unit's body
    var firstId = new Map(p.map(function(x) {
      return [x, x.reduce(function(m, h) { return m === null || ids[h] < m ? ids[h] : m; }, null)];
    }));
    p.sort(function(x, y) { return y.length - x.length || (firstId.get(x) < firstId.get(y) ? -1 : 1); });
    var cut = [].concat.apply([], p.slice(1));
    var pp = {n_pieces: p.length, sizes: p.map(function(x) { return countText(x.length); }).join('+'), limit: S.join};
    if (pieces(u, arr, [G, LJI]).length === 1) out.push({code: 'PLAN-LONG-JOIN', warn: true, hh: cut, p: pp});
    else out.push({code: pieces(u, arr, [G, RC]).length === 1 ? 'PLAN-CROSS-RIVER' : 'PLAN-NONCONTIG', hh: cut, p: pp});
  }
  for (var l = 0; l < levels.length; l++) {
    var key = levels[l].key, cnt = new Map();
    for (a = 0; a < arr.length; a++) cnt.set(key[arr[a]], (cnt.get(key[arr[a]]) || 0) + 1);
    if (cnt.size < 2) continue;
    // the values it mixes, and the households not of its main one (most households, ties: the first value)
    var ks = Array.from(cnt.keys()).sort(function(x, y) { return x - y; }), major = ks[0];
    ks.forEach(function(k2) { if (cnt.get(k2) > cnt.get(major)) major = k2; });
    // the check's example of a name with the group's in it: the first named group's before the unit's
    var named = ks.filter(function(k2) { return levels[l].ex[k2] !== null; });
    out.push({code: levels[l].code, hh: arr.filter(function(h) { return key[h] !== major; }),
              fix: apart(p, key, cnt) ? 'apart' : null,
              p: {column: levels[l].col, values: ks.map(function(k2) { return levels[l].vals[k2]; }).join(MSG['check.values.sep']),
                  example: named.length ? levels[l].ex[named[0]] + u : u}});
    break;
  }
  if (head) {
    var nh = 0;
    for (a = 0; a < arr.length; a++) nh += head[arr[a]];
    if (nh === 0) out.push({code: 'PLAN-NO-HEAD', p: {size: arr.length}});
    if (R.heads_for_size !== null && size > R.heads_for_size && nh === 1) {
      out.push({code: 'PLAN-FEW-HEADS', p: {size: num(size), limit: S.heads, need: 2, heads: 1}});
    }
  }
  var mp = MEET || WUV ? meetingOf(u, arr, out) : null;
  walkRule(u, arr, out, mp);
  results.set(u, {size: size, n: arr.length, v: out, meet: mp});
}
// whether a unit straddling nest groups (key; cnt: its households per group) lies apart, as the check's variant
// "apart" of its fix (gis.check._apart_by): each of its pieces (p: along the graph's edges within it) in one group,
// and two groups or more of at least half the floor of households each (two at least): most likely one name each
// group gave its own unit
function apart(p, key, cnt) {
  for (var c = 0; c < p.length; c++) {
    for (var a = 1; a < p[c].length; a++) if (key[p[c][a]] !== key[p[c][0]]) return false;
  }
  var big = 0, floor = Math.max(2, R.min / 2);
  cnt.forEach(function(c2) { if (c2 >= floor) big++; });
  return big > 1;
}
function checkSettlement(s) {
  settRes.delete(s);
  if (sett.size[s] > R.max) return;
  var cnt = new Map(), mem = sett.members[s];
  for (var a = 0; a < mem.length; a++) {
    var u = unitOf[mem[a]];
    if (u !== null) cnt.set(u, (cnt.get(u) || 0) + 1);
  }
  if (cnt.size < 2) return;
  var major = null, best = -1;
  cnt.forEach(function(c, u) { if (c > best || (c === best && unitOrder(u, major) < 0)) { best = c; major = u; } });
  // declared split, and each household still in the unit the delineation gave it: DECLARED-EXCEPTION
  var held = !!dsplit && mem.every(function(h) { var j = dsplit.key[h]; return j >= 0 && dsplit.units[j] === unitOf[h]; });
  var units = Array.from(cnt.keys()).sort(unitOrder);  // as the check lists them
  var v = {code: 'PLAN-SETTLEMENT-SPLIT', hh: mem.filter(function(h) { return unitOf[h] !== null && unitOf[h] !== major; }),
           p: {settlement: sett.names[s], size: num(sett.size[s]), unit_list: units.join(MSG['list.sep']), unit: major,
               what: S.what}};
  if (held) v = declaredAs(major, v, MSG['check.declared.split'], S.dsplit);
  settRes.set(s, {unit: major, code: v.code, warn: held, units: units, hh: v.hh, p: v.p, ids: v.ids});
}
// a settlement split as reported: an error of a unit a delineation kept locked, recording the split it makes, is
// the warning DECLARED-EXCEPTION while the unit is as it was kept (as yuanluo check finds it)
function settReported(v) {
  if (v.warn || !holdsDeclared(v.unit)) return v;
  var j = dec.at.get(v.unit), lk = dec.locked[j] || null;
  if (!lk || !lk.has(v.code)) return v;
  var d = declaredAs(v.unit, v, MSG['lock.declared.unit'], dec.reasons[j]);
  return {unit: v.unit, code: d.code, warn: true, units: v.units, hh: v.hh, p: d.p, ids: v.ids, excuses: true};
}
function headExcused() {
  if (excusedCache) return excusedCache;
  var ex = new Set(), per = new Map();
  if (harea) {
    results.forEach(function(r, u) {
      if (!r.v.some(function(v) { return v.code === 'PLAN-NO-HEAD'; })) return;
      var a = null, one = true;
      members.get(u).forEach(function(h) { if (a === null) a = harea[h]; else if (harea[h] !== a) one = false; });
      var key = one ? a : -1;
      if (!per.has(key)) per.set(key, []);
      per.get(key).push(u);
    });
    per.forEach(function(us, a) { if (a >= 0 && us.length <= hshort[a]) us.forEach(function(u) { ex.add(u); }); });
  }
  excusedCache = ex;
  beyondCache = beyondAreas(per);
  return ex;
}
// the units of an area that must lack some candidates and lacks more (per: area → its units lacking one) → the
// fields of the check's fix_area (gis.check.HeadAreas.beyond_params): the area's size and reason, its units lacking
// one, how many may, and the ways to fewer (a candidate to move where a unit holds two; merging while the area has
// more units than it needs)
function beyondAreas(per) {
  var out = new Map(), want = new Map();
  per.forEach(function(us, a) { if (a >= 0 && hshort[a] > 0 && us.length > hshort[a]) want.set(a, us); });
  if (!want.size) return out;
  var units = new Map(), cand = new Map();  // per area: its units; per unit: its candidates
  for (var h = 0; h < n; h++) {
    var u = unitOf[h];
    if (u === null || !want.has(harea[h])) continue;
    if (!units.has(harea[h])) units.set(harea[h], new Set());
    units.get(harea[h]).add(u);
    if (head[h]) cand.set(u, (cand.get(u) || 0) + 1);
  }
  want.forEach(function(us, a) {
    var spare = 0;
    units.get(a).forEach(function(u) { spare += Math.max((cand.get(u) || 0) - 1, 0); });
    var ways = [MSG['check.head.way.find']];
    if (spare) ways.push(fill(MSG['check.head.way.move'], {spare: spare}));
    if (units.get(a).size > H.hneed[a]) ways.push(fill(MSG['check.head.way.merge'], {units: units.get(a).size, needed: H.hneed[a]}));
    var p = {total: H.hwhy[a][0], why: H.hwhy[a][1], what: S.what, lacking: us.length,
             lacking_units: us.slice().sort(unitOrder).join(MSG['list.sep']), allowed: hshort[a],
             more: us.length - hshort[a], ways: ways.join(MSG['check.head.way.or'])};
    us.forEach(function(u) { out.set(u, p); });
  });
  return out;
}
function holdsDeclared(u) {
  if (!dec || !dec.at.has(u)) return false;
  var j = dec.at.get(u), M = members.get(u), ok = !!M && M.size === dec.n[j];
  if (ok) M.forEach(function(h) { if (dec.key[h] !== j) ok = false; });
  return ok;
}
// a unit's findings as reported: a PLAN-NO-HEAD the area forces becomes the warning HEAD-EXCEPTION; the
// declarable errors of a unit as it was declared, the warning DECLARED-EXCEPTION
function reported(u) {
  var ex = headExcused().has(u), held = holdsDeclared(u), r = results.get(u);
  return r.v.map(function(v) {
    // a unit without its head: the nearest candidate outside it too, where one is within reach (the variants near)
    var near = v.code === 'PLAN-NO-HEAD' ? nearClause(u, r.meet) : null;
    if (ex && v.code === 'PLAN-NO-HEAD') {
      var w = H.hwhy[harea[members.get(u).values().next().value]];
      return {code: 'HEAD-EXCEPTION', warn: true, title: near ? 'near' : null,
              p: {size: num(r.size), total: w[0], why: w[1], what: S.what, near: near}};
    }
    if (v.code === 'PLAN-NO-HEAD' && beyondCache.has(u)) {  // an area lacking more than it must: its fix
      v = {code: v.code, fix: near ? 'area_near' : 'area', title: near ? 'area_near' : null,
           p: Object.assign({near: near}, v.p, beyondCache.get(u))};
    } else if (near) v = {code: v.code, title: 'near', p: Object.assign({near: near}, v.p)};
    if (!held || v.warn) return v;
    // a unit a delineation kept locked: also the other errors it recorded, said of "this locked unit"
    var j = dec.at.get(u), lk = dec.locked[j] || null;
    return dec.codes.has(v.code) || (lk && lk.has(v.code))
      ? declaredAs(u, v, MSG[lk ? 'lock.declared.unit' : 'check.declared.unit'], dec.reasons[j]) : v;
  });
}
// a finding v of unit u as the warning DECLARED-EXCEPTION: its own sentence, then what was declared and why (its
// sentence without the nearest candidate head where the declared reason names that one already, as the check says it)
function declaredAs(u, v, subject, reason) {
  if (v.title && v.p.near && reason && reason.indexOf(v.p.near) >= 0) {
    v = {code: v.code, hh: v.hh, ids: v.ids, p: v.p};
  }
  return {code: 'DECLARED-EXCEPTION', warn: true, hh: v.hh, ids: v.ids,
          p: {rule: title(u, v), subject: subject, reason: reason}};
}
// the ids a finding names, sorted, as the check lists them
function idsOf(v) { return v.ids ? v.ids.slice().sort() : (v.hh || []).map(function(h) { return ids[h]; }).sort(); }
// examples said, and how many there are in all when more than shown (count; 0: none more), as
// yuanluo.gis.errors.more_after says them: after a wide character no space (第 3、5 行等; H0005 等 keeps it);
// rows: the examples are rows alone, counted as rows (等，共 12 行)
function withMore(said, count, rows) {
  if (!count) return said;
  var more = fill(MSG[rows ? 'problem.more_rows' : 'problem.more'], {count: count});
  return said + (/[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]$/.test(said) ? more.replace(/^\s+/, '') : more);
}
// the check's sentence of finding v of unit u (null: the whole plan), as its message's title says it
function title(u, v) { return Y.one(fill(MSG[v.title ? v.code + '.title_' + v.title : v.code], fields(u, v))); }
function fields(u, v) {
  var hs = idsOf(v), p = {unit: u === null ? '' : u, count: hs.length, examples: ''};
  if (hs.length) {
    p.examples = withMore(fill(MSG[hs.length === 1 ? 'problem.id' : 'problem.ids'], {ids: hs.slice(0, 5).join(MSG['list.sep'])}),
      hs.length > 5 ? hs.length : 0);
  }
  Object.keys(v.p || {}).forEach(function(f) { p[f] = v.p[f]; });
  return p;
}
// ... begun as a sentence (as the check's tables give it)
function sentence(u, v) { var t = title(u, v); return t.charAt(0).toUpperCase() + t.slice(1); }
// the fix the check gives a finding where it says more than the sentence does (the "apart" variant of a unit
// straddling groups: one name each group gave its own unit), as its message's second line says it; else null
function fixOf(u, v) { return v.fix ? fill(MSG['problem.fix'], {fix: Y.one(fill(MSG[v.code + '.fix_' + v.fix], fields(u, v)))}) : null; }
function recheck(units, setts) {
  excusedCache = null;
  if (islandJoins()) members.forEach(function(_, u) { units.add(u); });  // a kept unit held or broken
  units.forEach(function(u) { if (u !== null) checkUnit(u); });
  if (sett) setts.forEach(checkSettlement);
}
// every finding of the plan: unit, code, severity and the check's sentence
function violations() {
  var out = D.static.map(function(v) {
    return {unit: v.unit, code: v.code, severity: 'warning', text: v.text.charAt(0).toUpperCase() + v.text.slice(1)};
  });
  if (nUnassigned > 0) {
    var none = [];
    for (var h = 0; h < n; h++) if (unitOf[h] === null) none.push(h);
    out.push({unit: null, code: 'PLAN-UNASSIGNED', severity: 'error', text: sentence(null, {code: 'PLAN-UNASSIGNED', hh: none})});
  }
  results.forEach(function(r, u) {
    reported(u).forEach(function(v) {
      var f = {unit: u, code: v.code, severity: v.warn ? 'warning' : 'error', text: sentence(u, v)}, fx = fixOf(u, v);
      if (fx) f.fix = fx;
      out.push(f);
    });
  });
  settRes.forEach(function(v0) {
    var v = settReported(v0);
    out.push({unit: v.unit, code: v.code, severity: v.warn ? 'warning' : 'error', text: sentence(v.unit, v)});
  });
  // the errors first (the panel lists them all), then the warnings; each by unit (the whole plan first), then code
  return out.sort(byFinding);
}
// a unit name as gis.plan.unit_sort_key orders it (the check's lists): each number, digits or Chinese numerals, as a
// number, the text between as text, the name as written last (U2 before U10, 二组二院落 before 二组十院落)
var CN_DIGIT = {'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9};
function cnNumber(run) {
  if (run.indexOf('十') < 0 && run.indexOf('百') < 0) {
    return Number(run.split('').map(function(c) { return CN_DIGIT[c]; }).join(''));
  }
  var total = 0, cur = 0;
  run.split('').forEach(function(c) {
    if (c === '百') { total += (cur || 1) * 100; cur = 0; } else if (c === '十') { total += (cur || 1) * 10; cur = 0; } else cur = CN_DIGIT[c];
  });
  return total + cur;
}
var unitKeys = new Map();  // name -> its key, made once
function unitKey(name) {
  var k = unitKeys.get(name);
  if (k === undefined) { k = makeUnitKey(name); unitKeys.set(name, k); }
  return k;
}
function makeUnitKey(name) {
  return String(name).split(/([0-9]+|[〇零一二两三四五六七八九十百]+)/).map(function(x, i) {
    return i % 2 ? (/^[0-9]+$/.test(x) ? Number(x) : cnNumber(x)) : x;
  });
}
// a unit name as it is numbered, for telling two spellings of one name apart from two names (gis.plan.unit_spelling):
// case, spaces, a 第 before a number, Chinese or Arabic numerals and leading zeros left out (一院落, 第1院落, 01院落: 1院落)
function unitSpelling(name) {
  var t = String(name).toLowerCase().replace(/\s+/g, '');
  t = t.replace(/[〇零一二两三四五六七八九十百]+/g, function(r) { return String(cnNumber(r)); }).replace(/第(?=\d)/g, '');
  return t.replace(/\d+/g, function(d) { return d.replace(/^0+(?=\d)/, ''); });
}
function byText(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
function unitOrder(a, b) {
  var ka = unitKey(a), kb = unitKey(b);
  for (var i = 0; i < Math.min(ka.length, kb.length); i++) {
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  }
  if (ka.length !== kb.length) return ka.length - kb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
function byFinding(a, b) {
  var sa = a.severity === 'error' ? 0 : 1, sb = b.severity === 'error' ? 0 : 1;
  if (sa !== sb) return sa - sb;
  if (a.unit !== b.unit) return a.unit === null ? -1 : b.unit === null ? 1 : unitOrder(a.unit, b.unit);
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}
function unitStatus(u) {
  var r = results.get(u);
  if (!r) return null;
  var rv = reported(u);
  var bad = rv.filter(function(v) { return !v.warn; }).map(function(v) { return v.code; });
  var warned = rv.filter(function(v) { return v.warn; }).map(function(v) { return v.code; });
  var splits = [];  // the settlement splits it is part of, as reported
  settRes.forEach(function(v) { if (v.units.indexOf(u) >= 0) splits.push(settReported(v)); });
  splits.forEach(function(v) { (v.warn ? warned : bad).push(v.code); });
  // the delineation's reason and its fix (the console's), while the unit is as it declared it; changed, the unit is
  // the planner's own and the fix of another unit: none said. A reason naming the household the unit's walks were
  // measured to (its meeting point; where its nearest candidate head is walked to) is as declared only while the unit
  // walks to that household: its meeting point moved, the reason's minutes are no longer true, and the card gives the
  // live check's sentences of the rules it was declared an exception to instead (none: it breaks none now), no fix
  var held = holdsDeclared(u), j = held ? dec.at.get(u) : -1, reason = held ? dec.reasons[j] || null : null;
  var fix = held ? dec.fixes[j] || null : null, why = reason ? dec.why[j] || null : null;
  var named = held ? dec.meets[j] || [] : [];
  if (reason && named.length && named.some(function(m) { return !r.meet || ids[r.meet.h] !== m; })) {
    var live = rv.filter(function(v) { return v.code === 'DECLARED-EXCEPTION'; }).map(function(v) {
      var t = Y.one(v.p.rule); return t.charAt(0).toUpperCase() + t.slice(1);
    });
    reason = live.length ? live.join(D.lang === 'zh' ? '' : ' ') : null;
    fix = null; why = null;
  }
  // the unit's status as yuanluo check gives it: a violation with an error; else an exception when one of its own
  // findings excuses it from a rule it breaks (a declared settlement split excuses the split, not its units)
  var exc = rv.some(function(v) { return v.warn && R.exceptions.indexOf(v.code) >= 0; }) ||
    splits.some(function(v) { return v.excuses && v.unit === u; });
  // the check's sentences of its findings, its errors first, then the settlement splits it is part of
  var said = rv.map(function(v) { return {warn: !!v.warn, text: sentence(u, v), fix: fixOf(u, v)}; });
  splits.forEach(function(v) { said.push({warn: v.warn, text: sentence(v.unit, v)}); });
  said.sort(function(x, y) { return (x.warn ? 1 : 0) - (y.warn ? 1 : 0); });
  return {size: r.size, n: r.n, codes: bad, warnings: warned, reason: reason, why: why, fix: fix, said: said,
          meeting: r.meet ? ids[r.meet.h] : null, centre: r.meet ? r.meet.centre : null,
          status: bad.length ? 'violation' : exc ? 'exception' : 'ok'};
}

// ------------------------------------------------------------------------------------------------ colours
// units coloured so that units touching in the graph differ: greedily, in the order of their ids, each the first
// colour of the palette none of its neighbours has (else the one fewest of them have); after an edit a unit keeps
// its colour, and a new unit, or a changed one that now touches a unit of its colour, takes a colour as above
var PALETTE = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#1f78b4', '#b2df8a',
               '#fb9a99', '#cab2d6', '#8dd3c7'];
var colourOf = new Map();
function unitsAround(u) {
  var out = new Set(), M = members.get(u);
  if (M) M.forEach(function(h) {
    for (var e = G.start[h]; e < G.start[h + 1]; e++) { var o = unitOf[G.nb[e]]; if (o !== null && o !== u) out.add(o); }
  });
  return out;
}
function pickColour(u) {
  var used = new Array(PALETTE.length).fill(0), best = 0;
  unitsAround(u).forEach(function(o) { var c = colourOf.get(o); if (c !== undefined) used[c]++; });
  for (var c = 0; c < PALETTE.length; c++) if (used[c] < used[best]) best = c;
  colourOf.set(u, best);  // the first colour no neighbour has, else the least used
}
// the colours of ``units`` as they are (undefined: none), and put back; an action keeps its units' colours from
// before and after it, so undo and redo give the map back as it was
function coloursOf(units) {
  var m = new Map();
  units.forEach(function(u) { if (u !== null) m.set(u, colourOf.get(u)); });
  return m;
}
function putColours(m) {
  m.forEach(function(c, u) { if (c === undefined) colourOf.delete(u); else colourOf.set(u, c); });
}
function recolour(units) {
  Array.from(units).filter(function(u) { return u !== null; }).sort().forEach(function(u) {
    if (!members.has(u)) { colourOf.delete(u); return; }
    var c = colourOf.get(u), clash = c === undefined;
    if (!clash) unitsAround(u).forEach(function(o) { if (colourOf.get(o) === c) clash = true; });
    if (clash) pickColour(u);
  });
}

// ------------------------------------------------------------------------------------------------ edits
// local time as Excel reads it: 2026-12-02 16:18:55
function localTime(d) {
  function two(x) { return String(x).padStart(2, '0'); }
  return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' + two(d.getHours()) + ':' +
    two(d.getMinutes()) + ':' + two(d.getSeconds());
}
// an action: moves [household, from, to], lock changes [unit, before, after] and meeting-point changes meets
// [unit, before, after] (a household id; undefined: none given), start when it gave the page its first meeting
// points (a page made without them: every unit is then checked as with meeting points, and again without them when
// undone); applied forwards or back
function run(act, back) {
  var t0 = performance.now(), touched = new Set(), setts = new Set(), when = localTime(new Date());
  var moves = back ? act.moves.slice().reverse() : act.moves;
  moves.forEach(function(m) {
    var h = m[0], from = back ? m[2] : m[1], to = back ? m[1] : m[2];
    removeMember(h); addMember(h, to);
    touched.add(from); touched.add(to);
    if (sett && sett.key[h] >= 0) setts.add(sett.key[h]);
    log.push({household: ids[h], from: from, to: to, time: when, undo: !!back});
  });
  act.locks.forEach(function(l) {
    var on = back ? l[1] : l[2];
    if (on) locked.add(l[0]); else locked.delete(l[0]);
    // in the change log as a row of its unit (from and to), locked or unlocked after it
    log.push({household: '', from: l[0], to: l[0], time: when, undo: !!back, lock: on ? 'on' : 'off'});
  });
  var rechecked = new Set(touched), meets = act.meets || [];
  if (act.start && !back) { MEET = new Map(); members.forEach(function(_, u) { rechecked.add(u); }); }
  (back ? meets.slice().reverse() : meets).forEach(function(m) {
    var to = back ? m[1] : m[2];
    if (to === undefined) MEET.delete(m[0]); else MEET.set(m[0], to);
    rechecked.add(m[0]);
    // in the change log as a row of its unit (from and to), the household it meets at after it (blank: none)
    log.push({household: to === undefined ? '' : to, from: m[0], to: m[0], time: when, undo: !!back, meeting: true});
  });
  if (act.start && back) { MEET = null; members.forEach(function(_, u) { rechecked.add(u); }); }
  recheck(rechecked, setts);
  if (back && act.before) putColours(act.before);
  else if (!back && act.after) putColours(act.after);
  else { var before = coloursOf(touched); recolour(touched); act.before = before; act.after = coloursOf(touched); }
  lastMs = performance.now() - t0;
  changed();
}
function commit(moves, locks, meets, start) {
  if (!moves.length && !locks.length && !(meets && meets.length)) return false;
  var act = {moves: moves, locks: locks || [], meets: meets || [], start: !!(start && meets && meets.length)};
  run(act, false);
  undoStack.push(act);
  if (undoStack.length > UNDO_LIMIT) undoStack.shift();
  redoStack = [];
  return true;
}
function movesTo(hs, to) {
  to = cleanId(to);
  if (to !== null && locked.has(to)) return null;
  var out = [];
  for (var a = 0; a < hs.length; a++) {
    var h = hs[a], from = unitOf[h];
    if (from === to) continue;
    if (from !== null && locked.has(from)) return null;
    out.push([h, from, to]);
  }
  return out;
}
function positions(list) {
  var out = [];
  (Array.isArray(list) ? list : [list]).forEach(function(h) {
    var p = typeof h === 'number' ? h : idx.get(String(h));
    if (p !== undefined && p >= 0 && p < n) out.push(p);
  });
  return out;
}
function assign(hids, to) {
  var m = movesTo(positions(hids), to);
  return m !== null && commit(m, []);
}
// why a move of households hids to unit to (null: to no unit) would be refused: the locked units it would change (the
// target and the units of the households that would leave theirs), in the order a planner reads them; none: it is
// not refused (assign then moves them, or nothing where every one is in that unit already)
function lockedIn(hids, to) {
  to = cleanId(to);
  var out = new Set();
  positions(hids).forEach(function(h) {
    var from = unitOf[h];
    if (from === to) return;
    if (to !== null && locked.has(to)) out.add(to);
    if (from !== null && locked.has(from)) out.add(from);
  });
  return Array.from(out).sort(unitOrder);
}
function merge(a, b) {
  a = cleanId(a); b = cleanId(b);
  if (a === null || b === null || a === b || !members.has(b) || locked.has(a) || locked.has(b)) return false;
  return commit(movesTo(Array.from(members.get(b)), a), []);
}
function setLock(u, on) {
  u = cleanId(u);
  if (u === null || !members.has(u) || locked.has(u) === on) return false;
  return commit([], [[u, !on, on]]);
}
// whether the page takes meeting points: it was given some, or judges the walk (to each unit's centre until given)
function canSetMeeting() { return MEET !== null || R.max_walk_min !== null; }
// household h as its unit's meeting point: false when it is in no unit, its unit is locked, it is already the
// point, or the page takes none (canSetMeeting)
function setMeeting(h) {
  var p = positions([h]);
  if (p.length !== 1 || !canSetMeeting()) return false;
  var u = unitOf[p[0]], before = MEET ? MEET.get(u) : undefined;
  if (u === null || locked.has(u) || before === ids[p[0]]) return false;
  return commit([], [], [[u, before, ids[p[0]]]], MEET === null);
}
// what an action did, for the page to say what was undone or redone: households moved (moved), their one unit after
// it (to: a unit id, null when taken out of their units, undefined when they went to several), the units locked or
// unlocked (locks: [unit, locked after it]) and whose meeting point it set (meets: unit ids)
function whatDone(act) {
  var to, tos = new Set();
  act.moves.forEach(function(m) { tos.add(m[2]); });
  if (tos.size === 1) to = tos.values().next().value;
  return {moved: act.moves.length, to: to, locks: act.locks.map(function(l) { return [l[0], l[2]]; }),
          meets: (act.meets || []).map(function(m) { return m[0]; })};
}
// undo and redo: false when there is nothing to undo (redo), else what the action undone (redone) did (whatDone)
function undo() {
  var act = undoStack.pop();
  if (!act) return false;
  run(act, true); redoStack.push(act);
  return whatDone(act);
}
function redo() {
  var act = redoStack.pop();
  if (!act) return false;
  run(act, false); undoStack.push(act);
  return whatDone(act);
}
// the units whose findings the next undo (redo: the next redo) can change: those households leave or join, whose
// meeting point it sets (a lock changes none), for the page to say what they break after it
function nextUnits(redoing) {
  var st = redoing ? redoStack : undoStack, act = st[st.length - 1], out = new Set();
  if (!act) return [];
  act.moves.forEach(function(m) { out.add(m[1]); out.add(m[2]); });
  (act.meets || []).forEach(function(m) { out.add(m[0]); });
  out.delete(null);
  return Array.from(out);
}
function newUnitId() {
  var best = null, used = new Set(members.keys());
  undoStack.concat(redoStack).forEach(function(a) { a.moves.forEach(function(m) { used.add(m[1]); used.add(m[2]); }); });
  used.forEach(function(u) {
    var mt = u !== null && /^(.*?)(\d+)$/.exec(u);
    if (mt && (!best || mt[1] === best.p)) best = {p: mt[1], w: mt[2].length, max: Math.max(best ? best.max : 0, +mt[2])};
  });
  var p = best ? best.p : 'U', w = best ? best.w : 3, num = best ? best.max + 1 : 1, id;
  do { id = p + String(num).padStart(w, '0'); num++; } while (used.has(id));
  return id;
}

// ------------------------------------------------------------------------------------------------ CSV
// a cell of the export, guarded as yuanluo.gis.output.neutralise_formulas guards a CSV cell: a ' before a text a
// spreadsheet would run as a formula, and before one already starting with ' and then one ('=H1 is ''=H1), so
// that reading it back (unguard) gives every text as it was
function csvCell(s) {
  s = s === null || s === undefined ? '' : String(s);
  if (/^'*[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
// the meeting-point cell of unit u's rows (yuanluo.gis.plan.plan_meeting_points reads it as `check --plan`
// does): the household it meets at, as the page walks to it, when that is its own meeting point; else blank (no
// point of its own: none, or one moved out or given outside it; walked to its centre: PLAN-MEETING, in the page as
// in the check), so that `edit --plan` and 载入方案 of the export reopen the same page
function meetingCell(u) {
  if (u === null) return '';
  var r = results.get(u);
  return r && r.meet && !r.meet.centre ? ids[r.meet.h] : '';
}
// every household, one without a unit with a blank unit cell (a file without it would leave it in its old unit
// when loaded over a plan); with meeting points given, each row's unit's meeting point in a 议事点 column, so that
// `yuanluo check --plan` of the file walks to the points the page walks to
function exportCsv() {
  var head = [T['col.hid'], T['col.unit'], T['col.locked']], order = [];
  if (MEET) head.push(T['col.meeting']);
  var rows = [head.map(csvCell).join(',')];
  for (i = 0; i < n; i++) order.push(i);
  order.sort(function(a, b) { return ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0; });
  order.forEach(function(h) {
    var row = [ids[h], unitOf[h], unitOf[h] !== null && locked.has(unitOf[h]) ? T['csv.yes'] : ''];
    if (MEET) row.push(meetingCell(unitOf[h]));
    rows.push(row.map(csvCell).join(','));
  });
  return rows.join('\r\n') + '\r\n';
}
// the change log: a move per row; a meeting point set (or undone) as a row of its unit marked in a 议事点 column,
// which the log has once there is one
function logCsv() {
  var meets = log.some(function(e) { return e.meeting; }), locks = log.some(function(e) { return e.lock; });
  var head = [T['col.hid'], T['col.from'], T['col.to'], T['col.time'], T['col.undo']]
    .concat(meets ? [T['col.meeting']] : [], locks ? [T['col.lock_change']] : []);
  var rows = [head.map(csvCell).join(',')];
  log.forEach(function(e) {
    var row = [e.household, e.from, e.to, e.time, e.undo ? T['csv.yes'] : ''];
    if (meets) row.push(e.meeting ? T['csv.yes'] : '');
    if (locks) row.push(e.lock ? T['log.' + e.lock] : '');
    rows.push(row.map(csvCell).join(','));
  });
  return rows.join('\r\n') + '\r\n';
}
// as Python's csv module reads it (`check --plan`): a " opens a quoted section only as a cell's first character;
// anywhere else (H000008"x, or after a closing quote) it is a character of the cell
function parseCsv(text, sep) {
  var rows = [], row = [], cell = '', q = false, start = true, c;
  sep = sep || ',';
  text = text.replace(/^\ufeff/, '');
  for (var p = 0; p < text.length; p++) {
    c = text[p];
    if (q) { if (c === '"') { if (text[p + 1] === '"') { cell += '"'; p++; } else q = false; } else cell += c; }
    else if (c === '"' && start) { q = true; start = false; }
    else if (c === sep) { row.push(cell); cell = ''; start = true; }
    else if (c === '\n' || c === '\r') { if (c === '\r' && text[p + 1] === '\n') p++; row.push(cell); rows.push(row); row = []; cell = ''; start = true; }
    else { cell += c; start = false; }
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
// the column names `yuanluo check --plan` reads (yuanluo.gis.plan.ID_ALIASES, UNIT_ALIASES; a test keeps them alike)
var ID_ALIASES = ['hid', '户编号', '户号', '农户编号', 'household_id', 'household id', '户id', '编号', 'id'];
var UNIT_ALIASES = ['unit_id', '院落编号', '院落', '院落名称', '小院', '小院名称', '所属院落', '院落号', 'unit id', 'unit'];
var LOCK_ALIASES = ['锁定', 'locked', 'lock'];
// how `--plan` reads a cell (yuanluo.maps.editor._plan_reading, from the Python constants): the characters it
// drops, the lock column's yes and no values (yuanluo.gis.lock.read_lock_column); and the column names it reads:
// the names above, then their cuts to a Shapefile's 10-byte field names (household_id as household_), from Python
var READ = D.read, INVISIBLE = new RegExp(READ.invisible, 'g');
var ID_COLS = ID_ALIASES.concat(READ.cuts.id), UNIT_COLS = UNIT_ALIASES.concat(READ.cuts.unit);
var LOCK_COLS = LOCK_ALIASES.concat(READ.cuts.lock);
// the meeting-point column (yuanluo.gis.plan.MEETING_ALIASES, from Python, with their cuts)
var MEET_COLS = READ.meet;
var LOCK_YES = new Set(READ.lock_yes), LOCK_NO = new Set(READ.lock_no), YES = new Set(READ.yes), NO = new Set(READ.no);
// a cell NFKC, stripped; a text table's (text: a CSV's, where the guard of csvCell and of Yuanluo's CSV files puts
// a ' before a formula-like cell) unguarded too, as yuanluo.gis.plan._norm reads it: one ' off ' + any more ' +
// = + - @ tab or CR; a workbook's cell as it is (Yuanluo's xlsx is never guarded)
function norm(s, text) {
  s = String(s).normalize('NFKC').replace(INVISIBLE, '').trim();
  return text && /^'+[=+\-@\t\r]/.test(s) ? s.slice(1).trim() : s;
}
// a household id cell read as norm reads the table's cells, or the other way where only that is a household id
// on the page (yuanluo.gis.plan._as_household: a CSV saved by Excel from Yuanluo's xlsx, a workbook from its CSV)
function hidCell(s, text) {
  var first = norm(s, text), other = norm(s, !text);
  return !idx.has(first) && idx.has(other) ? other : first;
}
// a lock cell (norm, lower case): true (locked), false (not locked, blank) or null (neither)
function lockValue(v) {
  var b = v.replace(/\.0$/, '');
  if (YES.has(b) || LOCK_YES.has(v)) return true;
  return v === '' || NO.has(b) || LOCK_NO.has(v) ? false : null;
}
// a plan file's bytes as text: UTF-8 (with or without BOM) when they are valid UTF-8, else GB18030, which
// covers GBK, the encoding Excel in Chinese saves CSV in
function decodeCsvBytes(bytes) {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes);  // Excel's "Unicode 文本"
  }
  try { return new TextDecoder('utf-8', {fatal: true}).decode(bytes); } catch (e) {
    return new TextDecoder('gb18030').decode(bytes);
  }
}
// an Excel workbook (.xlsx: a zip of XML parts) as its visible sheets, in order, each {name, rows} with the rows
// of cell text as Excel shows them; a Promise (the parts are inflated by the browser's own DecompressionStream),
// rejected when it cannot be read
function xlsxSheets(bytes) {
  var dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), parts = {}, p, k;
  for (p = bytes.length - 22; p >= 0 && dv.getUint32(p, true) !== 0x06054b50; p--) { /* end of central dir */ }
  if (p < 0) return Promise.reject(new Error('zip'));
  var at = dv.getUint32(p + 16, true), count = dv.getUint16(p + 10, true);
  for (k = 0; k < count; k++) {
    if (dv.getUint32(at, true) !== 0x02014b50) return Promise.reject(new Error('zip'));
    var nlen = dv.getUint16(at + 28, true), name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nlen));
    parts[name] = {method: dv.getUint16(at + 10, true), size: dv.getUint32(at + 20, true), local: dv.getUint32(at + 42, true)};
    at += 46 + nlen + dv.getUint16(at + 30, true) + dv.getUint16(at + 32, true);
  }
  function part(name) {
    var e = parts[name];
    if (!e) return Promise.resolve(null);
    var start = e.local + 30 + dv.getUint16(e.local + 26, true) + dv.getUint16(e.local + 28, true);
    var raw = bytes.subarray(start, start + e.size);
    if (e.method === 0) return Promise.resolve(new TextDecoder().decode(raw));
    if (e.method !== 8) return Promise.reject(new Error('zip'));
    var stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Response(stream).text();
  }
  function xml(t) { return t === null ? null : new DOMParser().parseFromString(t, 'application/xml'); }
  function all(doc, tag) { return doc ? Array.prototype.slice.call(doc.getElementsByTagNameNS('*', tag)) : []; }
  function text(node) { return all(node, 't').map(function(t) { return t.textContent; }).join(''); }
  function attr(node, local) {
    for (var i = 0; i < node.attributes.length; i++) if (node.attributes[i].localName === local) return node.attributes[i].value;
    return null;
  }
  function rowsOf(t, shared) {
    if (t === null) throw new Error('sheet');
    var rows = [];
    all(xml(t), 'row').forEach(function(row, i) {
      var r = (parseInt(row.getAttribute('r'), 10) || i + 1) - 1, cells = [];
      all(row, 'c').forEach(function(c, j) {
        var ref = c.getAttribute('r'), col = j, type = c.getAttribute('t'), v = all(c, 'v')[0];
        if (ref) { col = 0; for (var q = 0; q < ref.length && /[A-Z]/.test(ref[q]); q++) col = col * 26 + ref.charCodeAt(q) - 64; col--; }
        var val = type === 's' ? (shared[parseInt(v && v.textContent, 10)] || '') : type === 'inlineStr' ? text(c)
          : v ? v.textContent : '';
        while (cells.length < col) cells.push('');
        cells[col] = val;
      });
      while (rows.length < r) rows.push([]);
      rows[r] = cells;
    });
    return rows;
  }
  return Promise.all([part('xl/workbook.xml'), part('xl/_rels/workbook.xml.rels'), part('xl/sharedStrings.xml')])
    .then(function(got) {
      var targets = {}, shared = all(xml(got[2]), 'si').map(text);
      all(xml(got[1]), 'Relationship').forEach(function(r) { targets[r.getAttribute('Id')] = r.getAttribute('Target'); });
      var sheets = all(xml(got[0]), 'sheet').filter(function(sh) { return (sh.getAttribute('state') || 'visible') === 'visible'; });
      if (!sheets.length) throw new Error('sheet');
      return Promise.all(sheets.map(function(sh) {
        var target = targets[attr(sh, 'id')] || 'worksheets/sheet1.xml';
        return part(target.charAt(0) === '/' ? target.slice(1) : 'xl/' + target).then(function(t) {
          return {name: sh.getAttribute('name') || '', rows: rowsOf(t, shared)};
        });
      }));
    });
}
// a plan from the first visible sheet of a workbook that holds one (a note or a hidden sheet before it is passed by)
function loadSheets(sheets, name) {
  for (var k = 0; k < sheets.length; k++) {
    var r = loadRows(sheets[k].rows, undefined, name, false);
    if (r.ok || r.refused) return r;
  }
  return {ok: false, unknown: 0};
}
// the page's autosave (the plan as exported: every household listed), as the page opened or as now: a
// whole plan, which leaves a household it does not list without a unit; kept under the fingerprint of the plan the
// page opened with (yuanluo.maps.editor.plan_fingerprint), so that another plan of the town never offers it
var storageKey = 'yuanluo-editor:' + n + ':' + ids[0] + ':' + ids[n - 1] + ':' + D.plan, saved0 = autosaved();
function autosaved() { try { return window.localStorage.getItem(storageKey); } catch (err) { return null; } }
function isAutosave(text) { return text !== null && (text === saved0 || text === autosaved()); }
// comma-separated, or tab-separated as Excel's "Unicode 文本" export is; whole: as loadRows (by default, when it
// is the page's autosave)
function loadCsv(text, whole, name) {
  if (whole === undefined || whole === null) whole = isAutosave(text);
  var first = text.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0];
  return loadRows(parseCsv(text, first.indexOf('\t') >= 0 && first.indexOf(',') < 0 ? '\t' : ','), whole, name, true);
}
// the plan ids of rows whose id is not on the map that are household ids with their leading zeros lost (Excel
// turns 000005 into 5), as `--plan` restores them (yuanluo.gis.plan._zeros_restored): plan id -> household id, for
// ids of digits without a leading zero that one household id of digits equals once its leading zeros are taken off;
// none at all when one of them matches two household ids, or one that the table names as it is (named)
function zerosRestored(unknownIds, named) {
  var plain = unknownIds.filter(function(i) { return /^[0-9]+$/.test(i) && (i === '0' || i[0] !== '0'); });
  if (!plain.length) return new Map();
  var byValue = new Map(), out = new Map(), k;
  for (k = 0; k < n; k++) {
    if (ids[k][0] === '0' && /^[0-9]+$/.test(ids[k])) {
      var v = ids[k].replace(/^0+/, '') || '0';
      if (!byValue.has(v)) byValue.set(v, []);
      byValue.get(v).push(ids[k]);
    }
  }
  var sorted = Array.from(new Set(plain)).sort();
  for (k = 0; k < sorted.length; k++) {
    var cand = byValue.get(sorted[k]) || [];
    if (cand.length > 1 || (cand.length && named.has(cand[0]))) return new Map();  // not one to one: read as it is
    if (cand.length) out.set(sorted[k], cand[0]);
  }
  return out;
}
// the other direction, as `--plan` reads it (yuanluo.gis.plan._roster_zeros): the household file lost the zeros (a
// roster whose id column Excel holds as numbers: 000001 is 1 there), the plan kept them: the plan ids of rows whose
// id is not on the map, of digits with a leading zero, whose value, leading zeros taken off, is a household id of
// digits without one. {matched, clashing}, each plan id -> household id: all of them in matched when the match is
// one to one, else all of them in clashing (two plan ids for one household, 0001 and 000001, or a household the
// table names as it is, named), the ones that clash first, each by its household, as --plan shows them
function rosterZeros(unknownIds, named) {
  var plan = Array.from(new Set(unknownIds.filter(function(i) { return i.length > 1 && i[0] === '0' && /^[0-9]+$/.test(i); }))).sort();
  var found = [], times = new Map();
  plan.forEach(function(i) {
    var h = i.replace(/^0+/, '') || '0';  // digits without a leading zero (or 0 itself), as the roster holds them
    if (idx.has(h)) { found.push([i, h]); times.set(h, (times.get(h) || 0) + 1); }
  });
  var twice = new Set(found.filter(function(x) { return named.has(x[1]) || times.get(x[1]) > 1; }).map(function(x) { return x[1]; }));
  if (!twice.size) return {matched: new Map(found), clashing: new Map()};
  function key(x) { return [twice.has(x[1]) ? 0 : 1, x[1], x[0]]; }
  found.sort(function(a, b) {
    var p = key(a), q = key(b);
    for (var k = 0; k < 3; k++) if (p[k] !== q[k]) return p[k] < q[k] ? -1 : 1;
    return 0;
  });
  return {matched: new Map(), clashing: new Map(found)};
}
// a finding of reading the table in the check's own sentence (its message's title, as yuanluo.gis.errors.Problem
// says it: the rows and ids as examples), begun as a sentence
function loadSentence(code, rows, hids, p) {
  var sep = MSG['list.sep'], parts = [], most = READ.examples, count = Math.max(rows.length, hids.length);
  if (rows.length) parts.push(fill(MSG[rows.length === 1 ? 'problem.row' : 'problem.rows'], {rows: rows.slice(0, most).join(sep)}));
  if (hids.length) parts.push(fill(MSG[hids.length === 1 ? 'problem.id' : 'problem.ids'], {ids: hids.slice(0, most).join(sep)}));
  var q = {count: count, examples: withMore(parts.join(MSG['list.clause_sep']), parts.length && count > most ? count : 0,
                                            !hids.length)};
  Object.keys(p).forEach(function(f) { q[f] = p[f]; });
  var t = Y.one(fill(MSG[code], q));
  return t.charAt(0).toUpperCase() + t.slice(1);
}
// a plan table's rows loaded over the page's plan, read as `yuanluo check --plan` reads them: the households it
// lists take its unit (a blank unit cell: no unit, unless another row gives one), the others keep theirs (kept:
// how many of them have one); ids that lost their leading zeros get them back as --plan puts them back
// (PLAN-ID-ZEROS, said), and ids with zeros the page's households lost are read without them, when one to one
// (PLAN-HH-ZEROS, said; else PLAN-HH-ZEROS-CLASH, none of them read); the locks of the units it names follow its lock column, when it has one, a unit locked
// when any of its rows says yes (yuanluo.gis.lock.read_lock_column), the cells neither yes nor no said
// (LOCK-VALUE); a row repeating a household's row with the same unit is said (PLAN-DUP-ROW, a warning). A
// household given two units (PLAN-DUP-ASSIGN, where --plan stops) refuses the whole table: the plan stays as it
// is (ok false, refused: the sentence); what it could not take as it is, notes (sentences, said by editor_ui.js
// after its counts; a unit whose 议事点 cells name none of its households, or two of them, PLAN-MEET-COLUMN; one
// whose cells are all blank has none given, said by the page's own PLAN-MEETING, as `check --plan` says it);
// name: the file's name, as the check's sentences give it. With whole (the page's own autosave: every assigned
// household listed), a household it does not list has no unit and the locks are its lock column's.
function loadRows(rows, whole, name, text) {
  var hr = -1, ci = -1, cu = -1, cl = -1, cm = -1, r, h;
  for (r = 0; r < Math.min(10, rows.length) && hr < 0; r++) {
    var low = rows[r].map(function(x) { return norm(x, true).toLowerCase(); });
    ci = ID_COLS.reduce(function(f, a) { return f >= 0 ? f : low.indexOf(a); }, -1);
    cu = UNIT_COLS.reduce(function(f, a) { return f >= 0 ? f : low.indexOf(a); }, -1);
    cl = LOCK_COLS.reduce(function(f, a) { return f >= 0 ? f : low.indexOf(a); }, -1);
    cm = MEET_COLS.reduce(function(f, a) { return f >= 0 ? f : low.indexOf(a); }, -1);
    if (ci >= 0 && cu >= 0 && ci !== cu) hr = r;
  }
  if (hr < 0) return {ok: false, unknown: 0};
  var body = [];
  for (r = hr + 1; r < rows.length; r++) {
    var id = hidCell(rows[r][ci] || '', text);
    body.push({row: r + 1, id: id, unit: cleanId(norm(rows[r][cu] || '', text)), h: idx.get(id),
               lock: cl >= 0 ? norm(rows[r][cl] || '', text).toLowerCase() : '',
               meet: cm >= 0 && cm !== ci && cm !== cu ? hidCell(rows[r][cm] || '', text) : ''});
  }
  var notes = [], sep = MSG['list.sep'];
  // a row naming a unit but no household: passed over and said, as --plan says it (PLAN-BLANK-ID, a warning)
  var blankRows = body.filter(function(b) { return b.id === '' && b.unit !== null; }).map(function(b) { return b.row; });
  if (blankRows.length) notes.push(loadSentence('PLAN-BLANK-ID', blankRows, [], {}));
  // unit names differing only in case (PLAN-UNIT-CASE), or one name written different ways beyond case (1院落,
  // 第一院落, 一院落; u8, U008: PLAN-UNIT-VARIANT): kept apart as written and said, as --plan says them
  spellings('PLAN-UNIT-CASE', function(x) { return x.toLowerCase(); }, function(x) { return x; });
  spellings('PLAN-UNIT-VARIANT', unitSpelling, function(x) { return x.toLowerCase(); });
  // (yuanluo.gis.plan._spellings) one note per set of names same() maps to one key and apart() to two or more: the
  // rows of the less written spellings (their ids as read), the most written one as the example
  function spellings(code, same, apart) {
    var groups = new Map();
    body.forEach(function(b) {
      if (b.unit === null) return;
      var k = same(b.unit);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push(b);
    });
    Array.from(groups.keys()).sort(byText).forEach(function(k) {
      var g = groups.get(k), count = new Map(), kinds = new Set();
      g.forEach(function(b) { count.set(b.unit, (count.get(b.unit) || 0) + 1); kinds.add(apart(b.unit)); });
      if (kinds.size < 2) return;
      var names = Array.from(count.keys()).sort(byText), common = names[0];
      names.forEach(function(x) { if (count.get(x) > count.get(common)) common = x; });
      names = names.filter(function(x) { return x !== common; }).concat([common]);  // the odd ones first
      var odd = g.filter(function(b) { return b.unit !== common; });
      notes.push(loadSentence(code, odd.map(function(b) { return b.row; }), odd.map(function(b) { return b.id; }),
        {variants: names.map(function(x) { return '“' + x + '”'; }).join(sep), common: common}));
    });
  }
  // the ids whose leading zeros one of the two files lost, read as --plan reads them (yuanluo.gis.plan._matched_ids):
  // those the plan lost put back (PLAN-ID-ZEROS), then those the household file lost taken off (PLAN-HH-ZEROS),
  // each only when one to one, said; the latter not one to one: none of them read, said once (PLAN-HH-ZEROS-CLASH,
  // with its fix), not again as ids not on the map (clash); the 议事点 cells read with the same match (matchedIds)
  function unread() { return body.filter(function(b) { return b.id !== '' && b.h === undefined; }).map(function(b) { return b.id; }); }
  function known() { return new Set(body.filter(function(b) { return b.h !== undefined; }).map(function(b) { return b.id; })); }
  function readBack(code, got) {
    var gotRows = [], gotIds = [];
    body.forEach(function(b) {
      if (b.h === undefined && got.has(b.id)) { b.id = got.get(b.id); b.h = idx.get(b.id); gotRows.push(b.row); gotIds.push(b.id); }
    });
    var pairs = Array.from(got.entries()).sort(function(x, y) { return x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0; }).slice(0, 3);
    notes.push(loadSentence(code, gotRows, gotIds, {pairs: pairs.map(function(x) { return x[0] + ' → ' + x[1]; }).join(sep)}));
    got.forEach(function(v, k) { matchedIds.set(k, v); });
  }
  var matchedIds = new Map(), back = zerosRestored(unread(), known());
  if (back.size) readBack('PLAN-ID-ZEROS', back);
  var roster = rosterZeros(unread(), known());
  if (roster.matched.size) readBack('PLAN-HH-ZEROS', roster.matched);
  if (roster.clashing.size) {
    var clashRows = [], clashIds = [];
    body.forEach(function(b) { if (b.h === undefined && roster.clashing.has(b.id)) { b.clash = true; clashRows.push(b.row); clashIds.push(b.id); } });
    var shown = Array.from(roster.clashing.entries()).slice(0, 3).map(function(x) { return x[0] + ' → ' + x[1]; }).join(sep);
    notes.push(loadSentence('PLAN-HH-ZEROS-CLASH', clashRows, clashIds, {pairs: shown}) + (D.lang === 'zh' ? '' : ' ') +
               fill(MSG['problem.fix'], {fix: MSG['PLAN-HH-ZEROS-CLASH.fix']}));
  }
  body.forEach(function(b) { if (b.meet !== '' && !idx.has(b.meet) && matchedIds.has(b.meet)) b.meet = matchedIds.get(b.meet); });
  // each household's units, the first row of each (household, unit) pair: two units is --plan's PLAN-DUP-ASSIGN;
  // a later row of a pair repeats it (--plan's PLAN-DUP-ROW, a warning: its rows and their ids, in file order)
  var unitsOf = new Map(), firstRow = new Map(), listed = new Set(), againRows = [], againIds = [];
  body.forEach(function(b) {
    if (b.h === undefined) return;
    listed.add(b.h);
    if (b.unit === null) return;
    if (!unitsOf.has(b.h)) unitsOf.set(b.h, []);
    if (unitsOf.get(b.h).indexOf(b.unit) < 0) { unitsOf.get(b.h).push(b.unit); firstRow.set(b.h + '\u0000' + b.unit, b.row); }
    else { againRows.push(b.row); againIds.push(ids[b.h]); }
  });
  if (againRows.length) notes.push(loadSentence('PLAN-DUP-ROW', againRows, againIds, {}));
  var multi = Array.from(unitsOf.keys()).filter(function(x) { return unitsOf.get(x).length > 1; });
  if (multi.length) {
    var dupRows = [], dupUnits = new Set();
    multi.forEach(function(x) { unitsOf.get(x).forEach(function(u) { dupRows.push(firstRow.get(x + '\u0000' + u)); dupUnits.add(u); }); });
    var why = loadSentence('PLAN-DUP-ASSIGN', dupRows.sort(function(x, y) { return x - y; }),
                           multi.map(function(x) { return ids[x]; }).sort(), {units: Array.from(dupUnits).sort(unitOrder).slice(0, 10).join(sep), count: multi.length});
    return {ok: false, unknown: 0, refused: fill(T['msg.load_refused'], {why: why})};
  }
  var want = whole ? new Array(n).fill(null) : unitOf.slice(), lockWant = new Set(), units = new Set();
  var unknown = 0, kept = 0, unknownAt = [], bad = [];
  body.forEach(function(b) {
    if (b.h === undefined && b.id !== '' && !b.clash) { unknown++; if (unknownAt.length < 5) unknownAt.push({row: b.row, id: b.id}); }
    if (cl < 0) return;
    var yes = lockValue(b.lock);
    if (yes === null) bad.push(b);
    else if (yes && b.unit !== null) lockWant.add(b.unit);
  });
  listed.forEach(function(x) { var us = unitsOf.get(x); want[x] = us ? us[0] : null; if (us) units.add(us[0]); });
  if (bad.length) {
    var vals = [], badUnits = new Set();
    bad.forEach(function(b) { if (vals.indexOf(b.lock) < 0) vals.push(b.lock); if (b.unit !== null) badUnits.add(b.unit); });
    notes.push(loadSentence('LOCK-VALUE', bad.map(function(b) { return b.row; }), [],
                            {values: vals.slice(0, 5).join(sep), units: Array.from(badUnits).sort(unitOrder).slice(0, 10).join(sep)}));
  }
  lockWant.forEach(function(u) { if (!units.has(u)) lockWant.delete(u); });  // a unit no household of the table is in
  var moves = [], locks = [];
  for (h = 0; h < n; h++) {
    if (unitOf[h] !== want[h]) moves.push([h, unitOf[h], want[h]]);
    else if (!whole && !listed.has(h) && unitOf[h] !== null) kept++;
  }
  var all = whole ? new Set(Array.from(locked).concat(Array.from(lockWant))) : cl >= 0 ? units : new Set();
  all.forEach(function(u) { if (locked.has(u) !== lockWant.has(u)) locks.push([u, locked.has(u), lockWant.has(u)]); });
  var read = cm >= 0 && cm !== ci && cm !== cu
    ? meetsOf(body, want, units, whole, String(rows[hr][cm]).trim(), name || T['load.file']) : {changes: [], notes: []};
  notes = notes.concat(read.notes);
  commit(moves, locks, read.changes, MEET === null);
  var out = {ok: true, unknown: unknown, unknownAt: unknownAt, moved: moves.length, kept: kept,
             meets: read.changes.length, locks: locks.length};  // units whose meeting point, lock changed
  if (notes.length) out.notes = notes;  // said after the counts (editor_ui.js)
  return out;
}

// the meeting points a table's 议事点 column gives the units it names, read as `--plan` reads it
// (yuanluo.gis.plan.plan_meeting_points): a unit's point is the household of its own (after the load) its rows name,
// a row naming itself passed over where the unit's other rows name another (a meeting household moved in the
// spreadsheet keeps its own cell); a unit whose rows name two (or more) of its households (two units merged by
// retyping a unit id) has none, walked to its centre, said in PLAN-MEET-COLUMN's sentence, as --plan says it; a
// unit whose rows name none of its households (another unit's, in no unit, no household) has none, walked to its
// centre, said in PLAN-MEET-COLUMN's sentence (notes), whether it had a point before or not, as --plan says it; a
// unit whose cells are all blank has none given, walked to its centre, said by the page's own finding,
// PLAN-MEETING, as `check --plan` of the file says it (no note); all as `edit --plan` of the file
// opens it (a point outside the unit its cells name, even the one it has now, is dropped: --plan keeps none); the
// table whole (the page's autosave) gives every unit the household its cells name (one now outside it stays its
// point, PLAN-MEETING), without notes. {changes: [unit, before, after], notes}; column: the column's header, file: the
// file's name
function meetsOf(body, want, units, whole, column, file) {
  var own = [], cell = new Map(), sep = MSG['list.sep'], notes = [], changes = [];
  body.forEach(function(b) {
    if (b.unit === null || b.meet === '') return;
    if (b.h !== undefined && want[b.h] === b.unit && !cell.has(b.unit)) cell.set(b.unit, b.meet);
    var m = idx.get(b.meet);
    if (m !== undefined && want[m] === b.unit) own.push(b);  // a row naming one of its unit's households
  });
  var byOthers = new Set(own.filter(function(b) { return b.meet !== b.id; }).map(function(b) { return b.unit; }));
  own = own.filter(function(b) {
    return b.meet !== b.id || !byOthers.has(b.unit) ||
      own.every(function(q) { return q.unit !== b.unit || q.meet === b.meet; });
  });
  var named = new Map(), chosen = new Map();
  own.forEach(function(b) {
    if (!named.has(b.unit)) named.set(b.unit, new Map());
    if (!named.get(b.unit).has(b.meet)) named.get(b.unit).set(b.meet, b.row);  // each household, at its first row
    if (!chosen.has(b.unit)) chosen.set(b.unit, b.meet);
  });
  // which of a unit's households it meets at is the planner's to say, not the first row's: a unit whose cells name
  // two of its own (two units merged by retyping one's unit id) gets none, walked to its centre, said
  var twice = new Set(Array.from(named.keys()).filter(function(u) { return named.get(u).size > 1; }));
  twice.forEach(function(u) { chosen.delete(u); });
  var lacking = new Set();
  units.forEach(function(u) {
    var now = MEET ? MEET.get(u) : undefined;
    // none of its own (blank, or a point outside it, even the one it has now): none, walked to its centre, as
    // `edit --plan` of the same file gives it
    var to = chosen.has(u) ? chosen.get(u) : twice.has(u) || !whole ? undefined : cell.get(u);
    if (to !== now) changes.push([u, now, to]);
    if (!chosen.has(u) && !twice.has(u) && to === undefined) lacking.add(u);  // had a point or not, as --plan says
  });
  if (!whole) {
    Array.from(twice).sort(unitOrder).forEach(function(u) {  // said whether or not it had a point: the column is at fault
      var at = named.get(u), rows = Array.from(at.values()).sort(function(x, y) { return x - y; });
      notes.push(loadSentence('PLAN-MEET-COLUMN', rows, [], {file: file, column: column, unit: u,
        why: fill(MSG['check.meeting.col.two'], {households: Array.from(at.keys()).join(sep)})}));
    });
    Array.from(lacking).sort(unitOrder).forEach(function(u) {
      var mine = body.filter(function(b) { return b.unit === u; }), given = mine.filter(function(b) { return b.meet !== ''; });
      if (!given.length) return;  // every cell blank: none given, the page's PLAN-MEETING, as check --plan says it
      var whys = [];
      given.forEach(function(b) { if (whys.indexOf(b.meet) < 0) whys.push(b.meet); });
      var why = whys.slice(0, 3).map(function(m) {
        var h = idx.get(m), other = h === undefined ? null : want[h];
        return h === undefined ? fill(MSG['check.meeting.col.unknown'], {meeting: m})
          : other !== null ? fill(MSG['check.meeting.col.foreign'], {meeting: m, other: other})
          : fill(MSG['check.meeting.col.unassigned'], {meeting: m});
      }).join(MSG['list.clause_sep']);
      notes.push(loadSentence('PLAN-MEET-COLUMN', given.map(function(b) { return b.row; }), [],
                              {file: file, column: column, unit: u, why: why}));
    });
  }
  return {changes: changes, notes: notes};
}

// ------------------------------------------------------------------------------------------------ start
for (i = 0; i < n; i++) addMember(i, unit0[i] >= 0 ? H.units[unit0[i]] : null);
islandJoins();
members.forEach(function(_, u) { checkUnit(u); });
if (sett) for (k = 0; k < sett.size.length; k++) checkSettlement(k);
Array.from(members.keys()).sort().forEach(pickColour);
// the households at each point (a building's households share one): position -> all of them, sorted by id
var samePoint = new Map(), stackOf = new Int32Array(n).fill(-1), stacks = [];
for (i = 0; i < n; i++) {
  var at = dlat[i] + ',' + dlon[i], st = samePoint.get(at);
  if (st === undefined) { st = stacks.length; samePoint.set(at, st); stacks.push([]); }
  stacks[st].push(i); stackOf[i] = st;
}
stacks.forEach(function(st) { st.sort(function(a, b) { return ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0; }); });
function atPoint(h) { return stacks[stackOf[h]]; }
// the households' villages (H.village: key per household, -1 blank, and the names as the village column gives them)
var vilKey = H.village ? Y.ints(H.village.key) : null, vilNames = H.village ? H.village.vals : [];
// a village as the map's search finds one (Y.villagesNamed, yuanluo.js): its name as typed (Y.norm: width and case
// aside), every village of that name (two towns may each have one), else the one village whose name begins with it;
// {kind: 'village', id: its name, hs: its households} or null
function findVillage(want) {
  var hit = Y.villagesNamed(vilNames, want), hs = [], j;
  if (!hit) return null;
  for (j = 0; j < n; j++) if (vilKey[j] >= 0 && hit[vilKey[j]]) hs.push(j);
  return hs.length ? {kind: 'village', id: vilNames[vilKey[hs[0]]], hs: hs} : null;
}
// what a search finds: a household id or a unit id as typed (Y.norm: width and case aside), else a village by its
// name (findVillage), else, where two or more village names begin with it (石 of 石桥村 and 石门村), those names to
// choose from (Y.villagesBeginning, as the map's search lists them), else the first unit id and then the first
// household id that begins with it; {kind: 'household'|'unit', id}, {kind: 'village', id, hs},
// {kind: 'villages', names} or null
function find(q) {
  var want = Y.norm(q), us = unitsInOrder(), k2;
  if (!want) return null;
  for (k2 = 0; k2 < n; k2++) if (Y.norm(ids[k2]) === want) return {kind: 'household', id: ids[k2]};
  for (k2 = 0; k2 < us.length; k2++) if (Y.norm(us[k2]) === want) return {kind: 'unit', id: us[k2]};
  var village = findVillage(want);
  if (village) return village;
  var names = vilKey ? Y.villagesBeginning(vilNames, want) : [];
  if (names.length) return {kind: 'villages', names: names};
  for (k2 = 0; k2 < us.length; k2++) if (Y.norm(us[k2]).indexOf(want) === 0) return {kind: 'unit', id: us[k2]};
  var best = null;
  for (k2 = 0; k2 < n; k2++) if (Y.norm(ids[k2]).indexOf(want) === 0 && (best === null || ids[k2] < best)) best = ids[k2];
  return best === null ? null : {kind: 'household', id: best};
}

Y.editor = {
  assign: function(h, u) { return assign(h, u); },
  lockedIn: lockedIn,
  nextUnits: nextUnits,
  merge: merge,
  lock: function(u) { return setLock(u, true); },
  unlock: function(u) { return setLock(u, false); },
  undo: undo, redo: redo,
  violations: violations,
  unitOrder: unitOrder,
  exportCsv: exportCsv,
  changeLogCsv: logCsv,
  loadCsv: loadCsv,
  parseCsv: parseCsv,
  loadRows: loadRows,
  xlsxSheets: xlsxSheets,
  loadSheets: loadSheets,
  decodeCsvBytes: decodeCsvBytes,
  changeLog: function() {
    return log.map(function(e) {
      return {household: e.household, from: e.from, to: e.to, time: e.time, undo: e.undo, meeting: !!e.meeting,
              lock: e.lock || null};
    });
  },
  setMeeting: setMeeting,
  canSetMeeting: canSetMeeting,
  units: unitsInOrder,
  unitOf: function(h) { var p = idx.get(String(h)); return p === undefined ? undefined : unitOf[p]; },
  members: function(u) { var s = members.get(u); return s ? Array.from(s).map(function(h) { return ids[h]; }).sort() : []; },
  locked: function() { return Array.from(locked).sort(unitOrder); },
  newUnitId: newUnitId,
  canUndo: function() { return undoStack.length; },
  canRedo: function() { return redoStack.length; },
  lastEditMs: function() { return lastMs; },
  households: function() { return ids.slice(); },
  neighbours: function(h) {
    var p = idx.get(String(h)), out = [];
    if (p === undefined) return out;
    for (var e = G.start[p]; e < G.start[p + 1]; e++) out.push(ids[G.nb[e]]);
    return out;
  },
  status: unitStatus,
  // the households a violation points at (the cut-off pieces, the households beyond the walk), else none
  concerned: function(u, code) {
    var out = [];
    if (results.has(u)) reported(u).forEach(function(v) { if (v.code === code && v.hh) out = v.hh.map(function(h) { return ids[h]; }); });
    return out.sort();
  },
  adjacentUnits: function(u) {
    var out = new Set(), M = members.get(u);
    if (!M) return [];
    M.forEach(function(h) {
      for (var e = G.start[h]; e < G.start[h + 1]; e++) { var o = unitOf[G.nb[e]]; if (o !== null && o !== u) out.add(o); }
    });
    return Array.from(out).sort(unitOrder);
  },
  select: function(hs) { select(positions(hs), false); },
  // a unit's colour on the map (white: no unit)
  colour: function(u) { var c = u === null || u === undefined ? undefined : colourOf.get(u); return c === undefined ? '#ffffff' : PALETTE[c]; },
  // the household a unit meets at: its meeting point, or (centre: true) its centre, as the check takes them
  meetingPoint: function(u) { var r = results.get(u); return r && r.meet ? {hid: ids[r.meet.h], centre: r.meet.centre} : null; },
  // every household at the point of household h (h too), sorted by id
  atPoint: function(h) { var p = idx.get(String(h)); return p === undefined ? [] : atPoint(p).map(function(x) { return ids[x]; }); },
  find: find,
  selection: function() { return Array.from(selected).map(function(h) { return ids[h]; }).sort(); }
};

// ------------------------------------------------------------------------------------------------ page
var selected = new Set(), changedHook = null;
function changed() { if (changedHook) changedHook(); }
function select(hs, add) {
  if (!add) selected.clear();
  hs.forEach(function(h) { selected.add(h); });
  if (changedHook) changedHook();
}
function el(tag, cls, txt) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (txt !== undefined) e.textContent = txt;
  return e;
}
// a count as the texts of the page's language write it (gis.catalogue.number): English groups the thousands
// (10,000 households), Chinese writes the digits as they are; ids and names come as text and stay as they are
function countText(x) {
  return typeof x === 'number' && Number.isInteger(x) ? grouped(String(x)) : String(x);
}
// the digits of a number written out ('1234.5') with the thousands of its whole part grouped in English
// ('1,234.5', as gis.catalogue.number), as they are in Chinese
function grouped(s) {
  if (D.lang !== 'en') return s;
  var dot = s.indexOf('.'), whole = dot < 0 ? s : s.slice(0, dot);
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (dot < 0 ? '' : s.slice(dot));
}
function fmt(s, p) { return Y.one(Y.onceQuoted(s, p).replace(/\{(\w+)\}/g, function(m, f) { return p[f] === undefined ? m : countText(p[f]); })); }
function button(label, fn, cls) {
  var b = el('button', 'yl-btn' + (cls ? ' ' + cls : ''), label);
  b.type = 'button';
  b.addEventListener('click', fn);
  return b;
}
Y.editorPage = {walks: WK, el: el, fmt: fmt, button: button, select: select, selected: selected, lat: lat, lon: lon, ids: ids,
                unitOf: unitOf, members: members, locked: locked, idx: idx, n: n, D: D, status: unitStatus,
                results: results, settRes: settRes, onChange: function(f) { changedHook = f; },
                storageKey: storageKey, atPoint: atPoint, find: find,
                logCsv: logCsv};
})();
