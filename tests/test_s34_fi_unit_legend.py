"""The per-unit sheets (院落长工作单) say what their map draws (session 34, audit #2).

The unit's own area and the neighbouring units' areas had no legend entry, and the own area's blue-grey was
read as the legend's blue 水面 (water). Both areas now have an entry, and the own area is a pale sand.
"""

from __future__ import annotations

from typing import Any

import pytest
from matplotlib import rc_context

from yuanluo.gis.catalogue import text
from yuanluo.maps import static_units as SU
from yuanluo.maps.interactive import _check_layers
from yuanluo.maps.sample import sample_layers
from yuanluo.maps.static import font_rc, visible_layers


def _first_page(lyr: dict[str, Any], unit: str, lang: str) -> Any:
    with rc_context(font_rc()):
        fig = SU._pages(visible_layers(_check_layers(lyr)), unit, lang, 50)[0]
        fig.canvas.draw()
    return fig


def _legend(fig: Any) -> list[str]:
    return [t.get_text() for leg in fig.legends for t in leg.get_texts()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_unit_and_its_neighbours_areas_have_legend_entries(lang: str) -> None:
    fig = _first_page(sample_layers(60, block=4), "U001", lang)
    entries = _legend(fig)
    assert text("print.unit_area", lang) in entries and text("print.other_unit_areas", lang) in entries, entries
    own = next(h for leg in fig.legends for h, t in zip(leg.legend_handles, leg.get_texts(), strict=True)
               if t.get_text() == text("print.unit_area", lang))
    from matplotlib.colors import to_hex

    assert to_hex(own.get_facecolor(), keep_alpha=False) == SU.UNIT_AREA_COLOUR
    assert SU.UNIT_AREA_COLOUR != SU.UNIT_COLOUR  # the area is no longer blue like the water
    # the legend stays above the facts under it
    from yuanluo.maps.static import _renderer

    r = _renderer(fig)
    leg_bottom = min(leg.get_window_extent(r).y0 for leg in fig.legends)
    facts = [t for t in fig.texts if t.get_text().startswith(text("print.walk", lang, mean="", max="")[:3])
             or "\n" in t.get_text()]
    assert facts and all(t.get_window_extent(r).y1 <= leg_bottom + 0.5 for t in facts)
