"""Two costs of drawing a town's print map made smaller without changing a pixel: the labels are measured on one text
given each string in turn (a text was made and removed for each), and Python's cyclic garbage collector is kept off
while a sheet is drawn (each full collection walked the tens of thousands of matplotlib objects and the whole heap),
then put back as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator

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


@pytest.fixture(params=[True, False], ids=["collector-on", "collector-off"])
def collector(request: pytest.FixtureRequest) -> Iterator[bool]:
    was = gc.isenabled()
    (gc.enable if request.param else gc.disable)()
    try:
        yield bool(request.param)
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("pages", [1, 2])
@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_the_collector_is_off_while_a_sheet_is_drawn_and_as_it_was_after(collector: bool, pages: int,
                                                                         fmt: str) -> None:
    seen: list[bool] = []

    def draw() -> list[Figure]:
        seen.append(gc.isenabled())
        figs = [Figure(figsize=(2, 1), dpi=40) for _ in range(pages)]
        for k, fig in enumerate(figs):
            fig.text(0.1, 0.5, f"page {k + 1}")
        return figs

    b = static.pages_bytes(draw, {}, fmt=fmt, dpi=40, software="test")
    assert b[:4] in (b"\x89PNG", b"%PDF")
    assert seen == [False]
    assert gc.isenabled() is collector
    got = static.figure_bytes(lambda: draw()[0], {}, fmt=fmt, dpi=40, software="test")
    assert got[:4] in (b"\x89PNG", b"%PDF") and seen == [False, False]
    assert gc.isenabled() is collector


def test_the_collector_is_put_back_when_drawing_fails() -> None:
    assert gc.isenabled()

    def draw() -> list[Figure]:
        raise RuntimeError("drawing failed")

    with pytest.raises(RuntimeError, match="drawing failed"):
        static.pages_bytes(draw, {}, fmt="png", dpi=40, software="test")
    assert gc.isenabled()
