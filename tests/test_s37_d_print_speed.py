"""Drawing a town's print map made cheaper without changing a pixel: the labels are measured on one text given each
string in turn (a text was made and removed for each)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib import rc_context
from matplotlib.figure import Figure

from yuanluo.maps import static

TEXTS = [("U0001 25户", 6.0), ("U0001", 4.5), ("1321", 5.2), ("巴南区二圣镇集体村第三村民小组第一院落 · 48户", 9.0),
         ("Courtyard U12 · 7 households", 7.0), ("", 6.0), ("U0001 25户", 6.0), ("塆 磜 堉", 8.0)]


def _one_text_each(ax: object, renderer: object, s: str, fontsize: float) -> tuple[float, float]:
    """The measuring as it was: a text made, measured and removed for each string."""
    t = ax.text(0, 0, s, fontsize=fontsize, ha="center", va="center")  # type: ignore[attr-defined]
    bb = t.get_window_extent(renderer)
    t.remove()
    return (bb.width, bb.height)


@pytest.mark.parametrize("dpi", [60, 150])
def test_labels_measured_on_one_text_have_the_sizes_of_a_text_each(dpi: int) -> None:
    with rc_context(static.font_rc()):
        fig = Figure(figsize=(11.7, 8.3), dpi=dpi)
        ax = static.map_frame(fig, static.FRAME)
        r = static._renderer(fig)
        want = np.array([_one_text_each(ax, r, s, f) for s, f in TEXTS])
        got = static._texts_wh(ax, r, TEXTS)
        assert not ax.texts  # the measuring text is gone
    np.testing.assert_array_equal(got, want)
    assert want[0, 0] > want[1, 0] > 0 and want[5, 0] == 0  # the sizes differ: the texts were measured each
    assert static._texts_wh(ax, r, []).shape == (0, 2)
