"""The print map's label grid made quicker must place every label where testing every box does: ``BoxGrid`` now files
boxes in cells as wide and as tall as the largest label (they were squares of its width) and tests each candidate
against the boxes of the cells it touches only (each candidate's list was padded to the fullest cell any candidate
of the label met), and ``first_free`` tests all of a label's candidates at once. The reference here is the plain
greedy placing of :func:`yuanluo.maps.static.free_boxes`, every candidate against every box."""

from __future__ import annotations

import numpy as np
import pytest

from yuanluo.maps import static


def _plain(wh: np.ndarray, anchors: np.ndarray, frame: tuple[float, float, float, float], avoid: np.ndarray,
           rings: int) -> np.ndarray:
    """Each label in turn at the first candidate inside the frame that overlaps no box placed or avoided."""
    out = np.full((len(wh), 2), np.nan)
    placed = avoid.copy()
    for i, ((w, h), a) in enumerate(zip(wh, anchors, strict=True)):
        c = static._candidates(w, h, rings) + a
        bx = np.c_[c[:, 0] - w / 2, c[:, 1] - h / 2, c[:, 0] + w / 2, c[:, 1] + h / 2]
        ok = np.flatnonzero(static.free_boxes(bx, frame, placed))
        if len(ok):
            out[i] = c[ok[0]]
            placed = np.vstack([placed, bx[ok[0]]])
    return out


def _town(seed: int, whole: bool) -> tuple[np.ndarray, np.ndarray, tuple[float, float, float, float], np.ndarray]:
    """Wide labels (20-70 x 6-14 px) over a sheet with a crowded village core (300 meeting-point boxes in one
    corner), a few large boxes, some reaching out of the frame; ``whole``: every edge on a whole pixel, so that
    boxes touch edge to edge (touching is no overlap)."""
    rng = np.random.default_rng(seed)
    wh = np.c_[rng.uniform(20, 70, 260), rng.uniform(6, 14, 260)]
    anchors = np.r_[rng.uniform(15, 110, (80, 2)), rng.uniform(0, 420, (180, 2)) * [1.0, 0.75]]
    dots = rng.uniform(20, 100, (300, 2))
    big = rng.uniform(-30, 420, (12, 2))
    avoid = np.r_[np.c_[dots - 3.5, dots + 3.5], np.c_[big, big + rng.uniform(20, 120, (12, 2))]]
    if whole:
        wh, anchors, avoid = np.round(wh), np.round(anchors), np.round(avoid)
    return wh, anchors, (0.0, 0.0, 420.0, 315.0), avoid


@pytest.mark.parametrize(("seed", "whole"), [(0, False), (1, False), (2, True), (3, True)])
def test_every_label_goes_where_testing_every_box_puts_it(seed: int, whole: bool) -> None:
    wh, anchors, frame, avoid = _town(seed, whole)
    want = _plain(wh, anchors, frame, avoid, rings=6)
    got = static.place_labels(wh, anchors, frame, avoid, rings=6)
    placed = ~np.isnan(want[:, 0])
    assert 0.2 * len(wh) < placed.sum() < len(wh)  # the core is crowded: some labels find no place
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("whole", [False, True])
def test_a_grid_of_label_shaped_cells_answers_as_every_box_tried(whole: bool) -> None:
    """``BoxGrid`` given the largest width and height asked about: its cells take the labels' shape, and each answer
    is that of :func:`free_boxes` against every box filed (candidates beside the crowded core, and boxes filed after
    the grid was made)."""
    wh, anchors, frame, avoid = _town(4, whole)
    grid = static.BoxGrid(frame, wh.max(axis=0), avoid)
    assert grid.cell[0] > 3 * grid.cell[1]  # as wide and as tall as a label, not a square of its width
    filed = avoid.copy()
    for (w, h), a in zip(wh, anchors, strict=True):
        c = static._candidates(w, h, 6) + a
        bx = np.c_[c[:, 0] - w / 2, c[:, 1] - h / 2, c[:, 0] + w / 2, c[:, 1] + h / 2]
        free = static.free_boxes(bx, frame, filed)
        first = int(np.flatnonzero(free)[0]) if free.any() else -1
        assert grid.first_free(bx) == first
        inside = (bx[:, 0] >= 0) & (bx[:, 1] >= 0) & (bx[:, 2] <= frame[2]) & (bx[:, 3] <= frame[3])
        np.testing.assert_array_equal(grid._free(bx[inside]), free[inside])
        if first >= 0:
            grid.add(bx[first:first + 1])
            filed = np.vstack([filed, bx[first]])
    assert len(filed) > len(avoid) + 50
