// Yuanluo map page: the unit card's town and village, first in its table, where the units layer has a town (the units of 新华村 of 甲镇 and of 新华村 of 乙镇 read apart); every text by textContent. Added after card.js only then (a page of data without a town is as before). Runs as (function(parent, map) { ... }) after `var W = <JSON>;` (yuanluo.maps.interactive._town_card).
var Y = window.yuanluo, town = Y.col(W.town), village = Y.col(W.village), open = Y.openCard;
// the unit card (card.js's Y.showUnit opens it through Y.openCard): its town and village before its other rows,
// so that the card is framed at its full height
Y.openCard = function(kind, id, title) {
  var c = open(kind, id, title), k = kind === 'unit' ? Y.unitIndex.get(id) : undefined;
  if (k !== undefined) {
    if (town[k] !== null && town[k] !== '') c.row(W.lab.town, town[k]);
    if (village[k] !== null && village[k] !== '') c.row(W.lab.village, village[k]);
  }
  return c;
};
