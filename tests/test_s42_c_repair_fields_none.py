"""``repair --include-personal`` without ``--fields`` says that it adds nothing (session 42, helper C, item 5).

The option lets the personal columns named by ``--fields`` into the repaired plan; alone it wrote the same plan
and said nothing (the maps' FIELDS-NONE is not raised by repair, and speaks of a map). Now the input warnings
hold REPAIR-FIELDS-NONE, its fix naming ``--fields`` with the household file's own personal columns, or two
example names where it has none.

Fixture: a street of 11 households 60 m apart (``yuanluo.gis.synth_streets``), U1 = H001–H005, U2 = H006–H011,
band 4–6: the plan passes, the repair moves nothing; the households have 姓名 and 手机号 columns.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.synth_streets import street_households
from yuanluo.planners.cli.app import app

TITLE = {"zh": "只给了 --include-personal，没有 --fields：修复后的方案表 fixed.csv 不会多写任何住户列",
         "en": "--include-personal without --fields adds no household column to the repaired plan fixed.csv"}
FIX = {"zh": "（如 --fields {cols} --include-personal）", "en": "(e.g. --fields {cols} --include-personal)"}


def _run(tmp_path: Path, lang: str, personal: bool, *extra: str) -> str:
    hh = street_households(11, [])
    geo = hh.geometry.to_crs(4326)
    table = pd.DataFrame({"户编号": hh.index, "经度": geo.x.round(8).to_numpy(), "纬度": geo.y.round(8).to_numpy()})
    if personal:
        table["姓名"] = [f"张{i}" for i in range(11)]
        table["手机号"] = [f"139{i:08d}" for i in range(11)]
    table.to_csv(tmp_path / "hh.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame({"户编号": hh.index, "院落编号": ["U1"] * 5 + ["U2"] * 6}).to_csv(
        tmp_path / "plan.csv", index=False, encoding="utf-8-sig")
    (tmp_path / "rules.toml").write_text("[rules]\nmin_size = 4\nmax_size = 6\nrequire_head = false\n"
                                         "keep_settlements = false\nnest_by = []\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["--lang", lang, "repair", str(tmp_path / "hh.csv"), "--crs", "EPSG:4326",
                                   "--plan", str(tmp_path / "plan.csv"), "--rules", str(tmp_path / "rules.toml"),
                                   "--max-edge-walk", "1", "-o", str(tmp_path / "fixed.csv"), *extra],
                             env={"COLUMNS": "400"})
    assert out.exit_code == 0, out.output
    return " ".join(out.output.split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_include_personal_alone_is_said_with_the_files_personal_columns(tmp_path: Path, lang: str) -> None:
    said = _run(tmp_path, lang, True, "--include-personal")
    assert "REPAIR-FIELDS-NONE" in said and TITLE[lang] in said, said
    assert FIX[lang].format(cols="姓名,手机号") in said
    assert list(pd.read_csv(tmp_path / "fixed.csv", dtype=str, encoding="utf-8-sig").columns) == (
        ["户编号", "院落编号"] if lang == "zh" else ["Household ID", "Unit ID"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_personal_columns_the_fix_gives_example_names(tmp_path: Path, lang: str) -> None:
    said = _run(tmp_path, lang, False, "--include-personal")
    assert TITLE[lang] in said and FIX[lang].format(cols={"zh": "户主姓名,联系电话", "en": "name,phone"}[lang]) in said
    assert "地图" not in said and " map" not in said  # repair's words, not the maps' FIELDS-NONE
