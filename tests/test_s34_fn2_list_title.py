"""The per-unit sheet's household list title stays within the A4 page's margins when it names several long
columns (left out as personal data, or beyond the extra columns' limit): wrapped on at most two lines, the
columns that do not fit counted, the list below it moved down (session 34, audit BE: the title ran to
x = 599.8 pt on a 595.3 pt page)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from shared_fixtures import sheet_figures

from yuanluo.gis.catalogue import text
from yuanluo.maps import static_units as SU
from yuanluo.maps.sample import sample_layers

NAMES = [f"第{i}项年度入户走访统计次数合计" for i in range(5)]
PAGE_W = 595.28
MARGIN = 0.06 * PAGE_W
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def _layers(long_names: list[str]) -> dict[str, Any]:
    lyr = sample_layers(60, block=4)
    for n in long_names:
        lyr["households"][n] = 3
    return lyr


def _words(pdf: bytes, tmp: Path) -> list[tuple[float, float, float, float, str]]:
    f = tmp / "pu.pdf"
    f.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(f), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(out)]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("names", [NAMES, [f"{n}{n}" for n in NAMES * 3]], ids=["five", "fifteen-longer"])
def test_title_within_margins(tmp_path: Path, lang: str, names: list[str]) -> None:
    pdf = SU.render_unit_sheets(_layers(names), lang=lang, dpi=60, units=["U001"], fields=names)
    words = _words(pdf, tmp_path)
    assert words
    assert max(w[2] for w in words) <= PAGE_W - MARGIN + 1, max(words, key=lambda w: w[2])
    assert min(w[0] for w in words) >= MARGIN - 1
    assert pdf == SU.render_unit_sheets(_layers(names), lang=lang, dpi=60, units=["U001"], fields=names)


def _texts(monkeypatch: pytest.MonkeyPatch, lyr: dict[str, Any], lang: str, **kw: Any) -> list[Any]:
    return [(f, t) for f in sheet_figures(monkeypatch, lyr, lang, 60, **kw)[:1] for t in f.texts]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_long_title_is_two_lines_counted_and_the_list_below(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    names = [f"{n}{n}" for n in NAMES * 3]
    pairs = _texts(monkeypatch, _layers(names), lang, fields=names)
    start = text("print.household_list", lang, n=0).split("0")[0]
    fig, head = next((f, t) for f, t in pairs if t.get_text().startswith(start))
    s = head.get_text()
    assert s.count("\n") == 1, s  # two lines
    assert text("print.list_more_columns", lang, count=0).split("0")[0] in s  # the rest counted
    assert text("print.list_not_shown", lang, n=SU.MAX_EXTRA, columns="").strip() in s  # not personal data
    assert text("print.list_left_out", lang, columns="").strip() not in s
    r = SU._renderer(fig)
    box = head.get_window_extent(r)
    assert box.x1 <= 0.94 * fig.bbox.width + 1
    # no other text (the list's columns below, the facts above) overlaps the title
    for t in (t for f, t in pairs if t is not head and t.get_text().strip()):
        b = t.get_window_extent(r)
        apart = b.y1 <= box.y0 + 0.5 or b.y0 >= box.y1 - 0.5 or b.x1 <= box.x0 or b.x0 >= box.x1
        assert apart, (t.get_text()[:40], s)
