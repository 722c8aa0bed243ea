"""`maturity`: a unit's name never from a household column holding householders' names or phone numbers, and its
report page under a Content-Security-Policy like every other page."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuanluo.gis.maturity import SCORE_COLUMNS
from yuanluo.gis.output import write_layers
from yuanluo.maps.sample import sample_layers
from yuanluo.planners import maturity as M


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A result whose units layer has no name, and whose households carry their householder's name and a phone
    number in the group column (the audit's ZhaoLiuName on every unit card and print hexagon)."""
    d = tmp_path_factory.mktemp("matpriv")
    layers = {k: v for k, v in sample_layers(200, block=5).items() if k != "run"}
    hh = layers["households"].copy()
    hh["name"] = "ZhaoLiuName"
    hh["group"] = [f"139{i:08d}" for i in range(len(hh))]
    layers["households"] = hh
    layers["units"] = layers["units"].drop(columns=[c for c in ("name", "group") if c in layers["units"].columns])
    write_layers(d / "result.gpkg", layers)
    return d / "result.gpkg"


def test_a_units_name_and_group_never_come_from_personal_household_columns(result: Path) -> None:
    units = M.read_units(result)
    assert units["name"].isna().all(), units["name"].tolist()
    assert units["group"].isna().all(), units["group"].tolist()


def test_the_report_has_a_content_security_policy_and_no_names(result: Path, tmp_path: Path) -> None:
    ids = list(M.read_units(result)["unit_id"])
    sheet = tmp_path / "s.csv"
    sheet.write_text("\n".join([",".join(["院落编号", "评估期", *SCORE_COLUMNS])]
                               + [",".join([u, "2026Q4", *["6"] * len(SCORE_COLUMNS)]) for u in ids]) + "\n",
                     encoding="utf-8")
    M.load_scores(result, [sheet], tmp_path / "m.gpkg", report=tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in page and "default-src 'none'" in page
    assert "ZhaoLiuName" not in page and "13900000001" not in page
