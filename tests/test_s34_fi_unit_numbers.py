"""The per-unit sheets (院落长工作单) show every household (session 34, audit #5).

A unit of one household whose meeting point is that household: the triangle covered the only dot and its
number was left off as "图上未标序号（位置过密）：1". The unit's dots are now drawn above the markers, and a dot under
a marker is numbered just clear of the marker.
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


def _one_household_unit() -> dict[str, Any]:
    lyr = sample_layers(60, block=4)
    hh = lyr["households"]
    meet = str(lyr["meeting_points"].set_index("unit_id").loc["U001", "hid"])
    others = (hh["unit_id"] == "U001") & (hh.index.astype(str) != meet)
    hh.loc[others, "unit_id"] = "U002"
    assert (hh["unit_id"] == "U001").sum() == 1
    return lyr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_only_household_at_the_meeting_point_is_seen_and_numbered(lang: str) -> None:
    fig = _first_page(_one_household_unit(), "U001", lang)
    ax = fig.axes[0]
    triangles = [c for c in ax.collections if c.get_zorder() == 7]
    assert triangles
    dots = [c for c in ax.collections if len(c.get_offsets()) == 1 and c.get_zorder() > 7]
    assert dots, "the unit's dot is drawn under the meeting point's triangle"
    assert [t.get_text() for t in ax.texts if t.get_text() == "1"] == ["1"]
    note = text("print.unnumbered", lang, numbers="1").split("1")[0]
    assert not any(note in t.get_text() for t in fig.texts)
