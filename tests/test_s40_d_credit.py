"""Session 40 (helper D): the demo's maps carry OpenStreetMap's credit (ODbL) from its run record, but a planner
delineating other OSM data (``yuanluo delineate andorra.gpkg``) had no way to give one: its maps carried none.
``--credit TEXT`` on the commands that draw maps (delineate, map, cover, check --map): the HTML map's attribution
line, escaped; the run record of delineate and cover, so that later commands carry it; OpenStreetMap's credit on
the print maps when the text names OpenStreetMap."""

from __future__ import annotations

import re
from pathlib import Path

import pyogrio
import pytest
from shared_fixtures import run_cli

from yuanluo.gis.synth import make_village

HOSTILE = '© OpenStreetMap contributors (ODbL) <img src=x onerror=alert(1)> & "q"'
ESCAPED = ("© OpenStreetMap contributors (ODbL) \\u0026lt;img src=x onerror=alert(1)\\u0026gt; \\u0026amp; "
           "\\u0026quot;q\\u0026quot;")


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("v")
    make_village(60, seed=3).write(d)
    return d / "households.gpkg"


def _credit_in_page(page: Path) -> list[str]:
    """The credit texts the page hands to its attribution line (credit.js's JSON ``html``)."""
    return re.findall(r'var C = \{"html":\s*"([^"]*)"\}', page.read_text(encoding="utf-8"))


def _recorded(gpkg: Path) -> list[str]:
    run = pyogrio.read_dataframe(gpkg, layer="run")
    return run.loc[run["key"] == "params.data_credit", "value"].tolist()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_delineate_credit_goes_into_its_map_and_run_and_on_to_later_maps(village: Path, tmp_path: Path,
                                                                          lang: str) -> None:
    out, page = tmp_path / "u.gpkg", tmp_path / "u.html"
    run_cli(["--lang", lang, "delineate", str(village), "--preset", "banan", "-o", str(out), "--map", str(page),
             "--credit", HOSTILE, "-q"], lang)
    assert _credit_in_page(page) == [ESCAPED]
    assert "<img src=x" not in page.read_text(encoding="utf-8")
    assert _recorded(out) == [HOSTILE]
    # later commands carry the recorded credit without being told
    run_cli(["--lang", lang, "map", str(out), "-o", str(tmp_path / "m.html"), "-q"], lang)
    run_cli(["--lang", lang, "check", str(out), "--map", str(tmp_path / "c.html"), "-q"], lang)
    run_cli(["--lang", lang, "cover", str(out), "-o", str(tmp_path / "cv.gpkg"), "--map", str(tmp_path / "cv.html"),
             "-q"], lang)
    for name in ("m.html", "c.html", "cv.html"):
        assert _credit_in_page(tmp_path / name) == [ESCAPED], name
    assert _recorded(tmp_path / "cv.gpkg") == [HOSTILE]


def test_map_credit_replaces_or_drops_the_recorded_one(village: Path, tmp_path: Path) -> None:
    out = tmp_path / "u.gpkg"
    run_cli(["delineate", str(village), "--preset", "banan", "-o", str(out), "--credit", "© OpenStreetMap", "-q"])
    run_cli(["map", str(out), "-o", str(tmp_path / "a.html"), "--credit", " 某测绘院\n2025 ", "-q"])
    assert _credit_in_page(tmp_path / "a.html") == ["某测绘院 2025"]
    run_cli(["map", str(out), "-o", str(tmp_path / "b.html"), "--credit", "", "-q"])
    assert _credit_in_page(tmp_path / "b.html") == []


@pytest.mark.parametrize(("credit", "drawn"), [(None, False), ("© OpenStreetMap contributors", "© OpenStreetMap contributors"),
                                              ("某测绘院", "某测绘院")])
def test_the_print_map_carries_osm_attribution_of_a_credit_given_to_map(village: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         credit: str | None, drawn: object) -> None:
    """A result delineated without a credit: the credit given to map on its print map, OpenStreetMap's as given
    (session 41: it was the catalogue's words)."""
    from yuanluo.maps import static

    out = tmp_path / "u.gpkg"
    run_cli(["delineate", str(village), "--preset", "banan", "-o", str(out), "-q"])
    assert _recorded(out) == []
    calls: list[object] = []
    monkeypatch.setattr(static, "draw_credit", lambda fig, lang, credit, *a: calls.append(credit))
    run_cli(["map", str(out), "-o", str(tmp_path / "m.png"), *(["--credit", credit] if credit else []), "-q"])
    assert calls == [drawn]
