"""The print map's legend names what the map draws (session 34, audit #3).

Households of a unit that breaks its rules (an exception unit, a locked unit beyond its rules) are drawn larger
with a red ring (``_draw_households``), and so are households of no unit; the legend had no entry for the ring.
It now has one, "例外院落的农户（红圈）" / "Households of exception units (red ring)", only when the map shows such
households, and the 未分配 entry is drawn ringed, as its households are.
"""

from __future__ import annotations

from typing import Any

import pytest
from matplotlib import rc_context

from yuanluo.gis.catalogue import text
from yuanluo.maps import static
from yuanluo.maps.interactive import _check_layers
from yuanluo.maps.sample import sample_layers
from yuanluo.maps.style import EXCEPTION_COLOUR


def _legend(lyr: dict[str, Any], lang: str) -> dict[str, Any]:
    with rc_context(static.font_rc()):
        fig = static._draw(_check_layers(lyr), paper="A4", lang=lang, title=None, dpi=40, osm=False)
    out: dict[str, Any] = {}
    for leg in fig.legends + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]:
        for t, h in zip(leg.get_texts(), leg.legend_handles, strict=True):
            out[t.get_text()] = h
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ringed_households_have_a_legend_entry(lang: str) -> None:
    lyr = sample_layers(60, block=4, exceptions=1)
    assert (lyr["households"]["unit_status"] == "exception").any()
    entries = _legend(lyr, lang)
    ring = text("print.exception_households", lang)
    assert ring in entries, sorted(entries)
    h = entries[ring]
    assert h.get_markeredgecolor() == EXCEPTION_COLOUR and h.get_marker() == "o"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_ring_entry_without_ringed_households(lang: str) -> None:
    lyr = sample_layers(60, block=4, exceptions=0)
    lyr["households"]["unit_status"] = "ok"
    assert text("print.exception_households", lang) not in _legend(lyr, lang)
