// Yuanluo map page: a metric-only scale bar (above the attribution line where that wraps), the controls' titles in the page's language, the page title kept between the controls (a tap shows a long one whole) and the first view, clear of the overlays (fitFirst). Runs as (function(parent, map) { ... }) after `var T = <JSON>;` (yuanluo.maps.interactive._add_controls).
// the attribution's prefix as plain text: no tiny link to mis-tap
map.attributionControl.setPrefix('Leaflet');
if (window.yuanluo.creditFold) window.yuanluo.creditFold(undefined, true);  // measured again with the prefix as text
L.control.scale({imperial: false, metric: true, position: 'bottomleft'}).addTo(map);
function title(sel, text) {
  var el = map.getContainer().querySelectorAll(sel);
  for (var k = 0; k < el.length; k++) { el[k].title = text; el[k].setAttribute('aria-label', text); }
}
title('.leaflet-control-zoom-in', T.zoomIn);
title('.leaflet-control-zoom-out', T.zoomOut);
title('.leaflet-control-layers-toggle', T.layers);
title('.leaflet-control-locate a', T.locate);
// on a phone the attribution line spans the width and wraps: the scale bar sits just above it, not under it
function liftScale() {
  var a = map.attributionControl.getContainer(), c = map.getContainer().querySelector('.leaflet-bottom.leaflet-left');
  if (!a || !c) return;
  c.style.bottom = '';
  var ar = a.getBoundingClientRect(), cr = c.getBoundingClientRect();
  if (ar.height > 0 && ar.left < cr.right && ar.top < cr.bottom) c.style.bottom = Math.ceil(cr.bottom - ar.top) + 'px';
  // and right of the controls at the top left where the screen is too low for both (a phone held sideways with its
  // text at 130 %, 640 x 360 laid out at 492 x 277: the scale stood over the search box's foot)
  c.style.left = '';
  cr = c.getBoundingClientRect();
  var tl = map.getContainer().querySelectorAll('.leaflet-top.leaflet-left .leaflet-control'), right = 0, k, t;
  for (k = 0; k < tl.length; k++) {
    t = tl[k].getBoundingClientRect();
    if (t.height && t.left < cr.right && cr.left < t.right && t.top < cr.bottom && cr.top < t.bottom) right = Math.max(right, t.right);
  }
  if (right) c.style.left = Math.ceil(right - map.getContainer().getBoundingClientRect().left) + 'px';
}
map.on('resize', liftScale);
window.addEventListener('load', liftScale);
// the first view: what is drawn (T.fit), fitted clear of the overlays — the controls in the corners (zoom,
// full screen, locate, search box, layers, legend, scale, attribution) and the stamp and title — in the clear
// rectangle of the map that shows it largest (Y.clearPadding, as a unit is framed): none covers the data at start.
// At the zoom that fills that rectangle, not the whole zoom below it: snapped, the demo's units (a valley 9 km long)
// took 131 x 178 px of a 360 x 640 screen, the hillshade round them reading as the map's subject and their ids
// crowding; unsnapped, 200 x 270 (the + and − then step to whole zooms again). Not from the zoom where the unit ids
// must find room among the household dots (units.js Y.idsAmongDots): there a zoom between whole steps left more ids
// out (a 600-household grid at 390 x 844: 11 of 25 drawn at 15, 5 at 15.55), and the whole zoom is kept
function fitFirst() {
  if (!T.fit) return;
  var Y = window.yuanluo, was = map.options.zoomSnap;
  function fit(snap) {
    map.options.zoomSnap = snap;
    try {
      var o = Y.clearPadding(map, T.fit, undefined, Y.controlRects(map, false), 6);
      map.fitBounds(T.fit, {paddingTopLeft: o.tl, paddingBottomRight: o.br, animate: false});
    } finally { map.options.zoomSnap = was; }
  }
  fit(0);
  if (Y.idsAmongDots !== undefined && map.getZoom() >= Y.idsAmongDots) fit(was);
}
// the page title (yuanluo.css) stays between the controls at the left and the right, at most two lines (four where
// there is room below it, foldLines); one cut short is a button: a tap (or Enter, Space) shows it whole, as far
// down as the first control below it leaves room (scrolling there), another folds it again. A control that moves
// out of the title's way (yl-clears-title, told by the map event 'yltitle') leaves it room
var heading = document.querySelector('.yl-title');
function titleRoom() {
  var r = heading.getBoundingClientRect(), low = window.innerHeight - 8;
  Array.prototype.forEach.call(document.querySelectorAll('.leaflet-control'), function(el) {
    var c = el.getBoundingClientRect();
    if (c.width > 0 && c.height > 0 && c.left < r.right && r.left < c.right && c.top >= r.top
        && !el.classList.contains('yl-clears-title')) low = Math.min(low, c.top - 6);
  });
  return Math.max(low - r.top, heading.clientHeight);
}
// folded, a title cut short at two lines takes a third and a fourth where the room below it allows: at a phone's
// text at 130 % (277 px wide) 院落划分图（样例：安道尔奥… was cut at two, which village unread; longer, the ellipsis
// and the tap as before. Not where a control moves out of its way (the maturity panel): the controls below that one
// would come down onto the search box
function foldLines() {
  if (document.querySelector('.yl-clears-title')) return;
  var line = parseFloat(getComputedStyle(heading).lineHeight) || 22, room = titleRoom();
  for (var n = 3; n <= 4 && heading.scrollHeight > heading.clientHeight + 1; n++) {
    if (heading.offsetHeight + line > room) break;
    heading.style.setProperty('-webkit-line-clamp', String(n));
  }
}
// the title 6 px under the stamp, where the stamp wraps (yuanluo.css: "Internal working map" on two lines at a
// phone's text at 130 %); at 40 px as before where it does not
var stamp = document.querySelector('.yl-stamp');
function underStamp() {
  heading.style.top = '';
  if (!stamp) return;
  var low = stamp.getBoundingClientRect().bottom + 6 - heading.getBoundingClientRect().top;
  if (low > 0) heading.style.top = (heading.offsetTop + Math.ceil(low)) + 'px';
}
function showTitle(open) {
  underStamp();
  heading.style.maxHeight = '';
  heading.style.removeProperty('-webkit-line-clamp');
  L.DomUtil.removeClass(heading, 'yl-title-open');
  if (!open) foldLines();
  var more = open || heading.scrollHeight > heading.clientHeight + 1;
  if (open) {
    heading.style.maxHeight = titleRoom() + 'px';
    L.DomUtil.addClass(heading, 'yl-title-open');
  }
  L.DomUtil[more ? 'addClass' : 'removeClass'](heading, 'yl-title-more');
  if (more) {
    heading.setAttribute('role', 'button');
    heading.setAttribute('tabindex', '0');
    heading.setAttribute('aria-expanded', open ? 'true' : 'false');
  } else {
    ['role', 'tabindex', 'aria-expanded'].forEach(function(a) { heading.removeAttribute(a); });
  }
  map.fire('yltitle');
}
if (heading) {
  heading.title = heading.textContent;
  heading.addEventListener('click', function() {
    if (L.DomUtil.hasClass(heading, 'yl-title-more')) showTitle(!L.DomUtil.hasClass(heading, 'yl-title-open'));
  });
  heading.addEventListener('keydown', function(e) {
    if ((e.key === 'Enter' || e.key === ' ') && L.DomUtil.hasClass(heading, 'yl-title-more')) {
      e.preventDefault();
      showTitle(!L.DomUtil.hasClass(heading, 'yl-title-open'));
    }
  });
  map.on('resize', function() { showTitle(false); });
  showTitle(false);
}
liftScale();
fitFirst();
// the layers list opened by a tap in the history (yuanluo.js Y.backable): a Back closes it. Not where a mouse opens it
// by passing over it (a screen with hover): each pass would be a step of Back
(function() {
  var Y = window.yuanluo, lay = map.getContainer().querySelector('.leaflet-control-layers'), X = 'leaflet-control-layers-expanded';
  if (!lay || !Y.backable) return;
  var hover = window.matchMedia && window.matchMedia('(hover: hover)').matches;
  Y.backable(function() { return !hover && L.DomUtil.hasClass(lay, X); }, function() { L.DomUtil.removeClass(lay, X); });
  if (window.MutationObserver) new MutationObserver(function() { Y.backSync(); }).observe(lay, {attributes: true, attributeFilter: ['class']});
})();
// the card the page's address names (#U007), framed after the first view, once the page has loaded: the scale
// placed on load (liftScale) with that card open stood right of the search box, under the legend, at 360 x 640;
// placed first, it stands where it does for a card a search opens. The history as it stands
function backStart() { if (window.yuanluo.backStart) window.yuanluo.backStart(); }
if (document.readyState === 'complete') backStart(); else window.addEventListener('load', backStart);
