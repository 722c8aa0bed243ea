"""Test data and helpers that several test files build alike, kept once here: a chain of households 100 m apart
with given columns (the two-town frames), a town roster CSV, the walking-limit village and its check maps under a
stricter band, the row of 12 households in two groups that repair mends, a synthetic village delineated in its own
folder, the 6-household cover network and its coded-error check,
the QGIS opening of an XLSX, the per-unit sheets' figures and the words of a PDF with their boxes, the
households and water layer of a .prj with the Gauss-Krüger zone prefix over eastings without it, and the editor
page's search for a unit whose meeting household has a neighbour in another unit."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from html import unescape
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

CRS = "EPSG:4545"


# ------------------------------------------------------------------------------------------------ households
def chain(**cols: Sequence[Any]) -> tuple[gpd.GeoDataFrame, Any]:
    """A chain of households 100 m apart (ids 000, 001, …) with the given columns, and its graph."""
    from yuanluo.gis.graph import TerrainGraph

    n = len(next(iter(cols.values())))
    ids = [f"{i:03d}" for i in range(n)]
    xy = np.c_[np.arange(n) * 100.0, np.zeros(n)]
    hh = gpd.GeoDataFrame({k: pd.Series(v, index=ids, dtype=object) for k, v in cols.items()},
                          index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*xy.T), crs=CRS)
    return hh, TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(n - 1)], crs=CRS)


TOWN_HEAD = "户编号,乡镇,行政村,村民小组,经度,纬度\n"


def roster_csv(tmp_path: Path, head: str, rows: Sequence[str]) -> Path:
    """``hh.csv``: ``head``, then each row's cells after an id 000001, 000002, … and before its longitude and
    latitude (households 1e-4° apart along 29.77°N)."""
    p = tmp_path / "hh.csv"
    p.write_text(head + "".join(f"{i:06d},{r},{108.38 + i * 1e-4:.6f},29.77\n" for i, r in enumerate(rows, 1)),
                 encoding="utf-8")
    return p


def read_towns(tmp_path: Path, rows: Sequence[tuple[str, str, str]]) -> Any:
    """``read_households`` of a roster of (town, village, group) rows (:data:`TOWN_HEAD`)."""
    from yuanluo.gis.io import read_households

    return read_households(roster_csv(tmp_path, TOWN_HEAD, [",".join(r) for r in rows]), crs="EPSG:4490")


def two_group_row(tmp_path: Path) -> Path:
    """``hh.csv``: 12 households H00–H11 about 40 m apart in a row, H00–H05 of 一组 and the rest of 二组, H01 and
    H09 党员, column 方案 putting H00–H06 in unit A (household H06, of 二组, typed into A) and the rest in B."""
    rows = ["户编号,经度,纬度,村民小组,党员,方案"]
    for i in range(12):
        unit = "A" if i <= 6 else "B"  # household 6 belongs to 二组 and to unit B
        rows.append(f"H{i:02d},{106.55 + 0.0004 * i:.6f},29.560000,{'一组' if i < 6 else '二组'},"
                    f"{'是' if i in (1, 9) else '否'},{unit}")
    hh = tmp_path / "hh.csv"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return hh


def delineate_village(folder: Path, args: Sequence[str], env: dict[str, str] | None = None) -> None:
    """The synthetic village of 60 households (seed 3) written into ``folder`` and delineated there by ``yuanluo
    delineate households.gpkg *args`` run in that folder (the paths it records relative to it)."""
    from typer.testing import CliRunner

    from yuanluo.gis.synth import make_village
    from yuanluo.planners.cli import app

    make_village(60, seed=3).write(folder)
    here = Path.cwd()
    os.chdir(folder)
    try:
        res = CliRunner().invoke(app, ["delineate", "households.gpkg", *args], env=env)
    finally:
        os.chdir(here)
    assert res.exit_code == 0, res.output


#: a copy of :func:`walk_limit_village`'s folder as first made in this process (each pytest-xdist worker its own),
#: which no test writes in; removed when the process ends
_WALK_LIMIT_VILLAGE: list[Path] = []


def walk_limit_village(folder: Path) -> Path:
    """:func:`delineate_village` with a band of 5-12 and a walking limit of 1.5 minutes (``rules.toml``, ``-o
    r.gpkg``): two HEAD-SHORT units naming their nearest candidate and a WALK-LIMIT unit, ``folder`` returned.

    Made once a process and then copied into ``folder`` (its files' times kept): the village and its delineation
    are the same bytes in any folder (the result records its paths relative to it, sha256 checked), and the suite
    asked for it 16 times from 11 test files, each 5-8 s of delineation."""
    if not _WALK_LIMIT_VILLAGE:
        import atexit
        import tempfile

        made = Path(tempfile.mkdtemp(prefix="yl-walk-village-")) / "village"
        made.mkdir()
        (made / "rules.toml").write_text("min_size = 5\nmax_size = 12\nmax_walk_min = 1.5\n", encoding="utf-8")
        delineate_village(made, ["--rules", "rules.toml", "-o", "r.gpkg", "-q"])
        atexit.register(shutil.rmtree, made.parent, True)
        _WALK_LIMIT_VILLAGE.append(made)
    shutil.copytree(_WALK_LIMIT_VILLAGE[0], folder, dirs_exist_ok=True)
    return folder


def walk_limit_maps(folder: Path) -> Path:
    """:func:`walk_limit_village` in ``folder`` with its field maps ``m_zh.html`` and ``m_en.html``; ``folder``
    returned."""
    from yuanluo.maps.interactive import make_map, render_html
    from yuanluo.planners.workflows import map_layers, read_result

    v = walk_limit_village(folder)
    for lang in ("zh", "en"):
        (v / f"m_{lang}.html").write_text(
            render_html(make_map(map_layers(read_result(v / "r.gpkg")[0]), lang=lang)), encoding="utf-8")
    return v


def strict_check_maps(folder: Path) -> Path:
    """:func:`walk_limit_village` in ``folder`` checked under a band of 7-12 with its 1.5-minute limit
    (``strict.toml``): the check maps ``cm_zh.html`` and ``cm_en.html`` of a plan in violation (units below the band
    and without a candidate head: SIZE-LOW, PLAN-NO-HEAD, with the walk's WALK-EXCEPTION beside them); ``folder``
    returned."""
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    v = walk_limit_village(folder)
    (v / "strict.toml").write_text("min_size = 7\nmax_size = 12\nmax_walk_min = 1.5\n", encoding="utf-8")
    for lang in ("zh", "en"):
        res = CliRunner().invoke(app, ["check", str(v / "r.gpkg"), "--rules", str(v / "strict.toml"), "--map",
                                       str(v / f"cm_{lang}.html"), "--lang", lang, "-q"])
        assert res.exit_code == 1 and (v / f"cm_{lang}.html").is_file(), res.output
    return v


def walk_far_street() -> tuple[gpd.GeoDataFrame, pd.Series, Any]:
    """Twelve households on a line in groups A (4) and B (8), labelled three units of 4 (U1-U3), band 2-6,
    candidate heads required, nested by group, a 3-minute walking limit: H05 of group A lies 260 m past its group,
    next to group B (session 61's repair waiver and the check's group-wise remote proof)."""
    from yuanluo.gis.rules import Rules

    xs = [0, 60, 120, 380, 480, 540, 600, 660, 720, 780, 840, 900]
    ids = ["H01", "H02", "H03", "H05", "H06", "H07", "H08", "H09", "H10", "H11", "H12", "H13"]
    head = [True, True, False, False, False, False, False, False, False, True, True, False]
    hh = gpd.GeoDataFrame({"group": ["A"] * 4 + ["B"] * 8, "head_candidate": head},
                          geometry=gpd.points_from_xy([500000 + x for x in xs], [3265000] * len(xs)),
                          index=pd.Index(ids, name="hid"), crs="EPSG:4545")
    labels = pd.Series(["U1"] * 4 + ["U2"] * 4 + ["U3"] * 4, index=hh.index)
    rules = Rules(2, 6, require_head=True, keep_settlements=False, nest_by=("group",), max_walk_min=3)
    return hh, labels, rules


def flat(text: str) -> str:
    """The console output without spaces, line breaks and table borders (a cell wraps anywhere)."""
    return "".join(c for c in text if not c.isspace() and c not in "│┃")


# ------------------------------------------------------------------------------------------------ cover
def line_network() -> Any:
    """The service network of 6 households h0–h5 60 m apart in a line."""
    from yuanluo.gis.cover import service_network
    from yuanluo.gis.graph import TerrainGraph

    g = TerrainGraph.from_edges([f"h{i}" for i in range(6)], [[60 * i, 0] for i in range(6)],
                                [(i, i + 1) for i in range(5)], crs="EPSG:4545")
    return service_network(g)


def coded(fn: Callable[[], Any], code: str, *words: str) -> None:
    """``fn`` raises an InputError with just ``code``, whose English and Chinese messages name ``words`` and carry
    a fix."""
    from yuanluo.gis.errors import InputError

    with pytest.raises(InputError) as err:
        fn()
    assert err.value.codes == [code], err.value.codes
    p = err.value.problems[0]
    for lang in ("en", "zh"):
        msg = p.message(lang)
        for w in words:
            assert w in msg, (lang, w, msg)
        assert p.fix(lang), (code, lang)


# ------------------------------------------------------------------------------------------------ files read back
QGIS_PY = "/usr/bin/python3"
QGIS_SCRIPT = """
import sys
from qgis.core import QgsApplication, QgsVectorLayer
a = QgsApplication([], False); a.initQgis()
for s in sys.argv[2:]:
    lyr = QgsVectorLayer(sys.argv[1] + '|layername=' + s, 'x', 'ogr')
    print(lyr.isValid(), lyr.featureCount(), *(f.name() for f in lyr.fields()), sep='\\t')
"""


def has_qgis() -> bool:
    if not shutil.which(QGIS_PY):
        return False
    return subprocess.run([QGIS_PY, "-c", "import qgis.core"], capture_output=True).returncode == 0


needs_qgis = pytest.mark.skipif(not has_qgis(), reason="QGIS's Python is not installed")


def qgis_sheets(path: Path, sheets: Sequence[str]) -> tuple[list[list[str]], str]:
    """QGIS itself (the GDAL it is built against) opening each sheet of the workbook ``path``: per sheet its
    validity, feature count and field names as QGIS prints them ("True", "3", names…), and all it said."""
    res = subprocess.run([QGIS_PY, "-c", QGIS_SCRIPT, str(path), *sheets], capture_output=True,
                         text=True, timeout=120,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(path.parent)})
    got = [line.split("\t") for line in res.stdout.splitlines() if line.startswith(("True", "False"))]
    return got, res.stdout + res.stderr


def sheet_figures(monkeypatch: pytest.MonkeyPatch, lyr: dict[str, Any], lang: str, dpi: int,
                  **kw: Any) -> list[Any]:
    """The figures ``render_unit_sheets`` draws for unit U001 of ``lyr``."""
    from yuanluo.maps import static_units as SU

    figs: list[Any] = []
    pages = SU._pages

    def keep(*a: Any, **k: Any) -> Any:
        out = pages(*a, **k)
        figs.extend(out)
        return out

    monkeypatch.setattr(SU, "_pages", keep)
    SU.render_unit_sheets(lyr, lang=lang, dpi=dpi, units=["U001"], **kw)
    return figs


Word = tuple[float, float, float, float, str]
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[list[Word]]:
    """The words of each page of ``pdf`` with their boxes (points, y down), by ``pdftotext -bbox``."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "units.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [[(float(a), float(b), float(c), float(d), unescape(w)) for a, b, c, d, w in _WORD.findall(page)]
            for page in _PAGE.findall(out)]


# ------------------------------------------------------------------------------------------------ CRS
E0, N0 = 388000.0, 3296000.0  # CGCS2000 3° GK CM 105E (EPSG:4544), near 103.85°E 29.8°N


def prefixed_prj_case(tmp_path: Path) -> tuple[Path, Path, gpd.GeoDataFrame]:
    """``hh.csv`` of 4 households in EPSG:4544 eastings (X坐标, Y坐标), a folder ``w`` for a water layer, and a
    pond whose .prj is zone 35 with the prefix (EPSG:4523) over eastings without it."""
    hh = tmp_path / "hh.csv"
    hh.write_text("户编号,X坐标,Y坐标\n" + "".join(f"H{i},{E0 + 40 * i},{N0}\n" for i in range(4)), encoding="utf-8")
    folder = tmp_path / "w"
    folder.mkdir()
    g = gpd.GeoDataFrame({"DLBM": ["1104"], "DLMC": ["坑塘水面"]}, geometry=[box(E0 + 50, N0 - 30, E0 + 70, N0 + 30)],
                         crs="EPSG:4523")  # the .prj of zone 35 with the prefix; the eastings without it
    return hh, folder, g


# ------------------------------------------------------------------------------------------------ editor page
#: JavaScript for the editor page, with ``E`` (window.yuanluo.editor) in scope: the first unit of 4 households or
#: more whose meeting point is a household (not its centre) with a neighbour in another unit. ``u`` that unit,
#: ``mh`` its meeting household, ``other`` the neighbour's unit; all null where no unit has one. It holds no ``%``:
#: a script %-formatted afterwards may include it.
MOVABLE_MEETING_JS = r"""  var units = E.units(), u = null, mh = null, other = null;
  for (var j = 0; j < units.length && u === null; j++) {
    var mp = E.meetingPoint(units[j]);
    if (!mp || mp.centre || E.members(units[j]).length < 4) continue;
    var nb = E.neighbours(mp.hid).map(E.unitOf).filter(function(x) { return x && x !== units[j]; });
    if (nb.length) { u = units[j]; mh = mp.hid; other = nb[0]; }
  }
"""


# ----------------------------------------------------------------------------- a two-town result, the CLI, aliases
def two_town_result(folder: Path) -> Path:
    """``folder/u.gpkg``: 24 households in a row (hh.csv), the first 12 of 新华村 of 甲镇, the others of 新华村 of
    乙镇 (one village name in two towns), delineated 4–8 households."""
    lon0, lat0 = 106.55, 29.56
    lines = ["户编号,经度,纬度,人口,乡镇,行政村,村民小组"]
    for i in range(24):
        lines.append(f"{i + 1:03d},{lon0 + 0.0004 * i:.6f},{lat0 + 0.0003 * (i % 3):.6f},3,"
                     f"{'甲镇' if i < 12 else '乙镇'},新华村,一组")
    hh = folder / "hh.csv"
    hh.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = folder / "u.gpkg"
    run_cli(["delineate", str(hh), "--crs", "EPSG:4490", "--min", "4", "--max", "8", "-o", str(out)])
    return out


def lonlat_households_csv(tmp: Path, lon0: float, lat0: float, n: int = 24) -> Path:
    """``hh.csv`` in ``tmp``: ``n`` households 001, 002 … in lon/lat (EPSG:4490), in a row eastward from (``lon0``,
    ``lat0``) about 40 m apart, over three rows about 33 m apart, 3 persons each."""
    lines = ["户编号,经度,纬度,人口"]
    lines += [f"{i + 1:03d},{lon0 + 0.0004 * i:.6f},{lat0 + 0.0003 * (i % 3):.6f},3" for i in range(n)]
    p = tmp / "hh.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def run_cli(args: Sequence[str], lang: str = "zh", code: int = 0) -> str:
    """The console output of ``yuanluo args`` in ``lang`` (YUANLUO_LANG), which must exit with ``code``."""
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "400", "YUANLUO_LANG": lang})
    assert r.exit_code == code, r.output
    return r.output


def gpkg_aliases(gpkg: Path) -> dict[tuple[str, str], str]:
    """(table, column) -> the alias a GeoPackage gives the column (gpkg_data_columns), as QGIS shows it."""
    import sqlite3

    with sqlite3.connect(gpkg) as c:
        return {(t, col): name for t, col, name in
                c.execute("select table_name, column_name, name from gpkg_data_columns")}


def fill_maturity_sheet(template: Path, filled: Path,
                        score: Callable[[dict[str, Any], int, int], int] | None = None) -> Path:
    """``filled``: the ``maturity template`` workbook ``template`` with every row's 评估期 2026Q1 and its 18 scores
    ``score(row, r, c)`` (``row`` the row's cells by header, ``r``/``c`` the cell), else ``3 + (r + c) % 7``."""
    import openpyxl

    wb = openpyxl.load_workbook(template)
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    first = head.index("政策宣讲-开展内容") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(r, head.index("评估期") + 1, "2026Q1")
        row = {h: ws.cell(r, i + 1).value for i, h in enumerate(head)}
        for c in range(first, first + 18):
            ws.cell(r, c, 3 + (r + c) % 7 if score is None else score(row, r, c))
    wb.save(filled)
    return filled


def rows_xlsx(path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    """A clerk's workbook at ``path``: ``rows`` as written (headings, totals, notes among households), the cell
    ranges ``merges`` merged (a heading across its row)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def rows_csv(path: Path, rows: list[list[object]], encoding: str) -> Path:
    """``rows`` as a plain CSV at ``path`` in ``encoding`` (None an empty cell; a short row stays short)."""
    path.write_text("\n".join(",".join("" if v is None else str(v) for v in r) for r in rows) + "\n",
                    encoding=encoding)
    return path


def cli_exit_output(args: Sequence[str], lang: str) -> tuple[int, str]:
    """The exit code and console output of ``yuanluo --lang lang args`` (a wide console: one message a line)."""
    from typer.testing import CliRunner

    from yuanluo.planners.cli import app

    res = CliRunner().invoke(app, ["--lang", lang, *args], env={"COLUMNS": "400"})
    return res.exit_code, res.output


def message_lines(out: str, code: str) -> list[str]:
    """The message of ``code`` in a console output: its line and its fix line."""
    lines = out.splitlines()
    i = next(k for k, ln in enumerate(lines) if code in ln)
    return lines[i:i + 2]


#: JavaScript for ``page.evaluate(LOAD_PLAN_FILE, {"name": ..., "b64": ...})``: the file given to the editor's plan
#: loader as a user picks it; resolves to the loader's note once the page has read it
LOAD_PLAN_FILE = r"""
(function(file) {
  var input = document.querySelector('.yl-ed-file');
  var raw = atob(file.b64), bytes = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  var dt = new DataTransfer();
  dt.items.add(new File([bytes], file.name));
  input.files = dt.files;
  input.dispatchEvent(new Event('change'));
  return new Promise(function(res) { setTimeout(function() {
    res({note: document.querySelector('.yl-ed-info').textContent});
  }, 700); });
})
"""
