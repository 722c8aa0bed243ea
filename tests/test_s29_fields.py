"""Session 29, audit F §1: ``--fields`` naming a candidate-head column (党员, 返乡能人 …).

The reader folds such columns into ``head_candidate`` / ``party_member``; ``--fields 党员`` then shows the column it
was folded into, with the warning FIELDS-FOLDED (its own values are not kept; copy the column under another name).
That warning came as well for a file with no 党员 column at all (one with ``party_member`` only, or a result
GeoPackage): nothing was folded there and the fix could not be done. Now FIELDS-FOLDED comes only for a column the
reader folded in that file (``attrs["folded"]`` of the households it read), and the canonical column of a file that
has no such column is shown with the plain note FIELDS-SHOWN-AS.

Also: the reader's renaming of a yes/no ``settlement`` column (a Shapefile's cut of ``settlement_split``) is one
rule; a file with ``settlement``, ``settlement_split`` and ``settlement_flag`` stopped the reader with a bug (two
columns named ``settlement_flag``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import Problem
from yuanluo.gis.io import read_households
from yuanluo.gis.personal import resolve_fields
from yuanluo.planners.cli import app

runner = CliRunner()
COPY_FIX = {"zh": "复制一份", "en": "copy the column"}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One village twice: ``canon.gpkg`` with ``head_candidate``/``party_member`` (no 党员), ``zh.gpkg`` with 党员
    and 返乡能人 instead; and ``result.gpkg``, the delineation of ``zh.gpkg``."""
    from yuanluo.gis.synth import make_village

    d = tmp_path_factory.mktemp("s29fields")
    hh = make_village(120, seed=5).households.reset_index()
    hh.to_file(d / "canon.gpkg", layer="households", driver="GPKG")
    rng = np.random.default_rng(5)
    zh = hh.drop(columns=["head_candidate", "party_member"])
    zh["党员"] = np.where(rng.random(len(zh)) < 0.15, "是", "否")
    zh["返乡能人"] = np.where(rng.random(len(zh)) < 0.1, "1", "0")
    zh.to_file(d / "zh.gpkg", layer="households", driver="GPKG")
    r = runner.invoke(app, ["delineate", str(d / "zh.gpkg"), "--preset", "banan", "-o", str(d / "result.gpkg"), "-q"])
    assert r.exit_code == 0, r.output
    return {"dir": d, "canon": d / "canon.gpkg", "zh": d / "zh.gpkg", "result": d / "result.gpkg"}


def _flat(output: str) -> str:
    return "".join(output.split())  # the warnings table wraps its cells


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fields_naming_a_column_the_file_does_not_have_is_no_fold(files: dict[str, Path], lang: str) -> None:
    """``delineate canon.gpkg --fields 党员`` (the file has party_member, no 党员) said FIELDS-FOLDED "党员 was
    folded … copy the column": now the plain note FIELDS-SHOWN-AS, party_member shown, no copy fix."""
    out = files["dir"] / f"canon_{lang}.gpkg"
    r = runner.invoke(app, ["--lang", lang, "delineate", str(files["canon"]), "--preset", "banan", "--fields", "党员",
                            "-o", str(out)])
    assert r.exit_code == 0, r.output
    flat = _flat(r.output)
    assert "FIELDS-FOLDED" not in flat and "FIELDS-SHOWN-AS" in flat, r.output
    assert "party_member" in flat and _flat(COPY_FIX[lang]) not in flat, r.output


@pytest.mark.parametrize("command", ["map", "cover"])
def test_map_and_cover_of_a_result_say_no_fold(files: dict[str, Path], command: str) -> None:
    """A result GeoPackage holds only head_candidate/party_member: ``map``/``cover`` of it with ``--fields 党员,返乡能人``
    show those columns with FIELDS-SHOWN-AS, not FIELDS-FOLDED (nothing was folded in that file)."""
    suffix = "html" if command == "map" else "gpkg"
    r = runner.invoke(app, ["--lang", "en", command, str(files["result"]), "--fields", "党员,返乡能人",
                            "-o", str(files["dir"] / f"again_{command}.{suffix}")])
    assert r.exit_code in (0, 1), r.output
    flat = _flat(r.output)
    assert "FIELDS-FOLDED" not in flat and "FIELDS-SHOWN-AS" in flat, r.output
    assert "FIELDS-UNKNOWN" not in flat, r.output


def test_a_column_folded_in_the_file_is_still_said_folded(files: dict[str, Path]) -> None:
    """The file read has 党员 and 返乡能人: FIELDS-FOLDED, each shown as the column it was folded into."""
    hh, _ = read_households(files["zh"])
    assert hh.attrs["folded"] == {"党员": "party_member", "返乡能人": "head_candidate"}
    notes: list[Problem] = []
    assert resolve_fields(hh, ["党员", "返乡能人"], str(files["zh"]), notes) == ["party_member", "head_candidate"]
    assert [(n.code, n.params["columns"]) for n in notes] == [("FIELDS-FOLDED", ["党员"]),
                                                             ("FIELDS-FOLDED", ["返乡能人"])]


def test_a_head_col_named_in_fields_is_the_column_it_was_folded_into(tmp_path: Path) -> None:
    """``--head-col 是否返乡 --fields 是否返乡``: the column was folded into head_candidate (it stopped with
    FIELDS-UNKNOWN: the name is no candidate-head alias)."""
    path = tmp_path / "hh.csv"
    pd.DataFrame({"户编号": ["H1", "H2"], "经度": [106.55, 106.551], "纬度": [29.56, 29.56], "人口": [3, 4],
                  "是否返乡": ["是", "否"]}).to_csv(path, index=False)
    hh, _ = read_households(path, crs="EPSG:4326", columns={"head_candidate": "是否返乡"})
    notes: list[Problem] = []
    assert resolve_fields(hh, ["是否返乡"], str(path), notes) == ["head_candidate"]
    assert [n.code for n in notes] == ["FIELDS-FOLDED"]


# ------------------------------------------------------------------------ the settlement flag's new name
def _flag_file(path: Path, extra: list[str]) -> Path:
    n = 6
    d = pd.DataFrame({"户编号": [f"H{i}" for i in range(n)], "经度": [106.55 + 0.0003 * i for i in range(n)],
                      "纬度": [29.56] * n, "人口": [3] * n})
    for c in extra:
        d[c] = [i % 2 for i in range(n)]
    d.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(("extra", "kept"), [
    (["settlement"], "settlement_split"),
    (["settlement", "settlement_split"], "settlement_flag"),
    (["Settlement", "settlement_split"], "settlement_flag"),
    (["settlement", "settlement_split", "settlement_flag"], "settlement_flag2"),
    (["Settlement", "settlement_split", "settlement_flag"], "Settlement_flag2"),
])
def test_a_settlement_flag_is_kept_under_a_name_the_file_has_free(tmp_path: Path, extra: list[str],
                                                                   kept: str) -> None:
    """A yes/no ``settlement`` column is kept under ``settlement_split``, else ``settlement_flag``, else the first
    free ``<column>_flag…``; the file's own columns keep their names (with all three the reader stopped: two
    columns came out named ``settlement_flag``)."""
    hh, rep = read_households(_flag_file(tmp_path / "hh.csv", extra), crs="EPSG:4326")
    said: dict[str, Any] = next(w.params for w in rep.warnings if w.code == "COL-SETTLEMENT-FLAG")
    assert said == {"column": extra[0], "kept": kept}
    assert "settlement" not in hh.columns and hh.columns.is_unique
    assert {kept, *extra[1:]} <= set(hh.columns)


def test_fields_unknown_reads_right_for_one_column(files: dict[str, Path]) -> None:
    """FIELDS-UNKNOWN for one name said "the columns 无此列 named in --fields are not in …" in English."""
    r = runner.invoke(app, ["--lang", "en", "map", str(files["result"]), "--fields", "无此列",
                            "-o", str(files["dir"] / "none.html")])
    assert r.exit_code == 2 and "FIELDS-UNKNOWN" in r.output, r.output
    flat = " ".join(r.output.split())
    assert "has no column named 无此列 (named in --fields)" in flat and "the columns" not in flat, r.output
