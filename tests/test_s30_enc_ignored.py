"""--encoding given with a GeoPackage household file is ignored with the warning ENC-IGNORED (the format is UTF-8):
decoding its text as UTF-16 called the healthy file corrupt (IO-CORRUPT, "export the file again"; audit s30 Y §1c)."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parents[1] / "planners" / "sample" / "andorra_ordino.gpkg"


@pytest.mark.parametrize(("lang", "says"), [("zh", "已忽略 --encoding utf-16"), ("en", "--encoding utf-16 was ignored")])
def test_encoding_with_a_geopackage_is_ignored_with_a_warning(lang: str, says: str) -> None:
    res = runner.invoke(app, ["--lang", lang, "validate", f"{SAMPLE}::households", "--encoding", "utf-16"],
                        env={"COLUMNS": "400"})
    out = " ".join(res.output.split())
    assert res.exit_code == 0 and "ENC-IGNORED" in out and says in out and "IO-CORRUPT" not in out, out
