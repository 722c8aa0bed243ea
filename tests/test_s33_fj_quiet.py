"""delineate -q (and delineate --lock -q) prints the outcome in one line and the files written, not the summary
table, as its help says (-q: only the outcome and the errors), in both languages (audit s33 AA)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}
TABLE = ("┏", "┃", "│", "└")


@pytest.fixture(scope="module")
def households(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("quiet")
    rows = ["hid,persons,lon,lat"]
    for i in range(30):
        rows.append(f"H{i:03d},{1 + i % 4},{107.74 + (i % 6) * 0.0006:.6f},{29.798 + (i // 6) * 0.0006:.6f}")
    (d / "hh.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return d / "hh.csv"


def _run(*args: str) -> str:
    res = runner.invoke(app, list(args), env=ENV)
    assert res.exit_code == 0, res.output
    return res.output


@pytest.mark.parametrize(("lang", "outcome", "written"), [
    ("zh", "院落划分结果（5–10 户）：30 户，", "已写出"),
    ("en", "Delineation (5–10 households): 30 households, ", "Written:"),
])
def test_delineate_quiet_prints_the_outcome_only(households: Path, lang: str, outcome: str, written: str) -> None:
    out = households.parent / f"r_{lang}.gpkg"
    base = ["delineate", str(households), "--crs", "EPSG:4490", "--min", "5", "--max", "10", "--lang", lang,
            "--overwrite", "-o", str(out)]
    loud = _run(*base)
    assert any(t in loud for t in TABLE)  # the table without -q
    quiet = _run(*base, "-q")
    assert not any(t in quiet for t in TABLE), quiet
    lines = [s for s in quiet.splitlines() if s.strip()]
    assert len(lines) == 2 and lines[0].startswith(outcome) and lines[1].startswith(written), quiet


@pytest.mark.parametrize(("lang", "outcome", "written"), [
    ("zh", "锁定院落后重新划分（5–10）：30 户，", "已写出"),
    ("en", "Re-delineation around locked units (5–10): 30 households, ", "Written:"),
])
def test_delineate_lock_quiet_prints_the_outcome_only(households: Path, lang: str, outcome: str,
                                                      written: str) -> None:
    res = households.parent / f"rl_{lang}.gpkg"
    _run("delineate", str(households), "--crs", "EPSG:4490", "--min", "5", "--max", "10", "-o", str(res), "-q",
         "--overwrite")
    base = ["delineate", str(res), "--lock", "U001", "--min", "5", "--max", "10", "--lang", lang, "--overwrite",
            "-o", str(households.parent / f"l_{lang}.gpkg")]
    loud = _run(*base)
    assert any(t in loud for t in TABLE)
    quiet = _run(*base, "-q")
    assert not any(t in quiet for t in TABLE), quiet
    lines = [s for s in quiet.splitlines() if s.strip()]
    assert len(lines) == 2 and lines[0].startswith(outcome) and lines[1].startswith(written), quiet
    assert ("锁定院落 1 个" if lang == "zh" else "locked units: 1,") in lines[0]
