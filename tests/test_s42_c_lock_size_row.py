"""A size exception the lock causes says so in the units table too (session 42, helper C, item 1).

Since 91e0000 ``delineate --plan --lock`` names the lock on the console and in the warnings when the lock cuts an
area below the floor, but the units layer's ``reason`` (rendered from ``code`` and ``reason_params`` by
:mod:`yuanluo.gis.delineate.reasons`) still said "isolated area of 3 households; no walkable link to other
households" — the GeoPackage, the plan workbook, the map's unit card and ``check`` of the result did not tell a
planner. Fixture as ``test_s41_e_lock_size``: a street of 13 (band 4–6), the plan U1 = H001–H003, U2 = H004–H008,
U3 = H009–H013, an island I1 of 3 far off; ``--lock U2``.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.delineate.reasons import reasons_in
from yuanluo.gis.synth_streets import street_households
from yuanluo.planners.cli.app import app

PLAN = ["U1"] * 3 + ["U2"] * 5 + ["U3"] * 5 + ["I1"] * 3
LOCK = {"zh": "原因在于锁定：院落 U2（共 5 户）已锁定，重新划分时不能动用；不锁定时，所在连通片区共 13 户，按规模可以分成 4–6 的院落",
        "en": "the lock is why: U2, locked (5 households), could not be redrawn; without the lock, its connected area "
              "would hold 13 households, a number that units of 4–6 can make up"}
NO_LINK = {"zh": "没有可步行的连接", "en": "no walkable link"}


def _units(tmp_path: Path, lang: str) -> gpd.GeoDataFrame:
    hh = street_households(13, [3])
    geo = hh.geometry.to_crs(4326)
    pd.DataFrame({"户编号": hh.index, "经度": geo.x.round(8).to_numpy(), "纬度": geo.y.round(8).to_numpy()}).to_csv(
        tmp_path / "hh.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame({"户编号": hh.index, "院落编号": PLAN}).to_csv(tmp_path / "plan.csv", index=False, encoding="utf-8-sig")
    (tmp_path / "rules.toml").write_text("[rules]\nmin_size = 4\nmax_size = 6\nrequire_head = false\n"
                                         "keep_settlements = false\nnest_by = []\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["--lang", lang, "delineate", str(tmp_path / "hh.csv"), "--crs", "EPSG:4326",
                                   "--plan", str(tmp_path / "plan.csv"), "--lock", "U2", "--rules",
                                   str(tmp_path / "rules.toml"), "--max-edge-walk", "1", "-o",
                                   str(tmp_path / "out.gpkg")], env={"COLUMNS": "400"})
    assert out.exit_code == 0, out.output
    return gpd.read_file(tmp_path / "out.gpkg", layer="units").set_index("unit_id")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_units_layer_reason_names_the_lock(tmp_path: Path, lang: str) -> None:
    """U1's row of the units layer says the lock is why, in the console's words, and leaves out the cut (the
    locked households'); its reason_params record the lock, so the other language renders it too. The island,
    which no lock touches, keeps its own reason."""
    units = _units(tmp_path, lang)
    other = "en" if lang == "zh" else "zh"
    assert units.loc["U1", "code"] == "RULE-INFEASIBLE"
    assert units.loc["U1", "reason"].endswith(LOCK[lang]), units.loc["U1", "reason"]
    assert NO_LINK[lang] not in units.loc["U1", "reason"]
    assert json.loads(units.loc["U1", "reason_params"])["lock"] == {"units": ["U2"], "held": 5, "total": 13,
                                                                     "lo": 4, "hi": 6}
    again = reasons_in(units.reset_index(), other)
    assert again[list(units.index).index("U1")].endswith(LOCK[other])
    assert "lock" not in json.loads(units.loc["I1", "reason_params"])
    assert "U2" not in units.loc["I1", "reason"] and "U2" not in again[list(units.index).index("I1")]


def test_a_lock_missing_a_value_keeps_the_files_reason(tmp_path: Path) -> None:
    """A hand-edited cell whose lock lacks a value the sentence names keeps the file's own reason."""
    units = _units(tmp_path, "zh").reset_index()
    at = units["unit_id"] == "U1"
    params = json.loads(units.loc[at, "reason_params"].iloc[0])
    del params["lock"]["total"]
    units.loc[at, "reason_params"] = json.dumps(params, ensure_ascii=False)
    assert reasons_in(units, "en")[at.to_numpy().argmax()] == units.loc[at, "reason"].iloc[0]
