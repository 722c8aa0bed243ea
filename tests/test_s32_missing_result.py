"""check / repair / delineate / edit of a mistyped result path with no rules: IO-NOTFOUND, not RULE-NONE (whose
fix, give --preset, only led to the real error)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app


@pytest.mark.parametrize("args", [["check"], ["repair", "-o", "out.csv"], ["delineate", "-o", "out.gpkg"]])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_missing_result_is_not_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str],
                                       lang: str) -> None:
    monkeypatch.chdir(tmp_path)
    cmd = ["--lang", lang, args[0], "nosuch.gpkg", *args[1:]]
    res = CliRunner().invoke(app, cmd, env={"COLUMNS": "400"})
    assert res.exit_code == 2, res.output
    assert "IO-NOTFOUND" in res.output and "RULE-NONE" not in res.output
    assert "nosuch.gpkg" in res.output
    assert list(tmp_path.iterdir()) == []
