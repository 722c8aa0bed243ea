"""ATTR-PERSONAL's fix names every output the allow-list of --fields / --include-personal serves (the web maps, the
printed unit sheets, the Excel plan, the repaired plan's CSV or Excel), not the map alone, in zh and en, on a command
that has the two options (delineate) and on one that has not (validate)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from shared_fixtures import flat, run_cli

#: what the fix must name, as printed (spaces removed by ``flat``)
NAMED = {"zh": ("网页地图", "打印工作单（yuanluomap--per-unit）", "Excel方案表（yuanluodelineate--xlsx）",
                "修复后的方案表（yuanluorepair-o，CSV或Excel）"),
         "en": ("webmaps", "printedunitsheets(yuanluomap--per-unit)", "Excelplan(yuanluodelineate--xlsx)",
                "repairedplan(yuanluorepair-o,CSVorExcel)")}
HEAD = {"zh": "处理办法：", "en": "Fix:"}


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("personal_fix")
    rows = ["户号,户主姓名,人口,经度,纬度"]
    rows += [f"{i + 1:06d},王{i},3,{106.55 + 0.0004 * i:.6f},{29.56 + 0.0003 * (i % 3):.6f}" for i in range(16)]
    hh = d / "花名册.csv"
    hh.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return hh


def _fix(out: str, lang: str) -> str:
    at = out.index("ATTR-PERSONAL")
    start = out.index(HEAD[lang], at) + len(HEAD[lang])
    ends = [i for i in (out.find(m, start) for m in ("└", "已写出", "Written", "警告", "Warning")) if i >= 0]
    return out[start:min(ends, default=len(out))]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", ["delineate", "validate"])
def test_fix_names_every_output(roster: Path, tmp_path: Path, lang: str, command: str) -> None:
    args = [command, str(roster), "--crs", "EPSG:4490"]
    if command == "delineate":
        args += ["--min", "4", "--max", "8", "-o", str(tmp_path / "r.gpkg"), "--fields", "户主姓名"]
    fix = _fix(flat(run_cli(args, lang)), lang)
    missing = [w for w in NAMED[lang] if w not in fix]
    assert not missing, (missing, fix)
    assert "--fields户主姓名--include-personal" in fix, fix
    if lang == "en":
        assert not re.search(r"[\u4e00-\u9fff]", fix.replace("户主姓名", "")), fix
    else:
        assert not re.search(r"(?i)nothing|maps|plan|serve|options", fix), fix  # no English words
