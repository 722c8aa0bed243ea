"""The rescue's exact search (the contiguity MILP) is bounded by work and stops at once on Ctrl-C / SIGTERM.

A narrow band (20-21 persons) made one rescue MILP on a 198-node region run for more than 10 minutes in HiGHS's
root node (its node limit does not bound that), and SIGTERM went unheard for minutes while HiGHS held the main
thread in native code.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from typing import Any

import numpy as np
import pytest

import yuanluo.gis.delineate.rescue as rescue_mod
from yuanluo.gis.delineate.problem import NodeGraph, Settings

# the region of the fuzz case (400 households, band 20-21 persons): persons per node, then the edges
HARD_W = (
    "1343351215222343141113221112526623425222323213144112636155443125432214322212413154236323341252124231"
    "15142233412562122352212123261222222235311552221121224314222563222263554433252461153251231423222331"
)
HARD_EDGES = (
    "0,1 0,2 0,4 0,9 0,20 1,9 1,14 1,20 2,3 2,4 2,5 2,6 2,8 2,20 2,27 3,4 3,6 3,7 3,10 4,9 4,10 5,6 5,8 5,11 6,7 "
    "6,11 7,10 7,11 8,11 8,12 8,24 8,27 9,10 9,13 10,11 10,13 11,12 11,13 12,13 14,15 14,17 14,18 14,20 14,24 "
    "15,16 15,17 15,20 16,17 16,20 17,18 17,20 17,21 18,19 18,21 18,22 18,24 19,22 19,24 19,25 20,21 20,23 20,26 "
    "20,27 21,22 21,23 21,25 22,25 23,25 23,26 24,25 24,27 25,26 25,27 26,27 28,30 28,146 29,30 29,150 30,146 "
    "30,147 30,148 30,150 31,32 31,33 31,35 31,55 31,56 32,33 32,56 32,58 33,34 33,35 33,36 33,38 33,58 34,38 "
    "34,56 34,58 34,62 34,63 35,36 35,37 36,37 36,38 36,39 36,40 37,40 37,42 37,48 38,39 38,45 38,64 38,65 39,40 "
    "39,41 39,45 40,41 40,42 40,43 40,44 41,44 41,45 41,46 41,47 42,43 42,48 43,44 43,48 44,47 44,48 45,46 46,47 "
    "46,49 46,50 47,48 47,49 47,50 48,50 49,50 51,52 51,54 51,100 51,104 51,114 52,53 52,54 52,100 52,134 53,100 "
    "53,134 53,146 54,114 54,134 55,56 55,57 55,60 56,57 56,58 56,59 56,62 57,59 57,60 57,61 59,61 59,62 60,61 "
    "61,62 61,63 62,63 64,65 64,66 64,68 64,69 64,70 65,66 65,67 65,68 66,68 67,68 67,70 67,79 67,80 67,113 68,70 "
    "69,70 69,71 69,72 69,73 69,74 70,73 70,75 70,80 71,72 71,85 72,74 72,76 72,85 73,74 73,75 73,76 73,78 74,76 "
    "75,77 75,78 75,80 76,78 76,81 76,85 77,78 77,80 77,81 77,82 78,81 79,80 79,84 79,86 79,88 79,91 79,95 79,113 "
    "79,175 80,82 80,83 80,84 81,82 81,85 82,83 82,85 83,84 83,85 84,85 84,175 85,175 86,87 86,88 86,113 86,121 "
    "86,130 86,131 86,133 87,88 87,89 87,90 87,131 87,133 87,142 88,89 88,91 88,92 88,133 89,90 89,92 89,93 90,93 "
    "90,94 90,96 90,142 91,92 91,95 91,97 91,98 92,93 92,94 92,98 93,94 94,96 94,98 94,99 95,97 95,175 96,99 "
    "96,142 96,145 96,192 97,98 97,174 97,175 98,99 98,174 99,159 99,172 99,174 99,192 100,101 100,104 101,102 "
    "101,103 101,104 101,105 102,103 102,106 102,111 103,105 103,106 103,107 103,109 104,105 104,108 104,114 "
    "105,107 105,108 106,109 106,110 106,111 107,108 107,109 107,112 108,112 108,114 108,117 109,110 109,112 "
    "109,115 109,119 110,111 110,115 111,113 111,115 111,116 112,117 112,119 113,116 113,121 114,117 114,124 "
    "114,134 114,136 114,154 115,116 115,118 115,119 115,120 116,118 116,121 117,119 117,122 117,124 118,120 "
    "118,121 118,127 119,120 119,122 119,123 120,123 120,127 120,128 121,127 121,130 122,123 122,124 122,125 "
    "122,126 123,126 123,128 124,125 124,132 124,136 125,126 125,129 125,132 125,135 126,128 126,135 127,128 "
    "127,130 128,129 128,130 128,131 128,135 129,131 129,132 129,135 129,142 130,131 131,142 132,136 132,138 "
    "132,142 134,146 134,147 134,149 134,153 134,154 134,155 136,137 136,138 136,154 137,138 137,139 137,140 "
    "137,154 138,139 138,142 138,196 139,140 141,143 141,144 141,196 141,197 142,145 142,196 142,197 143,144 "
    "144,145 144,197 145,190 145,191 145,192 145,197 146,147 147,148 147,149 148,149 148,150 148,151 149,151 "
    "149,153 149,156 150,151 150,152 151,152 151,156 153,155 153,156 154,155 157,158 157,170 157,189 158,175 "
    "158,189 159,161 159,172 159,173 159,174 160,161 160,172 160,173 160,176 160,177 161,173 161,174 161,177 "
    "161,178 162,176 162,177 162,178 162,181 162,183 163,164 163,178 163,180 163,181 163,185 163,186 163,187 "
    "164,166 164,169 164,185 164,187 164,188 165,166 165,168 165,186 165,188 166,168 166,169 166,188 167,168 "
    "167,170 167,186 167,189 168,170 168,186 170,171 170,189 172,173 172,176 172,192 172,195 174,175 174,178 "
    "174,179 174,180 175,179 175,189 176,177 176,183 176,184 176,195 177,178 178,180 178,181 179,180 179,182 "
    "179,189 180,182 180,186 181,183 181,185 182,186 182,189 183,185 186,187 186,188 186,189 187,188 190,191 "
    "191,192 191,193 192,193 192,194 192,195 193,194 194,195 196,197 13,35 "
)


def _hard() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    w = np.array([int(c) for c in HARD_W])
    e = np.array([[int(x) for x in p.split(",")] for p in HARD_EDGES.split()])
    return w, e[:, 0], e[:, 1]


def test_hard_region_data() -> None:
    w, u, v = _hard()
    assert len(w) == 198 and len(u) == 516 and int(w.sum()) == 538
    assert int(u.max()) < 198 and int(v.max()) < 198


SCRIPT = textwrap.dedent("""
    import os, signal, sys, threading, time
    import numpy as np
    # Ctrl-C raises KeyboardInterrupt, as in any terminal: a process started in the background by a shell without
    # job control inherits SIGINT ignored, and Python then leaves it ignored (the search would never hear it)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from yuanluo.planners.console import sigterm_as_interrupt
    sys.path.insert(0, {here!r})
    from test_s32_fj_rescue_bound import _hard
    from yuanluo.gis.delineate.rescue import band_partition_milp
    w, u, v = _hard()
    sig = getattr(signal, {sig!r})
    sent = []
    def send():
        sent.append(time.monotonic())
        os.kill(os.getpid(), sig)
    threading.Timer(1.5, send).start()
    try:
        with sigterm_as_interrupt():
            band_partition_milp(w, u, v, 20, 21, node_limit=2000)
        print("finished")
    except KeyboardInterrupt as exc:
        print("stopped", type(exc).__name__, round(time.monotonic() - sent[0], 2), flush=True)
        sys.exit(130)
""")


def _interrupted(sig: str) -> tuple[str, float]:
    from pathlib import Path

    code = SCRIPT.format(here=str(Path(__file__).parent), sig=sig)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t = time.monotonic()
    try:
        out, err = proc.communicate(timeout=40)
    except subprocess.TimeoutExpired:
        proc.kill()  # the old code: the search holds the main thread, the signal waits for it
        proc.communicate()
        return "still running 40 s after the start", time.monotonic() - t
    return out.strip() + err.strip()[-300:], time.monotonic() - t


def test_sigint_stops_the_search_at_once() -> None:
    out, took = _interrupted("SIGINT")
    assert out.startswith("stopped KeyboardInterrupt"), out
    assert float(out.split()[2]) < 2.0, out  # stopped within 2 s of the signal (the search alone: > 10 min)


def test_sigterm_stops_the_search_at_once() -> None:
    out, took = _interrupted("SIGTERM")
    assert out.startswith("stopped Terminated"), out
    assert float(out.split()[2]) < 2.0, out


def _stars(k: int, leaves: int) -> tuple[NodeGraph, np.ndarray]:
    """``k`` stars of a centre and ``leaves`` leaves, one person each: no split into parts of 2 exists."""
    n = leaves + 1
    u = np.concatenate([np.full(leaves, j * n) for j in range(k)])
    v = np.concatenate([j * n + np.arange(1, n) for j in range(k)])
    g = NodeGraph.build(np.ones(k * n), u, v, np.ones(len(u)))
    return g, np.repeat(np.arange(k), n)


def _calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = rescue_mod.band_partition_milp

    def counting(w: np.ndarray, *a: Any, **k: Any) -> Any:
        calls.append(len(w))
        return real(w, *a, **k)

    monkeypatch.setattr(rescue_mod, "band_partition_milp", counting)
    return calls


def test_the_exact_search_takes_small_regions_only(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _calls(monkeypatch)
    g, lab = _stars(1, 49)  # feasible by size (an even number of people), not by contiguity
    out = rescue_mod.rescue(g, Settings(lo=2, hi=2, target=2.0), lab, [0], np.random.default_rng(0))
    assert calls == []  # was one search of all 50 nodes (of up to 200)
    assert out.failed == [0] and out.proven == []  # an exception unit, not proven unsplittable
    g, lab = _stars(1, 39)  # 40 nodes: RESCUE_MILP_N
    out = rescue_mod.rescue(g, Settings(lo=2, hi=2, target=2.0), lab, [0], np.random.default_rng(0))
    assert calls == [40] and out.failed == [0] and out.proven == [0]


def test_the_exact_searches_of_one_rescue_have_a_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _calls(monkeypatch)
    g, lab = _stars(9, 29)  # nine components of 30 nodes: all would be searched before
    out = rescue_mod.rescue(g, Settings(lo=2, hi=2, target=2.0), lab, list(range(9)), np.random.default_rng(0))
    k = 200 // 30  # RESCUE_MILP_WORK nodes: six searches
    assert calls == [30] * k
    assert out.failed == list(range(9)) and out.proven == list(range(k))  # in the order of their first node
    # the same again: the same searches, the same verdicts
    again = rescue_mod.rescue(g, Settings(lo=2, hi=2, target=2.0), lab, list(range(9)), np.random.default_rng(0))
    assert again.proven == out.proven and (again.labels == out.labels).all()
