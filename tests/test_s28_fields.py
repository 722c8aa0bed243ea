"""Session 28, audit D: candidate heads in ``--fields`` and in the ``--xlsx`` plan.

§1: a register marks candidate heads in columns such as 党员 and 返乡能人; the reader folds them into
``head_candidate`` / ``party_member``. ``--fields 返乡能人`` (or ``--fields 党员``) stopped ``delineate`` and ``map``
with FIELDS-UNKNOWN saying the column was not in the household table, though it is. Now the name is the column it
was folded into, said in the warning FIELDS-FOLDED (the map shows that column; the file's own values are not kept).

§3: the workbook's units sheet (院落汇总) gave only the count of candidates and the suggested head; a unit above
``heads_for_size`` needs two, and the second was named nowhere in it. Now it lists every candidate, as the units
layer's ``head_candidates`` does (household ids, the plan's key: not personal data by name).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A small synthetic village with 党员 (是/否) and 返乡能人 (1/0) columns, delineated with ``heads_for_size``
    small enough that big units need two heads, with its ``--xlsx`` plan in both languages."""
    from yuanluo.gis.synth import make_village

    d = tmp_path_factory.mktemp("s28fields")
    v = make_village(200, seed=3)
    hh = v.households.reset_index().drop(columns=["head_candidate", "party_member"])  # the file's own, below
    rng = np.random.default_rng(3)
    hh["党员"] = np.where(rng.random(len(hh)) < 0.12, "是", "否")
    hh["返乡能人"] = np.where(rng.random(len(hh)) < 0.06, "1", "0")
    src = d / "village.gpkg"
    hh.to_file(src, layer="households", driver="GPKG")
    rules = d / "rules.toml"
    rules.write_text("[rules]\nmin_size = 15\nmax_size = 30\nrequire_head = true\nheads_for_size = 20\n",
                     encoding="utf-8")
    out: dict[str, Any] = {"dir": d, "src": src, "rules": rules}
    for lang in ("zh", "en"):
        gpkg, html, xlsx = d / f"out_{lang}.gpkg", d / f"map_{lang}.html", d / f"plan_{lang}.xlsx"
        r = runner.invoke(app, ["--lang", lang, "delineate", f"{src}::households", "--rules", str(rules),
                                "-o", str(gpkg), "--xlsx", str(xlsx), "-q"])
        out[lang] = {"res": r, "gpkg": gpkg, "html": html, "xlsx": xlsx}
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fields_naming_a_folded_candidate_column_is_not_said_missing(village: dict[str, Any], lang: str) -> None:
    """``delineate --fields 返乡能人,党员`` runs (it stopped with FIELDS-UNKNOWN, exit 2, though both are columns of
    the file) and says FIELDS-FOLDED: 返乡能人 is shown as ``head_candidate``, 党员 as ``party_member``."""
    d, html_path = village["dir"], village[lang]["html"]
    r = runner.invoke(app, ["--lang", lang, "delineate", f"{village['src']}::households", "--rules",
                            str(village["rules"]), "-o", str(d / f"f_{lang}.gpkg"), "--map", str(html_path),
                            "--fields", "返乡能人,党员"])
    assert r.exit_code == 0, r.output
    assert "FIELDS-UNKNOWN" not in r.output and "FIELDS-FOLDED" in r.output, r.output
    flat = " ".join(r.output.split())
    assert "返乡能人" in flat and "head_candidate" in flat and "party_member" in flat, flat
    html = html_path.read_text(encoding="utf-8")
    assert "party_member" in html  # named by --fields 党员: on the map (not one of the map's own fields)


def test_map_of_the_result_takes_the_folded_names(village: dict[str, Any]) -> None:
    """``yuanluo map out.gpkg --fields 返乡能人`` (the result has head_candidate/party_member, not the file's
    columns) runs and says what it shows: the columns it shows instead (FIELDS-SHOWN-AS), not FIELDS-FOLDED, as the
    result holds no such column to fold (session 29); a name that is no column at all is still FIELDS-UNKNOWN."""
    d = village["dir"]
    r = runner.invoke(app, ["map", str(village["zh"]["gpkg"]), "-o", str(d / "again.html"),
                            "--fields", "返乡能人,党员"])
    assert r.exit_code == 0 and "FIELDS-SHOWN-AS" in r.output and "FIELDS-FOLDED" not in r.output, r.output
    r = runner.invoke(app, ["map", str(village["zh"]["gpkg"]), "-o", str(d / "none.html"), "--fields", "无此列"])
    assert r.exit_code == 2 and "FIELDS-UNKNOWN" in r.output and not (d / "none.html").exists(), r.output


def test_make_map_shows_a_folded_field() -> None:
    """From Python, ``make_map(fields=["党员"])`` draws ``party_member`` (it checked the name and then drew the map
    without it in silence)."""
    from yuanluo.maps.interactive import make_map, render_html
    from yuanluo.maps.sample import sample_layers

    lyr = sample_layers(40, block=5)
    lyr["households"]["head_candidate"] = True
    lyr["households"]["party_member"] = True
    html = render_html(make_map(lyr, fields=["党员"]))
    assert "party_member" in html


@pytest.mark.parametrize(("lang", "header"), [("zh", "院落长候选（户编号）"), ("en", "Head candidates (households)")])
def test_xlsx_units_sheet_lists_every_candidate(village: dict[str, Any], lang: str, header: str) -> None:
    """院落汇总 names every candidate of a unit, as the units layer lists them (a unit needing two heads has its
    second named; the sheet had only the count and the suggested head)."""
    import openpyxl

    assert village[lang]["res"].exit_code == 0, village[lang]["res"].output
    units = pyogrio.read_dataframe(village[lang]["gpkg"], layer="units")
    want = {str(u): json.loads(c) for u, c in zip(units["unit_id"], units["head_candidates"], strict=True)}
    assert any(len(c) >= 2 for c in want.values()), want  # the village has units with two or more candidates
    ws = openpyxl.load_workbook(village[lang]["xlsx"]).worksheets[1]
    head = [c.value for c in ws[1]]
    assert header in head, head
    uc, cc = head.index(head[0]), head.index(header)
    sep = "、" if lang == "zh" else ", "
    got = {str(row[uc]): ([] if row[cc] in (None, "") else str(row[cc]).split(sep))
           for row in ws.iter_rows(min_row=2, values_only=True) if row[0] is not None}
    assert got == want


def test_xlsx_without_a_candidate_column_has_no_candidate_list(tmp_path: Path) -> None:
    """Without a candidate column the rule was not applied: no candidate list (nor count) in 院落汇总."""
    import openpyxl

    from yuanluo.gis.synth import make_village

    src = tmp_path / "v.gpkg"
    hh = make_village(60, seed=1).households.reset_index().drop(columns=["head_candidate", "party_member"])
    hh.to_file(src, layer="households", driver="GPKG")
    xlsx = tmp_path / "p.xlsx"
    r = runner.invoke(app, ["delineate", f"{src}::households", "--min", "15", "--max", "30",
                            "-o", str(tmp_path / "o.gpkg"), "--xlsx", str(xlsx), "-q"])
    assert r.exit_code == 0, r.output
    head = [c.value for c in openpyxl.load_workbook(xlsx).worksheets[1][1]]
    assert "院落长候选（户编号）" not in head and "院落长候选人数" not in head, head
